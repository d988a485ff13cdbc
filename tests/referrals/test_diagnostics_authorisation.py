"""Investigation orders in the authorisation matrix, by rule and over HTTP.

The ordering practice's GPs and secretaries and the performing department's staff see an
order; the department's staff record it performed, its clinicians give the result notice, the
practice's GPs acknowledge it. Everyone else gets 404: another practice, another department,
the referral's department that does not perform it, and a superuser.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.referrals import diagnostics_services as services
from tests.accounts.factories import UserFactory
from tests.accounts.login import verified_login
from tests.authz import assert_authorisation_matrix, http_ok, perm

from .diagnostics_factories import diagnostics_world, order, with_result

pytestmark = pytest.mark.django_db


@pytest.fixture
def arranged():
    d = diagnostics_world()
    booked = order(d)
    performed = services.investigation_performed_record(
        order=order(d), actor=d.cardiologist, performed_at=timezone.now()
    )
    result = with_result(d, order(d))
    users = {
        "gp": d.w.gp,
        "gp_colleague": d.w.gp_colleague,
        "practice_secretary": d.w.practice_secretary,
        "other_gp": d.w.other_gp,
        "cardiologist": d.cardiologist,
        "cardiology_secretary": d.cardiology_secretary,
        "other_specialist": d.w.specialist,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "no_membership": UserFactory(),
    }
    return d, users, {"booked": booked, "performed": performed, "result": result}


VIEWERS = {"gp", "gp_colleague", "practice_secretary", "cardiologist", "cardiology_secretary"}


def test_the_matrix_by_rule(arranged):
    _d, users, objects = arranged
    allowed = {(r, name, "view") for r in VIEWERS for name in objects}
    allowed |= {(r, "booked", "performed") for r in ("cardiologist", "cardiology_secretary")}
    allowed |= {("cardiologist", "performed", "result")}
    allowed |= {(r, "result", "acknowledge") for r in ("gp", "gp_colleague")}
    actions = {
        "view": perm("referrals.view_investigationorder"),
        "performed": perm("referrals.record_investigation_performed"),
        "result": perm("referrals.record_investigation_result"),
        "acknowledge": perm("referrals.acknowledge_investigation_result"),
    }
    assert assert_authorisation_matrix(users=users, objects=objects, actions=actions, allowed=allowed) == 108


def test_the_matrix_over_http(arranged):
    _d, users, objects = arranged
    allowed = {(r, name, "page") for r in VIEWERS for name in objects}
    actions = {
        "page": http_ok(
            Client, lambda o: reverse("referrals:diagnostics_order", kwargs={"public_id": o.public_id})
        )
    }
    assert_authorisation_matrix(users=users, objects=objects, actions=actions, allowed=allowed)


def test_posts_outside_ones_reach_are_404_and_change_nothing(arranged, client):
    d, users, objects = arranged
    for name in ("other_gp", "other_specialist", "superuser", "practice_secretary"):
        verified_login(client, users[name])
        for url_name, data in (
            ("diagnostics_performed", {"performed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}),
            ("diagnostics_result", {"notice": "x"}),
            ("diagnostics_acknowledge", {}),
        ):
            for o in objects.values():
                assert (
                    client.post(reverse(f"referrals:{url_name}", args=[o.public_id]), data).status_code == 404
                )
    for name, o in objects.items():
        state = o.state
        o.refresh_from_db()
        assert o.state == state, name


def test_the_lists_show_only_ones_own_orders(arranged, client):
    d, users, _objects = arranged
    verified_login(client, users["other_gp"])
    assert "Holter" not in client.get(reverse("referrals:diagnostics_orders")).content.decode()
    verified_login(client, users["other_specialist"])
    assert "Holter" not in client.get(reverse("referrals:diagnostics_department")).content.decode()
    verified_login(client, users["superuser"])
    assert client.get(reverse("referrals:diagnostics_orders")).status_code == 404
    assert client.get(reverse("referrals:diagnostics_department")).status_code == 404
