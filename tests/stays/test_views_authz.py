"""Focused stays in the authorisation matrix over HTTP: every URL that carries an object, GET
pages and POST actions alike. Outside one's reach is 404, for a superuser too, and a refused
POST changes nothing."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from portal.stays.models import Assignment, HostOffer, LearningObjective, PairRule, StayNeed
from tests.accounts.factories import UserFactory
from tests.accounts.login import verified_login
from tests.authz import assert_authorisation_matrix, http_ok

from .factories import need, objectives, offer, proposal, published, world

pytestmark = pytest.mark.django_db

COORDINATORS = {"coordinator", "hospital_coordinator"}


@pytest.fixture
def arranged():
    w = world()
    the_offer = offer(w)
    second_offer = offer(w, practice=w.second_practice, gp=w.second_gp)
    stay = published(w, need(w), the_offer)
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
    return w, users, {"offer": the_offer, "stay": stay, "draft": draft, "need": stay.need}


def _url(obj) -> str:
    name = {HostOffer: "stays:offer", Assignment: "stays:stay", StayNeed: "stays:need"}[type(obj)]
    return reverse(name, kwargs={"public_id": obj.public_id})


def test_the_object_pages_over_http(arranged):
    w, users, objects = arranged
    allowed = {(c, name, "page") for c in COORDINATORS for name in objects}
    allowed |= {
        ("gp", "offer", "page"),
        ("gp", "stay", "page"),
        ("trainee", "stay", "page"),
        ("trainee", "need", "page"),
    }
    allowed |= {(c, name, "run") for c in COORDINATORS for name in ("stay", "draft")}
    actions = {
        "page": http_ok(Client, _url),
        "run": http_ok(
            Client,
            lambda obj: reverse(
                "stays:run",
                kwargs={
                    "region": w.region.slug,
                    "public_id": obj.run.public_id if isinstance(obj, Assignment) else uuid.uuid4(),
                },
            ),
        ),
    }
    assert_authorisation_matrix(users=users, objects=objects, actions=actions, allowed=allowed)


def test_the_region_and_objective_pages_over_http(arranged):
    w, users, _objects = arranged
    objects = {"region": w.region, "other_region": w.other_region}
    allowed = {(c, "region", "page") for c in COORDINATORS} | {("other_coordinator", "other_region", "page")}
    objectives_allowed = {
        (c, name, "objectives") for c in COORDINATORS | {"other_coordinator"} for name in objects
    }
    actions = {
        "page": http_ok(Client, lambda region: reverse("stays:region", kwargs={"region": region.slug})),
        "objectives": http_ok(
            Client, lambda _region: reverse("stays:objectives_for", kwargs={"specialty": "paediatri"})
        ),
    }
    assert_authorisation_matrix(
        users=users, objects=objects, actions=actions, allowed=allowed | objectives_allowed
    )


def _post_status(user, url, data=None) -> int:
    client = Client()
    verified_login(client, user)
    return client.post(url, data or {}).status_code


def test_every_post_outside_ones_reach_is_404_and_changes_nothing(arranged):
    w, users, objects = arranged
    stay, the_offer, draft = objects["stay"], objects["offer"], objects["draft"]
    goal = objectives(count=1)[0]
    rule = PairRule.objects.create(
        region=w.region, need=draft.need, offer=the_offer, kind="forbid", created_by=w.coordinator
    )
    period = the_offer.periods.get()
    region = {"region": w.region.slug}
    posts = {
        "decline_practice": (
            reverse("stays:decline_practice", kwargs={"public_id": stay.public_id}), {"reason": ""}, {"gp"},
        ),
        "decline_trainee": (
            reverse("stays:decline_trainee", kwargs={"public_id": stay.public_id}), {"reason": ""}, {"trainee"},
        ),
        "withdraw": (reverse("stays:need_withdraw", kwargs={"public_id": stay.need.public_id}), {}, set()),
        "offer_change": (reverse("stays:offer", kwargs={"public_id": the_offer.public_id}), {}, {"gp"}),
        "period_add": (reverse("stays:period_add", kwargs={"public_id": the_offer.public_id}), {}, {"gp"}),
        "period_remove": (
            reverse("stays:period_remove", kwargs={"public_id": the_offer.public_id, "period_id": 0}), {}, set(),
        ),
        "match": (reverse("stays:match", kwargs=region), None, None),
        "rule_add": (reverse("stays:rule_add", kwargs=region), {}, COORDINATORS),
        "rule_remove": (reverse("stays:rule_remove", kwargs={**region, "rule_id": 0}), {}, set()),
        "publish": (reverse("stays:publish", kwargs={**region, "public_id": draft.run.public_id}), None, None),
        "objective_add": (
            reverse("stays:objectives_for", kwargs={"specialty": "paediatri"}), {}, COORDINATORS | {"other_coordinator"},
        ),
        "objective_toggle": (
            reverse("stays:objective_toggle", kwargs={"specialty": "paediatri", "objective_id": 0}), {}, set(),
        ),
        "confirm_practice": (reverse("stays:confirm_practice", kwargs={"public_id": stay.public_id}), {}, {"gp"}),
        "confirm_trainee": (reverse("stays:confirm_trainee", kwargs={"public_id": stay.public_id}), {}, {"trainee"}),
    }  # fmt: skip
    wrong = []
    for action, (url, data, reachers) in posts.items():
        if reachers is None:
            continue  # actions that write when allowed are covered by the tests of the pages
        for role, user in {**users, "superuser": UserFactory(is_superuser=True, is_staff=True)}.items():
            status = _post_status(user, url, data)
            if (status == 404) == (role in reachers):
                wrong.append(f"{role} {action}: {status}")
    assert not wrong, wrong
    # The writing actions, by everyone who may not: 404 and nothing changed.
    for role, user in users.items():
        if role in COORDINATORS:
            continue
        for url in (
            reverse("stays:match", kwargs=region),
            reverse("stays:publish", kwargs={**region, "public_id": draft.run.public_id}),
            reverse("stays:rule_remove", kwargs={**region, "rule_id": rule.pk}),
        ):
            assert _post_status(user, url) == 404, (role, url)
        if role == "gp":
            continue
        assert (
            _post_status(
                user,
                reverse(
                    "stays:period_remove", kwargs={"public_id": the_offer.public_id, "period_id": period.pk}
                ),
            )
            == 404
        )
        if role != "other_coordinator":
            objective_url = reverse(
                "stays:objective_toggle", kwargs={"specialty": "paediatri", "objective_id": goal.pk}
            )
            assert _post_status(user, objective_url) == 404
    draft.refresh_from_db()
    goal.refresh_from_db()
    assert draft.state == Assignment.State.PROPOSED and goal.is_active
    assert PairRule.objects.filter(pk=rule.pk).exists() and the_offer.periods.filter(pk=period.pk).exists()
    assert LearningObjective.objects.count() == 1


def test_the_evaluation_and_report_pages_over_http(arranged):
    """An ended stay: the trainee evaluates the practice, its supervisor the stay; the report is
    the region's coordinators'. A published stay that has not ended is evaluated by nobody."""
    w, users, objects = arranged
    from .factories import ended

    stay = ended(w, need(w, trainee=w.trainee), offer(w, practice=w.other_practice, gp=w.other_gp))

    things = {"ended": stay, "upcoming": objects["stay"]}
    allowed = {
        ("trainee", "ended", "evaluate_practice"),
        ("other_gp", "ended", "evaluate_stay"),
    }
    allowed |= {(c, name, "report") for c in COORDINATORS for name in things}
    actions = {
        name: http_ok(
            Client, lambda obj, name=name: reverse(f"stays:{name}", kwargs={"public_id": obj.public_id})
        )
        for name in ("evaluate_practice", "evaluate_stay")
    }
    actions["report"] = http_ok(
        Client, lambda obj: reverse("stays:report", kwargs={"region": obj.need.region.slug})
    )
    assert_authorisation_matrix(users=users, objects=things, actions=actions, allowed=allowed)
    # Posting an evaluation from outside: 404 and nothing saved.
    from portal.stays.models import StayEvaluation

    for role, user in {**users, "superuser": UserFactory(is_superuser=True, is_staff=True)}.items():
        for side, evaluator in (("practice", "trainee"), ("stay", "other_gp")):
            if role == evaluator:
                continue
            url = reverse(f"stays:evaluate_{side}", kwargs={"public_id": stay.public_id})
            assert _post_status(user, url, {"score": "3"}) == 404, (role, side)
    assert not StayEvaluation.objects.exists()
    for kind in ("report_csv", "report_xlsx"):
        url = reverse(f"stays:{kind}", kwargs={"region": w.region.slug})
        for role, user in users.items():
            client = Client()
            verified_login(client, user)
            assert (client.get(url).status_code == 200) == (role in COORDINATORS), (role, kind)
