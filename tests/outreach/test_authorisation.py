"""Outreach orders in the authorisation matrix, by rule and over HTTP.

The ordering practice's GPs and secretaries and the service's staff (its organisation's
clinicians and secretaries) see an order; only the staff acknowledge it. Everyone else gets 404:
another practice, another department of the same hospital, a practice consultant, a user without
a membership and a superuser.
"""

import pytest
from django.test import Client
from django.urls import reverse

from portal.accounts.roles import Role
from portal.outreach import services
from portal.outreach.models import OutreachOrder
from tests.accounts.factories import KapUnitFactory, UserFactory
from tests.accounts.login import verified_login
from tests.authz import assert_authorisation_matrix, http_ok, perm

from .factories import VALID_CPR, member, outreach_world

pytestmark = pytest.mark.django_db


def _order(w, **kwargs) -> OutreachOrder:
    created, _ = services.outreach_order_create(
        orderer=w.gp,
        organisation=w.practice,
        service=w.blood,
        postcode="8000",
        request_text="CRP",
        callback_phone="1234",
        patient_cpr=VALID_CPR,
        **kwargs,
    )
    return created


@pytest.fixture
def arranged():
    w = outreach_world()
    ordered = _order(w)
    acknowledged = services.outreach_order_acknowledge(order=_order(w), actor=w.nurse)
    users = {
        "gp": w.gp,
        "gp_colleague": w.gp_colleague,
        "practice_secretary": w.practice_secretary,
        "other_gp": w.other_gp,
        "nurse": w.nurse,
        "service_secretary": w.service_secretary,
        "other_specialist": w.other_specialist,
        "consultant": member(KapUnitFactory(), Role.PRACTICE_CONSULTANT),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "no_membership": UserFactory(),
    }
    return w, users, {"ordered": ordered, "acknowledged": acknowledged}


VIEWERS = {"gp", "gp_colleague", "practice_secretary", "nurse", "service_secretary"}


def test_the_matrix_by_rule(arranged):
    _w, users, objects = arranged
    allowed = {(r, name, "view") for r in VIEWERS for name in objects}
    allowed |= {(r, "ordered", "acknowledge") for r in ("nurse", "service_secretary")}
    actions = {
        "view": perm("outreach.view_outreachorder"),
        "acknowledge": perm("outreach.acknowledge_outreachorder"),
    }
    assert assert_authorisation_matrix(users=users, objects=objects, actions=actions, allowed=allowed) == 40


def test_the_matrix_over_http(arranged):
    _w, users, objects = arranged
    allowed = {(r, name, "page") for r in VIEWERS for name in objects}
    actions = {
        "page": http_ok(Client, lambda o: reverse("outreach:order", kwargs={"public_id": o.public_id}))
    }
    assert_authorisation_matrix(users=users, objects=objects, actions=actions, allowed=allowed)


def test_the_equal_access_report_by_rule(arranged):
    _w, users, _objects = arranged
    allowed = {(r, "report", "view") for r in ("consultant", "superuser")}
    actions = {"view": lambda user, _obj: user.has_perm("outreach.view_equal_access")}
    assert_authorisation_matrix(users=users, objects={"report": None}, actions=actions, allowed=allowed)


def test_acknowledging_outside_ones_reach_is_404_and_changes_nothing(arranged, client):
    _w, users, objects = arranged
    for name in ("gp", "practice_secretary", "other_gp", "other_specialist", "superuser", "consultant"):
        verified_login(client, users[name])
        response = client.post(reverse("outreach:acknowledge", args=[objects["ordered"].public_id]))
        assert response.status_code == 404, name
    objects["ordered"].refresh_from_db()
    assert objects["ordered"].state == OutreachOrder.State.ORDERED


def test_the_lists_show_only_ones_own_orders(arranged, client):
    _w, users, objects = arranged
    for name in ("other_gp", "other_specialist", "superuser", "consultant"):
        verified_login(client, users[name])
        page = client.get(reverse("outreach:orders")).content.decode()
        assert all(str(o.public_id) not in page for o in objects.values()), name
