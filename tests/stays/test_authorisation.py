"""Focused stays in the authorisation matrix, by rule (the HTTP matrix is in test_views_authz.py).

A trainee sees their own needs and published stays; the GPs of a host practice see its offer
and the published stays it hosts; the coordinators of the region see everything in it, through
a named region or through a hospital membership. Everyone else gets nothing: the other region's
coordinator, another practice's GP, another trainee, a user without membership and a superuser.
A proposal is the coordinator's draft: neither side sees it before it is published.
"""

import pytest

from tests.accounts.factories import UserFactory
from tests.authz import assert_authorisation_matrix, perm

from .factories import need, offer, proposal, published, world

pytestmark = pytest.mark.django_db

COORDINATORS = {"coordinator", "hospital_coordinator"}


@pytest.fixture
def arranged():
    w = world()
    the_offer = offer(w)
    second_offer = offer(w, practice=w.second_practice, gp=w.second_gp)
    the_need = need(w)
    stay = published(w, the_need, the_offer)
    draft = proposal(w, need(w), second_offer)
    users = {
        "trainee": w.trainee,
        "other_trainee": w.other_trainee,
        "gp": w.gp,
        "second_gp": w.second_gp,
        "other_gp": w.other_gp,
        "coordinator": w.coordinator,
        "hospital_coordinator": w.hospital_coordinator,
        "other_coordinator": w.other_coordinator,
        "no_membership": UserFactory(),
    }
    objects = {"need": the_need, "offer": the_offer, "stay": stay, "draft": draft, "run": stay.run}
    return w, users, objects


def test_the_matrix_by_rule(arranged):
    _w, users, objects = arranged
    allowed = {(c, name, "view") for c in COORDINATORS for name in objects}
    allowed |= {("trainee", "need", "view"), ("trainee", "stay", "view"), ("gp", "offer", "view")}
    allowed |= {("gp", "stay", "view"), ("gp", "offer", "change")}
    allowed |= {("gp", "stay", "confirm_practice"), ("trainee", "stay", "confirm_trainee")}
    allowed |= {("gp", "stay", "decline"), ("trainee", "stay", "decline")}
    actions = {
        "view": lambda user, obj: user.has_perm(f"stays.view_{obj._meta.model_name}", obj),
        "change": perm("stays.change_hostoffer"),
        "confirm_practice": perm("stays.confirm_as_practice"),
        "confirm_trainee": perm("stays.confirm_as_trainee"),
        "decline": perm("stays.decline_assignment"),
    }
    assert assert_authorisation_matrix(users=users, objects=objects, actions=actions, allowed=allowed) == 250


def test_who_may_start_things(arranged):
    _w, users, _objects = arranged
    objects = {"none": None}
    allowed = {("trainee", "none", "add_need"), ("other_trainee", "none", "add_need")}
    allowed |= {(g, "none", "add_offer") for g in ("gp", "second_gp", "other_gp")}
    allowed |= {
        (c, "none", a) for c in COORDINATORS | {"other_coordinator"} for a in ("coordinate", "objectives")
    }
    actions = {
        "add_need": perm("stays.add_stayneed"),
        "add_offer": perm("stays.add_hostoffer"),
        "coordinate": perm("stays.coordinate"),
        "objectives": perm("stays.change_learningobjective"),
    }
    assert_authorisation_matrix(users=users, objects=objects, actions=actions, allowed=allowed)
