"""The writes of focused stays: offers, periods, needs, objectives, pair rules, publishing and
the two sides' answers. Every refusal is a Danish ValidationError or PermissionDenied, and
nothing is half-saved."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.stays import services
from portal.stays.models import Assignment, HostPeriod, PairRule, StayNeed
from tests.accounts.factories import specialty

from .factories import need, next_monday, objectives, offer, proposal, published, world

pytestmark = pytest.mark.django_db


def test_an_offer_takes_its_region_and_area_from_the_practice():
    w = world()
    made = offer(w)
    assert (made.region, made.area) == (w.region, w.area)
    assert list(made.specialties.values_list("slug", flat=True)) == ["paediatri"]
    assert made.periods.count() == 1


def test_only_a_gp_of_the_practice_offers_and_supervises():
    w = world()
    with pytest.raises(PermissionDenied):
        services.offer_save(
            actor=w.other_gp, practice=w.practice, supervisor=w.gp, specialties=[specialty("paediatri")],
            practice_type="solo",
        )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.offer_save(
            actor=w.gp, practice=w.practice, supervisor=w.other_gp, specialties=[specialty("paediatri")],
            practice_type="solo",
        )  # fmt: skip
    assert "supervisor" in refused.value.message_dict


def test_an_offer_welcomes_only_focused_stay_specialties():
    w = world()
    with pytest.raises(ValidationError) as refused:
        services.offer_save(
            actor=w.gp, practice=w.practice, supervisor=w.gp, specialties=[specialty("almen-medicin")],
            practice_type="solo",
        )  # fmt: skip
    assert "specialties" in refused.value.message_dict


def test_a_period_must_hold_a_whole_week_and_not_lie_in_the_past():
    w = world()
    made = offer(w)
    monday = next_monday(1)
    with pytest.raises(ValidationError):
        services.period_add(
            actor=w.gp,
            offer=made,
            starts_on=monday + timedelta(days=2),
            ends_on=monday + timedelta(days=8),
            capacity=1,
        )  # noqa: E501
    with pytest.raises(ValidationError):
        past = monday - timedelta(weeks=5)
        services.period_add(
            actor=w.gp, offer=made, starts_on=past, ends_on=past + timedelta(days=4), capacity=1
        )
    with pytest.raises(PermissionDenied):
        services.period_add(
            actor=w.second_gp, offer=made, starts_on=monday, ends_on=monday + timedelta(days=4), capacity=1
        )  # noqa: E501
    assert HostPeriod.objects.filter(offer=made).count() == 1


def test_a_trainee_registers_a_need_in_their_own_department_with_its_objectives():
    w = world()
    goals = objectives()
    start = next_monday(2)
    made = services.need_register(
        actor=w.trainee, department=w.department, specialty=w.department.specialty, earliest_start=start,
        latest_end=start + timedelta(weeks=6), objectives=goals[:2], preferred_practice_types=["solo", "solo"],
    )  # fmt: skip
    assert made.region == w.region and made.state == StayNeed.State.OPEN and made.length_weeks == 2
    assert set(made.objectives.all()) == set(goals[:2]) and made.preferred_practice_types == ["solo"]
    with pytest.raises(PermissionDenied):
        services.need_register(
            actor=w.trainee, department=w.other_department, specialty=w.department.specialty,
            earliest_start=start, latest_end=start + timedelta(weeks=6),
        )  # fmt: skip


@pytest.mark.parametrize(
    ("days_from_start", "length", "field"),
    [(4, 2, "latest_end"), (11, 2, None), (10, 2, "latest_end"), (800, 2, "latest_end")],
)
def test_the_window_must_hold_the_stay(days_from_start, length, field):
    w = world()
    start = next_monday(2)
    call = dict(
        actor=w.trainee, department=w.department, specialty=w.department.specialty, earliest_start=start,
        latest_end=start + timedelta(days=days_from_start), length_weeks=length,
    )  # fmt: skip
    if field is None:
        assert services.need_register(**call).pk
        return
    with pytest.raises(ValidationError) as refused:
        services.need_register(**call)
    assert field in refused.value.message_dict
    assert not StayNeed.objects.exists()


def test_objectives_from_another_specialty_are_refused_and_nothing_is_saved():
    w = world()
    foreign = objectives("neurologi", 1)
    start = next_monday(2)
    with pytest.raises(ValidationError):
        services.need_register(
            actor=w.trainee, department=w.department, specialty=w.department.specialty, earliest_start=start,
            latest_end=start + timedelta(weeks=6), objectives=foreign,
        )  # fmt: skip
    assert not StayNeed.objects.exists()


def test_publishing_assigns_the_needs_and_a_decline_reopens_and_forbids_the_pair():
    w = world()
    the_offer, the_need = offer(w), need(w)
    assignment = published(w, the_need, the_offer)
    the_need.refresh_from_db()
    assert assignment.state == Assignment.State.PUBLISHED and the_need.state == StayNeed.State.ASSIGNED
    services.assignment_confirm(actor=w.gp, assignment=assignment, side="practice")
    with pytest.raises(ValidationError):
        services.assignment_decline(actor=w.trainee, assignment=assignment, side="trainee", reason="  ")
    services.assignment_decline(
        actor=w.trainee, assignment=assignment, side="trainee", reason="Syg i perioden"
    )
    assignment.refresh_from_db()
    the_need.refresh_from_db()
    assert assignment.state == Assignment.State.DECLINED and assignment.declined_side == "trainee"
    assert the_need.state == StayNeed.State.OPEN
    rule = PairRule.objects.get(need=the_need, offer=the_offer)
    assert rule.kind == PairRule.Kind.FORBID and rule.from_decline


def test_both_confirmations_make_the_stay_confirmed_and_each_side_answers_only_for_itself():
    w = world()
    assignment = published(w, need(w), offer(w))
    with pytest.raises(PermissionDenied):
        services.assignment_confirm(actor=w.trainee, assignment=assignment, side="practice")
    with pytest.raises(PermissionDenied):
        services.assignment_decline(actor=w.gp, assignment=assignment, side="trainee", reason="x")
    services.assignment_confirm(actor=w.trainee, assignment=assignment, side="trainee")
    assert Assignment.objects.get(pk=assignment.pk).state == Assignment.State.PUBLISHED
    done = services.assignment_confirm(actor=w.gp, assignment=assignment, side="practice")
    assert done.state == Assignment.State.CONFIRMED
    with pytest.raises(PermissionDenied):
        services.assignment_decline(actor=w.gp, assignment=done, side="practice", reason="for sent")


def test_only_the_latest_run_with_still_open_needs_is_published():
    w = world()
    the_offer, the_need = offer(w), need(w)
    first = proposal(w, the_need, the_offer)
    second = proposal(w, the_need, the_offer)
    with pytest.raises(ValidationError):
        services.run_publish(actor=w.coordinator, run=first.run)
    with pytest.raises(PermissionDenied):
        services.run_publish(actor=w.other_coordinator, run=second.run)
    services.need_withdraw(actor=w.trainee, need=the_need)
    with pytest.raises(ValidationError):
        services.run_publish(actor=w.coordinator, run=second.run)
    assert not Assignment.objects.exclude(state=Assignment.State.PROPOSED).exists()
    assert second.run.__class__.objects.get(pk=second.run.pk).published_at is None


def test_pins_replace_each_other_and_stay_inside_the_region():
    w = world()
    first, second = offer(w), offer(w, practice=w.second_practice, gp=w.second_gp)
    foreign = offer(w, practice=w.other_practice, gp=w.other_gp)
    the_need = need(w)
    services.pair_rule_set(actor=w.coordinator, need=the_need, offer=first, kind="pin")
    services.pair_rule_set(actor=w.coordinator, need=the_need, offer=second, kind="pin")
    assert list(PairRule.objects.values_list("offer", "kind")) == [(second.pk, "pin")]
    services.pair_rule_set(actor=w.coordinator, need=the_need, offer=second, kind="forbid")
    assert list(PairRule.objects.values_list("offer", "kind")) == [(second.pk, "forbid")]
    with pytest.raises(PermissionDenied):
        services.pair_rule_set(actor=w.coordinator, need=the_need, offer=foreign, kind="forbid")
    with pytest.raises(PermissionDenied):
        services.pair_rule_set(actor=w.other_coordinator, need=the_need, offer=first, kind="pin")


def test_objectives_are_kept_by_coordinators_only():
    w = world()
    made = services.objective_add(
        actor=w.coordinator, specialty=specialty("paediatri"), title="Feber hos børn"
    )
    services.objective_add(actor=w.hospital_coordinator, specialty=specialty("paediatri"), title="Astma")
    assert made.position == 0
    with pytest.raises(PermissionDenied):
        services.objective_add(actor=w.gp, specialty=specialty("paediatri"), title="x")
    with pytest.raises(ValidationError):
        services.objective_add(actor=w.coordinator, specialty=specialty("almen-medicin"), title="x")
    services.objective_set_active(actor=w.coordinator, objective=made, is_active=False)
    made.refresh_from_db()
    assert not made.is_active


def test_a_need_cannot_start_in_the_past():
    w = world()
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.need_register(
            actor=w.trainee, department=w.department, specialty=w.department.specialty,
            earliest_start=today - timedelta(days=1), latest_end=today + timedelta(weeks=6),
        )  # fmt: skip


def test_only_a_training_coordinator_is_named_for_a_region():
    from portal.stays.models import RegionCoordinator

    w = world()
    with pytest.raises(ValidationError):
        RegionCoordinator(user=w.gp, region=w.region).full_clean()
    RegionCoordinator(user=w.hospital_coordinator, region=w.other_region).full_clean()


def test_administrators_name_regions_in_the_admin(client):
    from tests.accounts.factories import UserFactory
    from tests.accounts.login import verified_login

    world()
    verified_login(client, UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/admin/snippets/stays/regioncoordinator/").status_code == 200
    assert client.get("/admin/snippets/stays/sitelocation/").status_code == 200
