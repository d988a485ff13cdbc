"""Conferences, overviews and duty periods in the authorisation matrix, by rule and over HTTP.

Only the two people in a conference see it (for a hospital's request: the addressed
practice's GPs until one accepts). Everyone else gets 404: colleagues, the department's
secretary, a specialist on duty who was not asked, and a superuser.
"""

import pytest
from django.test import Client
from django.urls import reverse

from portal.conferences import services
from portal.conferences.models import PatientOverview
from tests.accounts.factories import UserFactory
from tests.authz import assert_authorisation_matrix, http_ok, perm

from .factories import on_duty, request_from_gp, request_from_hospital, world

pytestmark = pytest.mark.django_db


def rule(name: str):
    """Through ``user.has_perm``, as the views ask: the superuser row proves that it asks the
    rules for superusers too."""
    return perm(name)


@pytest.fixture
def arranged():
    w = world()
    duty = on_duty(w)
    requested = request_from_gp(w, topic="Anmodet")
    opened = services.conference_accept(conference=request_from_gp(w, topic="Åben"), user=w.specialist)
    closed = services.conference_close(
        conference=services.conference_accept(
            conference=request_from_gp(w, topic="Lukket"), user=w.specialist
        ),
        actor=w.gp,
    )
    hospital = request_from_hospital(w, requester=w.next_specialist)
    users = {
        "gp": w.gp,
        "gp_colleague": w.gp_colleague,
        "other_gp": w.other_gp,
        "specialist": w.specialist,
        "next_specialist": w.next_specialist,
        "colleague": w.colleague,
        "secretary": w.secretary,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "no_membership": UserFactory(),
    }
    objects = {
        "requested": requested,
        "open": opened,
        "closed": closed,
        "hospital": hospital,
        "overview": PatientOverview.objects.get(conference=opened),
        "duty": duty,
    }
    return users, objects


CONFERENCES = ("requested", "open", "closed", "hospital")
VIEW = {
    **{name: {"gp", "specialist"} for name in ("requested", "open", "closed")},
    "hospital": {"next_specialist", "gp", "gp_colleague"},
}


def test_the_matrix_by_rule(arranged):
    users, objects = arranged
    allowed = {(role, name, "view") for name, roles in VIEW.items() for role in roles}
    allowed |= {
        ("specialist", "requested", "accept"),
        ("gp", "hospital", "accept"),
        ("gp_colleague", "hospital", "accept"),
    }
    allowed |= {(role, "open", "close") for role in ("gp", "specialist")}
    allowed |= {("specialist", name, "note") for name in ("open", "closed")}
    allowed |= {("gp", name, "resume") for name in ("open", "closed")}
    allowed |= {(role, "overview", action) for role in ("gp", "specialist") for action in ("see", "change")}
    clinicians = {"gp", "gp_colleague", "other_gp", "specialist", "next_specialist", "colleague"}
    allowed |= {(role, "duty", "see") for role in clinicians}
    allowed |= {("specialist", "duty", "change")}

    def on(kinds, name):
        check = rule(name)
        return lambda user, obj: obj.__class__.__name__ in kinds and check(user, obj)

    conference = ("Conference",)
    cells = assert_authorisation_matrix(
        users=users,
        objects=objects,
        actions={
            "view": on(conference, "conferences.view_conference"),
            "accept": on(conference, "conferences.accept_conference"),
            "close": on(conference, "conferences.close_conference"),
            "note": on(conference, "conferences.write_note"),
            "resume": on(conference, "conferences.write_resume"),
            "see": lambda user, obj: (
                rule("conferences.view_patientoverview")(user, obj)
                if isinstance(obj, PatientOverview)
                else obj.__class__.__name__ == "DutyPeriod" and rule("conferences.view_dutyperiod")(user, obj)
            ),
            "change": lambda user, obj: (
                rule("conferences.change_patientoverview")(user, obj)
                if isinstance(obj, PatientOverview)
                else obj.__class__.__name__ == "DutyPeriod"
                and rule("conferences.change_dutyperiod")(user, obj)
            ),
        },
        allowed=allowed,
    )
    assert cells == 9 * 6 * 7


def _url(obj) -> str:
    if isinstance(obj, PatientOverview):
        return reverse("conferences:overview", kwargs={"public_id": obj.conference.public_id})
    return reverse("conferences:conference", kwargs={"public_id": obj.public_id})


def test_the_matrix_over_http(arranged):
    users, objects = arranged
    objects = {name: objects[name] for name in (*CONFERENCES, "overview")}
    allowed = {(role, name, "open") for name, roles in VIEW.items() for role in roles}
    allowed |= {("gp", "overview", "open"), ("specialist", "overview", "open")}
    cells = assert_authorisation_matrix(
        users=users, objects=objects, actions={"open": http_ok(Client, _url)}, allowed=allowed
    )
    assert cells == 9 * 5


def test_actions_outside_ones_reach_are_404_and_change_nothing(arranged):
    from tests.accounts.login import verified_login

    users, objects = arranged
    client = Client()
    for role in ("superuser", "colleague", "next_specialist", "secretary"):
        verified_login(client, users[role])
        for action in ("accept", "close", "note", "resume"):
            url = reverse(f"conferences:{action}", kwargs={"public_id": objects["requested"].public_id})
            assert client.post(url, {"text": "x"}).status_code == 404, (role, action)
    objects["requested"].refresh_from_db()
    assert objects["requested"].is_requested


def test_the_pages_for_starting_conferences_are_for_clinicians_only():
    from tests.accounts.login import verified_login

    w = world()
    client = Client()
    for user, expected in (
        (w.gp, {"on_duty": 200, "new": 200, "new_hospital": 404}),
        (w.specialist, {"on_duty": 200, "new": 404, "new_hospital": 200}),
        (w.secretary, {"on_duty": 404, "new": 404, "new_hospital": 404}),
        (UserFactory(is_superuser=True, is_staff=True), {"on_duty": 404, "new": 404, "new_hospital": 404}),
    ):
        verified_login(client, user)
        got = {name: client.get(reverse(f"conferences:{name}")).status_code for name in expected}
        assert got == expected, user
