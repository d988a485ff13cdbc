"""Ordering an outreach service: the order reaches the service's staff with a deadline, carries
the patient only through portal.patients, is idempotent, refuses bad input with nothing saved."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal.audit.models import AccessLogEntry
from portal.outbox.models import OutboxEmail
from portal.outreach import services
from portal.outreach.models import OutreachOrder
from portal.patients.models import PatientReference

from .factories import VALID_CPR, outreach_world

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")


def order(w, **kwargs):
    arguments = {
        "orderer": w.gp,
        "organisation": w.practice,
        "service": w.blood,
        "postcode": "8200",
        "request_text": "Hæmoglobin og CRP <i morgen>.",
        "callback_phone": "+45 86 00 00 01",
        "patient_cpr": VALID_CPR,
        **kwargs,
    }
    created, _ = services.outreach_order_create(**arguments)
    return created


def test_an_order_reaches_the_staff_with_a_working_day_deadline_and_no_clinical_text_in_the_email():
    w = outreach_world()
    # Friday 4 December 2026 at 14.00: one working day later is Monday 7 December at 14.00.
    now = datetime(2026, 12, 4, 14, 0, tzinfo=CPH)
    o = order(w, now=now)
    assert o.state == OutreachOrder.State.ORDERED and o.owner == w.department
    assert o.respond_by.astimezone(CPH) == datetime(2026, 12, 7, 14, 0, tzinfo=CPH)
    assert o.request == "Hæmoglobin og CRP <i morgen>."  # as written
    assert o.patient.masked_cpr == "010190-XXXX"
    assert AccessLogEntry.objects.filter(
        object_type="outreach.outreachorder", object_id=str(o.pk), action="create"
    ).exists()
    email = OutboxEmail.objects.get(to=[w.service_secretary.email])  # secretaries first
    assert f"/udgaaende-funktioner/bestillinger/{o.public_id}/" in email.body
    for secret in ("Hæmoglobin", VALID_CPR, VALID_CPR[:6], "8200"):
        assert secret not in email.body and secret not in email.subject
    assert email.body.startswith(str(w.practice))


def test_an_order_without_a_patient_logs_no_patient_access():
    w = outreach_world()
    o = order(w, patient_cpr="")
    assert o.patient is None
    assert not AccessLogEntry.objects.exists()


def test_the_same_submit_twice_gives_the_first_order():
    w = outreach_world()
    token = uuid.uuid4()
    first = order(w, client_token=token)
    again, created = services.outreach_order_create(
        orderer=w.gp,
        organisation=w.practice,
        service=w.blood,
        postcode="8200",
        request_text="Igen",
        callback_phone="1",
        client_token=token,
    )
    assert again == first and not created
    assert OutreachOrder.objects.count() == 1 and OutboxEmail.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"postcode": "8450"}, "postcode"),  # in the area, not covered by the service
        ({"postcode": "12"}, "postcode"),
        ({"request_text": "  \n"}, "request"),
        ({"request_text": "x" * 2001}, "request"),
        ({"callback_phone": ""}, "callback_phone"),
        ({"patient_cpr": "3213901234"}, "cpr"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(change, field):
    w = outreach_world()
    with pytest.raises(ValidationError) as error:
        order(w, **change)
    assert field in error.value.message_dict
    assert not OutreachOrder.objects.exists()
    assert not PatientReference.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_a_service_ordered_by_phone_only_is_refused():
    w = outreach_world()
    with pytest.raises(ValidationError):
        order(w, service=w.acute, postcode="8000")


def test_only_those_the_entry_names_may_order_from_their_own_organisation():
    w = outreach_world()
    with pytest.raises(PermissionDenied):
        order(w, orderer=w.other_gp)  # from a practice that is not hers
    with pytest.raises(PermissionDenied):
        order(w, orderer=w.practice_secretary)  # secretaries do not order
    with pytest.raises(PermissionDenied):
        order(w, orderer=w.other_specialist, organisation=w.other_department)  # GPs only by default
    w.blood.orderable_by_hospital = True
    w.blood.save()
    assert order(w, orderer=w.other_specialist, organisation=w.other_department).pk
    assert not OutreachOrder.objects.filter(orderer=w.other_gp).exists()


def test_the_staff_acknowledge_once_and_the_gp_is_told():
    w = outreach_world()
    o = order(w)
    with pytest.raises(PermissionDenied):
        services.outreach_order_acknowledge(order=o, actor=w.gp)
    o = services.outreach_order_acknowledge(order=o, actor=w.nurse)
    assert o.state == OutreachOrder.State.ACKNOWLEDGED and o.acknowledged_by == w.nurse
    assert OutboxEmail.objects.filter(to=[w.gp.email]).exists()
    with pytest.raises(ValidationError):
        services.outreach_order_acknowledge(order=o, actor=w.service_secretary)
    assert AccessLogEntry.objects.filter(object_id=str(o.pk), action="change").count() == 1
