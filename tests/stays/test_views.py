"""The focused-stay pages: each role's path through them, and hostile input answered with a
Danish 400 that saves nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse

from portal.stays.models import Assignment, HostOffer, HostPeriod, LearningObjective, PairRule, StayNeed
from tests.accounts.factories import UserFactory, specialty
from tests.accounts.login import verified_login

from .factories import need, next_monday, objectives, offer, proposal, published, world

pytestmark = pytest.mark.django_db


def _login(client, user):
    verified_login(client, user)
    return client


def test_the_start_page_shows_each_role_its_part(client):
    w = world()
    the_need = need(w)
    _login(client, w.trainee)
    html = client.get(reverse("stays:home")).content.decode()
    assert reverse("stays:need", kwargs={"public_id": the_need.public_id}) in html
    assert "Registrér et behov for et ophold" in html
    _login(client, w.gp)
    assert "Tilbyd at have uddannelseslæger" in client.get(reverse("stays:home")).content.decode()
    _login(client, w.coordinator)
    assert (
        reverse("stays:region", kwargs={"region": w.region.slug})
        in client.get(reverse("stays:home")).content.decode()
    )
    _login(client, UserFactory())
    response = client.get(reverse("stays:home"))
    assert response.status_code == 200 and "samspil-stays-no-part" in response.content.decode()
    # The menu offers the module to trainees, GPs and coordinators only (portal.accounts.modules).
    assert 'class="function-link samspil-nav-stays"' not in response.content.decode()


def test_a_trainee_registers_a_need_with_objectives(client):
    w = world()
    goals = objectives()
    _login(client, w.trainee)
    page = client.get(reverse("stays:need_new"))
    assert page.status_code == 200 and goals[0].title in page.content.decode()
    start = next_monday(3)
    response = client.post(
        reverse("stays:need_new"),
        {
            "department": w.department.pk,
            "earliest_start": start.isoformat(),
            "latest_end": (start + timedelta(weeks=6)).isoformat(),
            "length_weeks": 2,
            "objectives": [goals[0].pk, goals[2].pk],
            "preferred_areas": [w.area.pk],
            "preferred_practice_types": ["solo"],
            "notes": "<script>alert(1)</script>",
        },
    )
    made = StayNeed.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "stays:need", kwargs={"public_id": made.public_id}
    )
    assert set(made.objectives.all()) == {goals[0], goals[2]} and list(made.preferred_areas.all()) == [w.area]
    html = client.get(response.url).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html


@pytest.mark.parametrize(
    "change",
    [
        {"department": "99999"},
        {"department": "'; DROP TABLE stays_stayneed; --"},
        {"earliest_start": "2026-02-30"},
        {"earliest_start": "0000-01-01"},
        {"latest_end": "9999-12-31"},
        {"length_weeks": "-1"},
        {"length_weeks": "1e9"},
        {"objectives": ["abc"]},
        {"objectives": [str(i) for i in range(500)]},
        {"preferred_practice_types": ["castle"]},
        {"notes": "x" * 50_000},
        {"earliest_start": "2020-01-06"},
        {"earliest_start": "9999-12-27", "latest_end": "9999-12-31", "length_weeks": "1"},
    ],
)
def test_hostile_need_input_is_a_danish_400_and_saves_nothing(client, change):
    w = world()
    _login(client, w.trainee)
    start = next_monday(3)
    data = {
        "department": w.department.pk,
        "earliest_start": start.isoformat(),
        "latest_end": (start + timedelta(weeks=6)).isoformat(),
        "length_weeks": 2,
        **change,
    }
    response = client.post(reverse("stays:need_new"), data)
    assert response.status_code == 400
    assert "Behovet kunne ikke registreres" in response.content.decode()
    assert not StayNeed.objects.exists()


def test_a_gp_offers_places_and_adds_periods(client):
    w = world()
    _login(client, w.gp)
    response = client.post(
        reverse("stays:offer_new"),
        {
            "supervisor": w.gp.pk,
            "specialties": [specialty("paediatri").pk, specialty("neurologi").pk],
            "practice_type": "solo",
            "address": "Vestergade 1",
            "latitude": "56.15",
            "longitude": "10.2",
            "notes": "Parkering bag huset",
            "is_active": "on",
        },
    )
    made = HostOffer.objects.get()
    assert response.status_code == 302 and made.practice == w.practice and made.region == w.region
    monday = next_monday(2)
    url = reverse("stays:period_add", kwargs={"public_id": made.public_id})
    assert (
        client.post(
            url, {"starts_on": monday, "ends_on": monday + timedelta(days=25), "capacity": 2}
        ).status_code
        == 302
    )
    for bad in (
        {"starts_on": monday, "ends_on": monday - timedelta(days=1), "capacity": 1},
        {"starts_on": monday, "ends_on": monday + timedelta(days=2), "capacity": 1},
        {"starts_on": monday, "ends_on": monday + timedelta(days=25), "capacity": 0},
        {"starts_on": monday, "ends_on": monday + timedelta(days=25), "capacity": 99999999999999},
        {"starts_on": "i går", "ends_on": monday, "capacity": 1},
        {"starts_on": "9999-12-20", "ends_on": "9999-12-31", "capacity": 1},
    ):
        response = client.post(url, bad)
        assert response.status_code == 400, bad
        assert "Perioden kunne ikke tilføjes" in response.content.decode()
    assert HostPeriod.objects.count() == 1
    assert client.get(reverse("stays:offer_new")).status_code == 404  # one offer per practice


@pytest.mark.parametrize(
    "change",
    [
        {"supervisor": "0"},
        {"specialties": [str(specialty_pk) for specialty_pk in range(2000, 2200)]},
        {"specialties": []},
        {"practice_type": "slot"},
        {"latitude": "91"},
        {"latitude": "56.1"},  # without longitude
        {"latitude": "NaN", "longitude": "1"},
        {"notes": "x" * 10_000},
    ],
)
def test_hostile_offer_input_is_a_danish_400_and_saves_nothing(client, change):
    w = world()
    _login(client, w.gp)
    data = {
        "supervisor": w.gp.pk,
        "specialties": [specialty("paediatri").pk],
        "practice_type": "solo",
        **change,
    }
    response = client.post(reverse("stays:offer_new"), data)
    assert response.status_code == 400
    assert "Tilbuddet kunne ikke gemmes" in response.content.decode()
    assert not HostOffer.objects.exists()


def test_the_two_sides_confirm_and_a_decline_reopens_the_need(client):
    w = world()
    stay = published(w, need(w), offer(w))
    _login(client, w.gp)
    page = client.get(reverse("stays:stay", kwargs={"public_id": stay.public_id})).content.decode()
    assert reverse("stays:confirm_practice", kwargs={"public_id": stay.public_id}) in page
    client.post(reverse("stays:confirm_practice", kwargs={"public_id": stay.public_id}))
    # The GP cannot answer for the trainee.
    assert (
        client.post(reverse("stays:confirm_trainee", kwargs={"public_id": stay.public_id})).status_code == 404
    )
    _login(client, w.trainee)
    url = reverse("stays:decline_trainee", kwargs={"public_id": stay.public_id})
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "Opholdet kunne ikke afslås" in response.content.decode()
    assert client.post(url, {"reason": "x" * 5000}).status_code == 400
    assert client.post(url, {"reason": "Barsel"}).status_code == 302
    stay.refresh_from_db()
    assert stay.state == Assignment.State.DECLINED and stay.need.state == StayNeed.State.OPEN
    assert PairRule.objects.get().kind == PairRule.Kind.FORBID


def test_the_coordinator_sees_the_region_pins_a_pair_and_publishes(client):
    w = world()
    the_offer, the_need = offer(w), need(w)
    draft = proposal(w, the_need, the_offer)
    _login(client, w.coordinator)
    region_page = client.get(reverse("stays:region", kwargs={"region": w.region.slug})).content.decode()
    assert the_offer.practice.name in region_page and w.trainee.get_full_name() in region_page
    run_url = reverse("stays:run", kwargs={"region": w.region.slug, "public_id": draft.run.public_id})
    run_page = client.get(run_url).content.decode()
    assert "samspil-stays-calendar" in run_page and "samspil-stays-proposal" in run_page
    response = client.post(
        reverse("stays:rule_add", kwargs={"region": w.region.slug}),
        {
            "need": the_need.public_id,
            "offer": the_offer.public_id,
            "kind": "pin",
            "back_to_run": draft.run.public_id,
        },
    )
    assert response.status_code == 302 and response.url == run_url
    assert PairRule.objects.get().kind == "pin"
    response = client.post(
        reverse("stays:publish", kwargs={"region": w.region.slug, "public_id": draft.run.public_id})
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == Assignment.State.PUBLISHED


@pytest.mark.parametrize(
    "data",
    [
        {"need": "00000000-0000-0000-0000-000000000000", "kind": "pin"},
        {"need": "not-a-uuid", "kind": "pin"},
        {"kind": "marry"},
        {},
    ],
)
def test_hostile_rule_input_is_a_danish_400(client, data):
    w = world()
    the_offer, the_need = offer(w), need(w)
    _login(client, w.coordinator)
    posted = {"need": str(the_need.public_id), "offer": str(the_offer.public_id), **data}
    if not data:
        posted = {}
    response = client.post(reverse("stays:rule_add", kwargs={"region": w.region.slug}), posted)
    assert response.status_code == 400 and "Reglen kunne ikke gemmes" in response.content.decode()
    assert not PairRule.objects.exists()


def test_a_need_of_another_region_cannot_be_pinned_here(client):
    w = world()
    foreign_need = need(w, trainee=w.other_trainee, department=w.other_department)
    the_offer = offer(w)
    _login(client, w.coordinator)
    response = client.post(
        reverse("stays:rule_add", kwargs={"region": w.region.slug}),
        {"need": foreign_need.public_id, "offer": the_offer.public_id, "kind": "pin"},
    )
    assert response.status_code == 400
    _login(client, w.other_coordinator)
    assert client.get(reverse("stays:region", kwargs={"region": w.region.slug})).status_code == 404
    assert not PairRule.objects.exists()


def test_coordinators_keep_the_objectives(client):
    w = world()
    _login(client, w.coordinator)
    assert "Pædiatri" in client.get(reverse("stays:objectives")).content.decode()
    url = reverse("stays:objectives_for", kwargs={"specialty": "paediatri"})
    assert client.post(url, {"title": "Det febrile barn", "description": "Triage"}).status_code == 302
    assert client.post(url, {"title": "x" * 500}).status_code == 400
    assert client.post(url, {"title": ""}).status_code == 400
    made = LearningObjective.objects.get()
    client.post(reverse("stays:objective_toggle", kwargs={"specialty": "paediatri", "objective_id": made.pk}))
    made.refresh_from_db()
    assert not made.is_active
    assert (
        client.get(reverse("stays:objectives_for", kwargs={"specialty": "almen-medicin"})).status_code == 404
    )
    _login(client, w.gp)
    assert client.get(reverse("stays:objectives")).status_code == 404
    assert client.post(url, {"title": "Snyd"}).status_code == 404
    assert LearningObjective.objects.count() == 1


def test_a_coordinator_without_a_region_is_told_to_ask_for_one(client):
    from portal.accounts.models import Organisation
    from tests.accounts.factories import MembershipFactory

    secretariat = Organisation.objects.create(kind=Organisation.Kind.SECRETARIAT, name="Sekretariatet")
    coordinator = MembershipFactory(role="training_coordinator", organisation=secretariat).user
    _login(client, coordinator)
    html = client.get(reverse("stays:home")).content.decode()
    assert "samspil-stays-no-region" in html and "samspil-stays-no-part" not in html
