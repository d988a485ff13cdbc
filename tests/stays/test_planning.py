"""Running the matching for a region: dates to weeks and back, capacity held by published
stays, pins, the forbid a decline leaves behind, infeasible needs explained in Danish, and the
coordinator's run over HTTP. The solver itself is tested in test_matching.py."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from portal.stays import planning, services
from portal.stays.models import Assignment, MatchingRun
from tests.accounts.factories import DepartmentFactory, specialty
from tests.accounts.login import verified_login

from .factories import member, need, next_monday, offer, world

pytestmark = pytest.mark.django_db


def test_weeks_are_whole_monday_to_friday_weeks():
    monday = date(2027, 3, 1)
    assert planning.first_whole_week(monday) == planning.first_whole_week(monday - timedelta(days=6))
    assert planning.first_whole_week(monday + timedelta(days=1)) == planning.first_whole_week(monday) + 1
    friday = monday + timedelta(days=4)
    assert planning.last_whole_week(friday) == planning.first_whole_week(monday)
    assert planning.last_whole_week(friday - timedelta(days=1)) == planning.first_whole_week(monday) - 1
    assert planning.stay_dates(planning.first_whole_week(monday), 2) == (monday, monday + timedelta(days=11))


def _placed(run):
    return list(run.assignments.select_related("need", "offer").order_by("starts_on"))


def test_two_trainees_share_one_place_in_turn_within_their_windows():
    w = world()
    the_offer = offer(w, weeks=8, capacity=1)
    first = need(w, weeks_window=6)
    second = need(w, trainee=member(w.department, "trainee"), weeks_window=6)
    run = planning.matching_run(actor=w.coordinator, region=w.region, time_limit_s=5)
    stays = _placed(run)
    assert run.status == MatchingRun.Status.OPTIMAL and run.gap == 0
    assert {s.need for s in stays} == {first, second} and {s.offer for s in stays} == {the_offer}
    assert stays[0].ends_on < stays[1].starts_on  # one place: never at the same time
    for s in stays:
        assert s.starts_on.weekday() == 0 and s.ends_on.weekday() == 4
        assert s.need.earliest_start <= s.starts_on and s.ends_on <= s.need.latest_end


def test_a_pin_is_kept_and_a_decline_forbids_its_pair_in_the_next_run():
    w = world()
    near = offer(w)
    far = offer(w, practice=w.second_practice, gp=w.second_gp)
    the_need = need(w)
    services.pair_rule_set(actor=w.coordinator, need=the_need, offer=far, kind="pin")
    run = planning.matching_run(actor=w.coordinator, region=w.region, time_limit_s=5)
    (stay,) = _placed(run)
    assert stay.offer == far
    services.run_publish(actor=w.coordinator, run=run)
    stay.refresh_from_db()
    services.assignment_decline(actor=w.second_gp, assignment=stay, side="practice", reason="Ferie")
    again = planning.matching_run(actor=w.coordinator, region=w.region, time_limit_s=5)
    (restay,) = _placed(again)
    assert restay.need == the_need and restay.offer == near


def test_published_stays_hold_their_weeks_and_the_rest_is_explained():
    w = world()
    offer(w, weeks=3, capacity=1)  # the need's window holds only two of these weeks
    first = need(w, weeks_window=8)
    run = planning.matching_run(actor=w.coordinator, region=w.region, time_limit_s=5)
    services.run_publish(actor=w.coordinator, run=run)
    second = need(w, trainee=member(w.department, "trainee"), weeks_window=8)
    neurology = DepartmentFactory(parent=w.department.parent, specialty=specialty("neurologi"))
    third = need(w, trainee=member(neurology, "trainee"), department=neurology)
    again = planning.matching_run(actor=w.coordinator, region=w.region, time_limit_s=5)
    assert not _placed(again) and again.needs_count == 2
    reasons = {row["need"]: row for row in again.infeasible}
    assert reasons[str(second.public_id)]["reason"] == "no_capacity_in_window"
    assert reasons[str(third.public_id)]["reason"] == "no_practice_for_specialty"
    assert reasons[str(third.public_id)]["message"] == "Ingen værtspraksis tager imod dette speciale."
    assert Assignment.objects.get(need=first).state == Assignment.State.PUBLISHED


def test_a_new_run_discards_the_unpublished_proposal_and_only_the_region_coordinator_runs():
    w = world()
    offer(w)
    need(w)
    first = planning.matching_run(actor=w.coordinator, region=w.region, time_limit_s=5)
    planning.matching_run(actor=w.hospital_coordinator, region=w.region, time_limit_s=5)
    assert set(first.assignments.values_list("state", flat=True)) == {Assignment.State.DISCARDED}
    with pytest.raises(PermissionDenied):
        planning.matching_run(actor=w.other_coordinator, region=w.region)
    with pytest.raises(PermissionDenied):
        planning.matching_run(actor=w.gp, region=w.region)


def test_a_window_that_started_is_matched_from_next_week(client):
    w = world()
    offer(w, weeks=10)
    the_need = need(w)
    verified_login(client, w.coordinator)
    response = client.post(reverse("stays:match", kwargs={"region": w.region.slug}))
    run = MatchingRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("stays:run", kwargs={"region": w.region.slug, "public_id": run.public_id})
    page = client.get(response.url).content.decode()
    assert the_need.trainee.get_full_name() in page and "Offentliggør forslaget" in page
    assert _placed(run)[0].starts_on >= next_monday(0)
    verified_login(client, w.other_coordinator)
    assert client.post(reverse("stays:match", kwargs={"region": w.region.slug})).status_code == 404
    assert MatchingRun.objects.count() == 1
