"""Referrals in the authorisation matrix, by rule and over HTTP.

The practice's members, the current destination's members and the holder of the treatment
responsibility see a referral; a department that re-routed it loses sight once it no longer
holds the responsibility. Everyone else gets 404: another practice, another department, the
central visitation that was never asked, and a superuser.
"""

import pytest
from django.test import Client
from django.urls import reverse

from portal.referrals import services
from tests.accounts.factories import UserFactory
from tests.authz import assert_authorisation_matrix, http_ok, perm

from .factories import refer, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def arranged():
    w = world()
    received = refer(w)
    rerouted = services.referral_reroute(
        referral=refer(w),
        actor=w.specialist,
        to_department=w.other_department,
        reason_code="wrong-specialty",
        reason="Hjerte",
    )
    users = {
        "gp": w.gp,
        "practice_secretary": w.practice_secretary,
        "other_gp": w.other_gp,
        "specialist": w.specialist,
        "secretary": w.secretary,
        "other_specialist": w.other_specialist,
        "visitator": w.visitator,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "no_membership": UserFactory(),
    }
    return w, users, {"received": received, "rerouted": rerouted}


def test_the_matrix_by_rule(arranged):
    _w, users, objects = arranged
    allowed = set()
    for name, deciders, department_members in (
        ("received", {"specialist"}, {"specialist", "secretary"}),
        ("rerouted", {"other_specialist"}, {"other_specialist"}),
    ):
        allowed |= {(r, name, "view") for r in {"gp", "practice_secretary"} | department_members}
        allowed |= {(r, name, "decide") for r in deciders}
        allowed |= {(r, name, "redirect") for r in deciders}
        allowed |= {("gp", name, "veto"), ("gp", name, "handover")}
    actions = {
        "view": perm("referrals.view_referral"),
        "decide": perm("referrals.decide_referral"),
        "redirect": perm("referrals.redirect_referral"),
        "veto": perm("referrals.veto_referral"),
        "handover": perm("referrals.propose_handover"),
    }
    assert assert_authorisation_matrix(users=users, objects=objects, actions=actions, allowed=allowed) == 90


def test_the_matrix_over_http(arranged):
    _w, users, objects = arranged
    allowed = {(r, "received", "page") for r in ("gp", "practice_secretary", "specialist", "secretary")}
    allowed |= {(r, "rerouted", "page") for r in ("gp", "practice_secretary", "other_specialist")}
    allowed |= {(r, name, "fhir") for (r, name, _a) in set(allowed)}
    actions = {
        "page": http_ok(Client, lambda r: reverse("referrals:referral", kwargs={"public_id": r.public_id})),
        "fhir": http_ok(Client, lambda r: reverse("referrals:fhir", kwargs={"public_id": r.public_id})),
    }
    assert_authorisation_matrix(users=users, objects=objects, actions=actions, allowed=allowed)


def test_a_post_to_an_action_outside_ones_reach_is_404_and_changes_nothing(arranged, client):
    from tests.accounts.login import verified_login

    w, _users, objects = arranged
    referral = objects["received"]
    for user in (w.other_specialist, w.secretary, UserFactory(is_superuser=True, is_staff=True)):
        verified_login(client, user)
        url = reverse("referrals:reroute", kwargs={"public_id": referral.public_id})
        response = client.post(
            url, {"to_department": w.other_department.pk, "reason_code": "other", "reason": "x"}
        )
        assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.destination == w.department
