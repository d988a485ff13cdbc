"""Subacute access within 72 hours: a GP books the clinic's subacute time with the referral, in one
transaction; refusals are a Danish 400 with nothing saved; only the referral's parties see and change
the booking; the quality view proves the 72-hour promise in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.bookings.models import Booking, Resource
from portal.bookings.services import booking_create, resource_create, slot_publish
from portal.patients.models import PatientReference
from portal.referrals import selectors, services
from portal.referrals.models import Referral
from tests.accounts.factories import UserFactory
from tests.accounts.login import verified_login

from .factories import CPR, refer, world

pytestmark = pytest.mark.django_db


def _resource(w, organisation=None, kind=Resource.Kind.SUBACUTE_OUTPATIENT, actor=None, name="Subakut tid"):
    return resource_create(
        actor=actor or w.clinic_specialist, organisation=organisation or w.clinic, kind=kind, name=name
    )


def _slot(resource, actor, hours=24):
    starts = (timezone.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)
    return slot_publish(
        actor=actor, resource=resource, starts_at=starts, ends_at=starts + timedelta(minutes=30)
    )


@pytest.fixture
def w():
    w = world()
    w.resource = _resource(w)
    w.slot = _slot(w.resource, w.clinic_specialist, hours=24)
    w.later_slot = _slot(w.resource, w.clinic_specialist, hours=30)
    return w


def _package_referral(w, **fields):
    return refer(
        w,
        basis="package",
        symptom_package=w.package,
        destination=None,
        urgency=Referral.Urgency.SUBACUTE,
        **fields,
    )


def _post(client, w, slot_value, urgency="subacute"):
    return client.post(
        reverse("referrals:new_package", kwargs={"package_id": w.package.pk}),
        {
            "practice": w.practice.pk,
            "cpr": CPR,
            "urgency": urgency,
            "clinical_text": "Åndenød",
            "slot": slot_value,
        },
    )


# --- Services ----------------------------------------------------------------------------------


def test_the_referral_and_its_booking_are_made_together(w):
    referral = _package_referral(w, slot=w.slot)
    booking = referral.booking
    assert booking.slot == w.slot and booking.is_active
    assert booking.organisation == w.practice and booking.booked_by == w.gp


def test_a_failing_booking_leaves_no_referral(w):
    booking_create(slot=w.slot, user=w.other_gp, organisation=w.other_practice)
    with pytest.raises(ValidationError) as refused:
        _package_referral(w, slot=w.slot)
    assert "booket af en anden" in str(refused.value) or "booked by someone else" in str(refused.value)
    assert not Referral.objects.exists()
    assert not PatientReference.objects.exists()
    assert Booking.objects.count() == 1


@pytest.mark.parametrize("case", ["other_org", "other_kind", "beyond_72", "not_subacute"])
def test_a_wrong_slot_is_refused_before_anything_is_saved(w, case):
    slot = w.slot
    fields = {}
    if case == "other_org":
        slot = _slot(_resource(w, organisation=w.department, actor=w.specialist), w.specialist)
    elif case == "other_kind":
        slot = _slot(_resource(w, kind=Resource.Kind.INVESTIGATION, name="Holter"), w.clinic_specialist)
    elif case == "beyond_72":
        slot = _slot(w.resource, w.clinic_specialist, hours=80)
    else:
        fields["urgency"] = Referral.Urgency.URGENT
    with pytest.raises(ValidationError):
        refer(
            w,
            basis="package",
            symptom_package=w.package,
            destination=None,
            slot=slot,
            **({"urgency": Referral.Urgency.SUBACUTE} | fields),
        )
    assert not Referral.objects.exists() and not Booking.objects.exists()


# --- Views -------------------------------------------------------------------------------------


def test_the_gp_sees_the_free_times_and_books_one_with_the_referral(client, w):
    verified_login(client, w.gp)
    page = client.get(reverse("referrals:new_package", kwargs={"package_id": w.package.pk})).content.decode()
    assert str(w.slot.public_id) in page and str(w.later_slot.public_id) in page
    response = _post(client, w, w.slot.public_id)
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.booking.slot == w.slot
    detail = client.get(response["Location"]).content.decode()
    assert reverse("bookings:booking_ics", kwargs={"public_id": referral.booking.public_id}) in detail


def test_a_slot_taken_meanwhile_is_a_danish_400_showing_the_remaining_times(client, w):
    verified_login(client, w.gp)
    client.get(reverse("referrals:new_package", kwargs={"package_id": w.package.pk}))
    booking_create(slot=w.slot, user=w.other_gp, organisation=w.other_practice)
    response = _post(client, w, w.slot.public_id)
    assert response.status_code == 400
    content = response.content.decode()
    assert "Tiden er netop booket af en anden" in content
    assert f'value="{w.later_slot.public_id}"' in content and f'value="{w.slot.public_id}"' not in content
    assert not Referral.objects.exists()


def test_without_a_free_time_the_page_says_the_department_decides(client, w):
    verified_login(client, w.gp)
    for slot in (w.slot, w.later_slot):
        booking_create(slot=slot, user=w.other_gp, organisation=w.other_practice)
    page = client.get(reverse("referrals:new_package", kwargs={"package_id": w.package.pk})).content.decode()
    assert "afdelingen beslutter" in page
    assert _post(client, w, "").status_code == 302
    assert Referral.objects.get().booking is None


EXPECTED = {
    "other_org": "Tiden hører til en anden afdeling end den, du henviser til.",
    "other_kind": "Vælg en af de tilbudte subakutte ambulante tider.",
    "beyond_72": "Vælg en tid inden for 72 timer.",
    "unknown": "Vælg en af de tilbudte subakutte ambulante tider.",
    "hostile": "gyldig",
    "routine": "Der kan kun bookes en tid med en subakut henvisning.",
}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_hostile_or_wrong_slots_are_a_danish_400(client, w, case):
    urgency = "subacute"
    if case == "other_org":
        value = _slot(_resource(w, organisation=w.department, actor=w.specialist), w.specialist).public_id
    elif case == "other_kind":
        value = _slot(
            _resource(w, kind=Resource.Kind.INVESTIGATION, name="Holter"), w.clinic_specialist
        ).public_id
    elif case == "beyond_72":
        value = _slot(w.resource, w.clinic_specialist, hours=80).public_id
    elif case == "unknown":
        value = "0b7e4a51-7d6c-4a3e-9a63-2f6d2f0e4c11"
    elif case == "hostile":
        value = "<script>alert(1)</script>' OR 1=1 --"
    else:
        value, urgency = w.slot.public_id, "routine"
    verified_login(client, w.gp)
    response = _post(client, w, value, urgency=urgency)
    assert response.status_code == 400
    content = response.content.decode()
    assert "<script>alert(1)</script>" not in content
    assert EXPECTED[case] in content
    assert not Referral.objects.exists() and not Booking.objects.exists()


def test_the_diagnosis_form_books_the_chosen_departments_time(client, w):
    verified_login(client, w.gp)
    form = {
        "practice": w.practice.pk,
        "cpr": CPR,
        "urgency": "subacute",
        "clinical_text": "Åndenød",
        "diagnosis_code": "R06.0",
        "diagnosis_text": "Dyspnø",
        "destination_kind": "department",
    }
    assert str(w.slot.public_id) in client.get(reverse("referrals:new")).content.decode()
    # The clinic's time with a referral to another department: refused.
    refused = client.post(
        reverse("referrals:new"), form | {"destination": w.department.pk, "slot": w.slot.public_id}
    )
    assert refused.status_code == 400 and not Referral.objects.exists()
    done = client.post(
        reverse("referrals:new"), form | {"destination": w.clinic.pk, "slot": w.slot.public_id}
    )
    assert done.status_code == 302 and Referral.objects.get().booking.slot == w.slot


# --- Who sees and changes the booking ----------------------------------------------------------


def test_the_booking_is_seen_by_the_referrals_parties_only(client, w):
    referral = _package_referral(w, slot=w.slot)
    url = reverse("referrals:referral", kwargs={"public_id": referral.public_id})
    when = timezone.localtime(w.slot.starts_at).strftime("%H:%M")
    for user in (w.gp, w.clinic_specialist):
        client.logout()
        verified_login(client, user)
        page = client.get(url).content.decode()
        assert "samspil-booked-time" in page and when in page
    client.logout()
    verified_login(client, w.clinic_specialist)
    worklist = client.get(reverse("referrals:worklist")).content.decode()
    assert "samspil-booked-time" in worklist and when in worklist
    superuser = UserFactory(is_superuser=True, is_staff=True)
    for user in (w.other_gp, w.specialist, superuser):
        client.logout()
        verified_login(client, user)
        assert client.get(url).status_code == 404
        assert (
            client.post(
                reverse("referrals:booking_cancel", kwargs={"public_id": referral.public_id}), {"reason": "x"}
            ).status_code
            == 404
        )
    referral.refresh_from_db()
    assert referral.booking.is_active


@pytest.mark.parametrize("who", ["gp", "clinic_specialist"])
def test_the_practice_and_the_department_move_and_cancel_the_time(client, w, who):
    referral = _package_referral(w, slot=w.slot)
    verified_login(client, getattr(w, who))
    moved = client.post(
        reverse("referrals:booking_rebook", kwargs={"public_id": referral.public_id}),
        {"slot": w.later_slot.public_id, "reason": "Patienten kan ikke"},
    )
    assert moved.status_code == 302
    referral.refresh_from_db()
    assert referral.booking.slot == w.later_slot and referral.booking.rebooked_from.slot == w.slot
    other = _slot(_resource(w, organisation=w.department, actor=w.specialist), w.specialist)
    refused = client.post(
        reverse("referrals:booking_rebook", kwargs={"public_id": referral.public_id}),
        {"slot": other.public_id},
    )
    assert refused.status_code == 400
    assert (
        client.post(
            reverse("referrals:booking_cancel", kwargs={"public_id": referral.public_id}), {"reason": ""}
        ).status_code
        == 400
    )
    cancelled = client.post(
        reverse("referrals:booking_cancel", kwargs={"public_id": referral.public_id}), {"reason": "Indlagt"}
    )
    assert cancelled.status_code == 302
    referral.refresh_from_db()
    assert not referral.booking.is_active and referral.is_open


# --- The 72-hour figure ------------------------------------------------------------------------


def test_the_72_hour_share_per_department(w):
    now = timezone.now()
    _package_referral(w, slot=w.slot, now=now - timedelta(hours=10))  # booked 34 h after: seen
    seen = refer(w, urgency=Referral.Urgency.SUBACUTE, now=now - timedelta(hours=10))
    services.referral_accept(referral=seen, actor=w.specialist, appointment_start=now + timedelta(hours=24))
    late = refer(w, urgency=Referral.Urgency.SUBACUTE, now=now - timedelta(hours=100))
    services.referral_accept(referral=late, actor=w.specialist, appointment_start=now + timedelta(hours=24))
    refer(w, urgency=Referral.Urgency.SUBACUTE, now=now - timedelta(hours=80))  # 72 h passed: not seen
    refer(w, urgency=Referral.Urgency.SUBACUTE, now=now - timedelta(hours=1))  # still pending
    refer(w, urgency=Referral.Urgency.ROUTINE, now=now - timedelta(hours=200))  # not subacute
    figures = selectors.subacute_within_72_hours(since=now - timedelta(days=30), now=now)
    assert figures[w.clinic.pk] | {} == {
        "total": 1,
        "seen": 1,
        "pending": 0,
        "booked": 1,
        "due": 1,
        "share": 1.0,
    }
    department = figures[w.department.pk]
    assert (department["total"], department["seen"], department["pending"], department["due"]) == (4, 1, 1, 3)
    assert department["share"] == pytest.approx(1 / 3)


def test_a_cancelled_booking_does_not_count_as_seen(w):
    soon = _slot(w.resource, w.clinic_specialist, hours=2)
    referral = _package_referral(w, slot=soon, now=timezone.now() - timedelta(hours=60))
    services.referral_booking_cancel(referral=referral, actor=w.gp, reason="Indlagt akut")
    figures = selectors.subacute_within_72_hours(since=timezone.now() - timedelta(days=30))
    assert figures[w.clinic.pk]["seen"] == 0 and figures[w.clinic.pk]["booked"] == 0
    # Its 72 hours run out in 12 hours: not seen, but the promise can still be kept.
    later = selectors.subacute_within_72_hours(
        since=timezone.now() - timedelta(days=30), now=timezone.now() + timedelta(hours=13)
    )
    assert (later[w.clinic.pk]["due"], later[w.clinic.pk]["share"]) == (1, 0.0)


def test_the_quality_view_shows_the_figure_in_a_fixed_number_of_queries(client, w):
    _package_referral(w, slot=w.slot, now=timezone.now() - timedelta(hours=10))
    verified_login(client, w.clinic_specialist)
    url = reverse("referrals:quality")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        page = client.get(url).content.decode()
    assert "samspil-subacute-72" in page and "100 %" in page
    for hours in (11, 12, 13, 14):
        refer(w, urgency=Referral.Urgency.SUBACUTE, now=timezone.now() - timedelta(hours=hours))
        _package_referral(w, now=timezone.now() - timedelta(hours=hours))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(one)


def test_quality_selector_queries_do_not_grow(w, django_assert_num_queries):
    since = timezone.now() - timedelta(days=30)
    _package_referral(w, slot=w.slot)
    with CaptureQueriesContext(connection) as one:
        selectors.quality(since=since)
    for _ in range(5):
        refer(w, urgency=Referral.Urgency.SUBACUTE)
    with django_assert_num_queries(len(one)):
        rows, _vetoes = selectors.quality(since=since)
    assert {row.organisation for row in rows} >= {w.clinic, w.department}
