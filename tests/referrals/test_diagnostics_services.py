"""Ordering diagnostics: order and book in one step, record performed, the result notice by
e-mail without clinical text, the GP's acknowledgement, and refusals that save nothing."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.audit.models import AccessLogEntry
from portal.bookings.models import Booking, Slot
from portal.bookings.services import slot_publish
from portal.outbox.models import OutboxEmail
from portal.patients.models import PatientReference
from portal.referrals import diagnostics_services as services
from portal.referrals.diagnostics_selectors import overdue_result_notices
from portal.referrals.models import InvestigationOrder, InvestigationType

from .diagnostics_factories import diagnostics_world, order, with_result
from .factories import CPR

pytestmark = pytest.mark.django_db


def test_ordering_a_holter_books_the_time_and_the_practice_keeps_responsibility():
    d = diagnostics_world()
    o = order(d, slot=d.slots[0])
    assert o.state == InvestigationOrder.State.BOOKED
    assert o.booking.slot == d.slots[0] and o.booking.organisation == d.w.practice
    assert o.department == d.w.other_department
    assert [e.kind for e in o.events.all()] == ["ordered", "booked"]
    assert o.clinical_question.endswith("Dosis <i.v.> 5 mg.")  # as written
    assert AccessLogEntry.objects.filter(
        object_type="referrals.investigationorder", object_id=str(o.pk), action="create"
    ).exists()
    assert PatientReference.objects.get().masked_cpr.endswith("XXXX")
    # The department is told with a link, nothing clinical.
    email = OutboxEmail.objects.get(to=[d.cardiology_secretary.email])  # secretaries first
    assert str(o.public_id) in email.body and "Palpitationer" not in email.body


def test_a_drop_in_order_needs_no_time():
    d = diagnostics_world()
    o = order(d, investigation=d.xray)
    assert o.state == InvestigationOrder.State.ORDERED and o.booking is None


def test_the_whole_course_performed_result_acknowledged():
    d = diagnostics_world()
    o = order(d)
    performed = timezone.now()
    o = services.investigation_performed_record(order=o, actor=d.cardiology_secretary, performed_at=performed)
    assert o.state == "performed" and o.performed_at == performed
    o = services.investigation_result_record(
        order=o, actor=d.cardiologist, notice="Paroksystisk AF <3 episoder>."
    )
    assert o.state == "result" and o.result_notice == "Paroksystisk AF <3 episoder>."
    o = services.investigation_result_acknowledge(order=o, actor=d.w.gp_colleague)
    assert o.state == "acknowledged" and o.acknowledged_by == d.w.gp_colleague
    assert [e.kind for e in o.events.all()] == ["ordered", "booked", "performed", "result", "acknowledged"]


def test_the_result_email_goes_to_the_ordering_gp_with_a_link_and_no_clinical_text_or_cpr():
    d = diagnostics_world()
    o = with_result(d, order(d))
    email = OutboxEmail.objects.get(to=[d.w.gp.email])
    assert f"/henvisninger/undersoegelser/{o.public_id}/" in email.body
    assert email.body.startswith("Hjertesygdomme")  # Danish, names the department
    for secret in ("Paroksystisk", "Palpitationer", "Holter", CPR, CPR[:6], "0707"):
        assert secret not in email.body and secret not in email.subject


def test_a_secretary_cannot_give_the_result_and_only_a_gp_acknowledges():
    d = diagnostics_world()
    o = services.investigation_performed_record(
        order=order(d), actor=d.cardiologist, performed_at=timezone.now()
    )
    with pytest.raises(PermissionDenied):
        services.investigation_result_record(order=o, actor=d.cardiology_secretary, notice="x")
    o = services.investigation_result_record(order=o, actor=d.cardiologist, notice="Normal.")
    for outsider in (d.w.practice_secretary, d.w.other_gp, d.cardiologist):
        with pytest.raises(PermissionDenied):
            services.investigation_result_acknowledge(order=o, actor=outsider)


def test_steps_out_of_order_are_refused():
    d = diagnostics_world()
    o = order(d)
    with pytest.raises(PermissionDenied):  # no result before it took place
        services.investigation_result_record(order=o, actor=d.cardiologist, notice="Normal.")
    with pytest.raises(PermissionDenied):
        services.investigation_result_acknowledge(order=o, actor=d.w.gp)


@pytest.mark.parametrize(
    "when,message",
    [(timedelta(hours=2), "fremtiden"), (-timedelta(days=400), "før den blev bestilt")],
)
def test_a_performed_time_in_the_future_or_before_the_order_is_refused(when, message):
    d = diagnostics_world()
    o = order(d)
    with pytest.raises(ValidationError) as error:
        services.investigation_performed_record(
            order=o, actor=d.cardiologist, performed_at=timezone.now() + when
        )
    assert message in str(error.value)
    o.refresh_from_db()
    assert o.state == "booked" and o.performed_at is None


def _refused(d, **fields):
    before = (InvestigationOrder.objects.count(), Booking.objects.count(), PatientReference.objects.count())
    with pytest.raises(ValidationError) as error:
        order(d, **fields)
    assert (
        InvestigationOrder.objects.count(),
        Booking.objects.count(),
        PatientReference.objects.count(),
    ) == before
    return " ".join(error.value.messages)


def test_a_slot_of_another_resource_is_refused_and_nothing_is_saved():
    d = diagnostics_world()
    other = slot_publish(
        actor=d.w.specialist,
        resource=__import__("portal.bookings.models", fromlist=["Resource"]).Resource.objects.create(
            organisation=d.w.department, kind="investigation", name="Spirometri"
        ),
        starts_at=timezone.now() + timedelta(days=2),
        ends_at=timezone.now() + timedelta(days=2, minutes=30),
    )
    assert "ledige tider" in _refused(d, slot=other)


def test_a_past_slot_is_refused_and_nothing_is_saved():
    d = diagnostics_world()
    past = Slot.objects.create(
        resource=d.holter.resource,
        starts_at=timezone.now() - timedelta(hours=3),
        ends_at=timezone.now() - timedelta(hours=2),
    )
    assert "passeret" in _refused(d, slot=past)


@pytest.mark.parametrize("garbage", ["not-a-uuid", "", None, "00000000-0000-0000-0000-000000000000"])
def test_a_garbage_slot_id_is_refused(garbage):
    d = diagnostics_world()
    before = InvestigationOrder.objects.count()
    with pytest.raises(ValidationError):
        services.investigation_order_create(
            author=d.w.gp,
            practice=d.w.practice,
            investigation=d.holter,
            patient_cpr=CPR,
            clinical_question="Q",
            slot_id=garbage,
        )
    assert InvestigationOrder.objects.count() == before


@pytest.mark.parametrize("cpr", ["123", "3213991234", "07076l4285", "x" * 5000])
def test_cpr_garbage_is_refused_and_nothing_is_saved(cpr):
    d = diagnostics_world()
    _refused(d, patient_cpr=cpr)


def test_an_inactive_or_missing_investigation_and_an_oversized_question_are_refused():
    d = diagnostics_world()
    InvestigationType.objects.filter(pk=d.xray.pk).update(active=False)
    d.xray.refresh_from_db()
    assert "katalog" in _refused(d, investigation=d.xray)
    with pytest.raises(ValidationError):
        services.investigation_order_create(
            author=d.w.gp, practice=d.w.practice, investigation=None, patient_cpr=CPR, clinical_question="Q"
        )
    assert "højst" in _refused(d, clinical_question="x" * 2001)


def test_only_a_gp_of_the_practice_orders():
    d = diagnostics_world()
    for user in (d.w.practice_secretary, d.w.other_gp, d.cardiologist):
        with pytest.raises(PermissionDenied):
            order(d, author=user)
    assert not InvestigationOrder.objects.exists()


def test_the_same_client_token_twice_is_one_order_and_one_booking():
    import uuid

    d = diagnostics_world()
    token = uuid.uuid4()
    first = order(d, slot=d.slots[0], client_token=token)
    again, created = services.investigation_order_create(
        author=d.w.gp,
        practice=d.w.practice,
        investigation=d.holter,
        patient_cpr=CPR,
        clinical_question="Q",
        slot_id=d.slots[1].public_id,
        client_token=token,
    )
    assert again == first and not created and Booking.objects.count() == 1


def test_a_taken_time_is_refused_in_danish():
    d = diagnostics_world()
    order(d, slot=d.slots[0])
    assert "booket" in _refused(d, slot=d.slots[0])


def test_unacknowledged_result_notices_are_overdue_after_two_working_days():
    d = diagnostics_world()
    o = with_result(d, order(d))
    # Result given on a Monday at 10:00; Wednesday 10:00 is two working days later.
    monday = timezone.make_aware(datetime(2026, 11, 23, 10, 0))
    InvestigationOrder.objects.filter(pk=o.pk).update(result_at=monday)
    assert overdue_result_notices([d.w.practice.pk], now=monday + timedelta(days=1)) == []
    assert overdue_result_notices([d.w.practice.pk], now=monday + timedelta(days=2)) == [o]
    assert overdue_result_notices([d.w.other_practice.pk], now=monday + timedelta(days=2)) == []
    # Friday to Monday is one working day.
    friday = timezone.make_aware(datetime(2026, 11, 27, 10, 0))
    InvestigationOrder.objects.filter(pk=o.pk).update(result_at=friday)
    assert overdue_result_notices([d.w.practice.pk], now=friday + timedelta(days=3)) == []
    services.investigation_result_acknowledge(order=o, actor=d.w.gp)
    assert overdue_result_notices([d.w.practice.pk], now=friday + timedelta(days=30)) == []


def test_the_catalogue_type_must_be_bookable_by_its_own_department_or_drop_in():
    d = diagnostics_world()
    with pytest.raises(ValidationError):
        InvestigationType(name="X", department=d.w.department, resource=d.holter.resource).full_clean()
    with pytest.raises(ValidationError):
        InvestigationType(name="Y", department=d.w.department).full_clean()
    with pytest.raises(ValidationError):
        InvestigationType(
            name="Z", department=d.w.other_department, drop_in=True, resource=d.holter.resource
        ).full_clean()
    InvestigationType(name="OK", department=d.w.department, drop_in=True).full_clean()
