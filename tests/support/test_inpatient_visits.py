"""Psychiatric inpatients in long admissions booked into their own GP's consultation: the ward
books one of the practice's consultation times, the practice confirms; only they see it; bad
input is a Danish refusal with nothing saved; the list costs constant queries."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from portal.accounts.roles import Role
from portal.bookings.models import Booking, Resource
from portal.bookings.services import booking_cancel, resource_create, slot_publish
from portal.outbox.models import OutboxEmail
from portal.patients.models import PatientReference
from portal.support import services
from portal.support.models import InpatientGpVisit
from tests.accounts.factories import DepartmentFactory, UserFactory
from tests.accounts.login import verified_login
from tests.authz import assert_authorisation_matrix, http_ok, perm
from tests.bookings.factories import member

from .factories import CPR, world

pytestmark = pytest.mark.django_db

REASON = "Eksem på hænderne <forværret>. Blodtryk 165/95 & den brede helbredssamtale."


class P:
    def __init__(self, slots: int = 3):
        self.w = world(slots=0)
        self.ward = DepartmentFactory(name="Psykiatrisk afsnit P2")
        self.nurse_secretary = member(self.ward, Role.MEDICAL_SECRETARY, first_name="Mette")
        self.psychiatrist = member(self.ward, Role.HOSPITAL_SPECIALIST, first_name="Peter")
        self.resource = resource_create(
            actor=self.w.gp,
            organisation=self.w.practice,
            kind=Resource.Kind.GP_CONSULTATION,
            name="Konsultation",
        )
        start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=3)
        self.slots = [
            slot_publish(
                actor=self.w.gp,
                resource=self.resource,
                starts_at=start + timedelta(minutes=15 * i),
                ends_at=start + timedelta(minutes=15 * (i + 1)),
            )
            for i in range(slots)
        ]


def book(p, **fields) -> InpatientGpVisit:
    data = {
        "actor": p.nurse_secretary,
        "department": p.ward,
        "patient_cpr": CPR,
        "reason": REASON,
        "slot_id": p.slots[0].public_id,
    } | fields
    visit, _created = services.inpatient_visit_book(**data)
    return visit


def test_the_ward_books_and_the_practice_confirms():
    p = P()
    visit = book(p)
    assert visit.state == "booked" and visit.booking.organisation == p.ward and visit.practice == p.w.practice
    email = OutboxEmail.objects.get(to=[p.w.practice_secretary.email])
    assert "Bekræft den i Samspil" in email.body and CPR not in email.body and "Eksem" not in email.body
    with pytest.raises(PermissionDenied):
        services.inpatient_visit_confirm(visit=visit, actor=p.psychiatrist)
    confirmed = services.inpatient_visit_confirm(visit=visit, actor=p.w.gp)
    assert confirmed.state == "confirmed" and confirmed.confirmed_by == p.w.gp
    with translation.override("da"), pytest.raises(ValidationError, match="allerede bekræftet"):
        services.inpatient_visit_confirm(visit=visit, actor=p.w.practice_secretary)


def test_a_cancelled_booking_cannot_be_confirmed():
    p = P()
    visit = book(p)
    booking_cancel(booking=visit.booking, actor=p.w.gp, reason="Lægen er syg")
    visit.refresh_from_db()
    with translation.override("da"), pytest.raises(ValidationError, match="aflyst"):
        services.inpatient_visit_confirm(visit=visit, actor=p.w.gp)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reason": ""}, "Hvorfor patienten kommer skal udfyldes"),
        ({"patient_cpr": "3213001234"}, "CPR"),
        ({"slot_id": "x"}, "ledige konsultationstider"),
    ],
)
def test_bad_input_is_a_danish_refusal_with_nothing_saved(fields, message):
    p = P()
    with translation.override("da"), pytest.raises(ValidationError) as error:
        book(p, **fields)
    assert message in " ".join(error.value.messages)
    assert not InpatientGpVisit.objects.exists() and not Booking.objects.exists()
    assert not PatientReference.objects.exists()


def test_the_pages_book_idempotently_and_confirm(client):
    p = P()
    verified_login(client, p.nurse_secretary)
    new = reverse("support:visit_new") + f"?praksis={p.w.practice.pk}"
    assert str(p.slots[0].public_id) in client.get(new).content.decode()
    data = {
        "department": p.ward.pk,
        "cpr": "070761-4285",
        "reason": REASON,
        "slot": str(p.slots[0].public_id),
        "client_token": str(uuid.uuid4()),
    }
    response = client.post(new, data)
    visit = InpatientGpVisit.objects.get()
    assert response.status_code == 302 and response.url == reverse("support:visit", args=[visit.public_id])
    assert client.post(new, data).status_code == 302 and InpatientGpVisit.objects.count() == 1
    verified_login(client, p.w.gp)
    page = client.get(response.url).content.decode()
    assert "070761-XXXX" in page and "Eksem på hænderne &lt;forværret&gt;. Blodtryk 165/95 &amp;" in page
    assert client.post(reverse("support:visit_confirm", args=[visit.public_id])).status_code == 302
    again = client.post(reverse("support:visit_confirm", args=[visit.public_id]), follow=True)
    assert "allerede bekræftet" in again.content.decode()


def test_the_authorisation_matrix():
    p = P()
    visit = book(p)
    users = {
        "ward_secretary": p.nurse_secretary,
        "psychiatrist": p.psychiatrist,
        "gp": p.w.gp,
        "practice_secretary": p.w.practice_secretary,
        "other_gp": p.w.other_gp,
        "acute_doctor": p.w.acute_doctor,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    viewers = {"ward_secretary", "psychiatrist", "gp", "practice_secretary"}
    allowed = {(r, "visit", a) for r in viewers for a in ("view", "page")}
    allowed |= {("gp", "visit", "confirm"), ("practice_secretary", "visit", "confirm")}
    actions = {
        "view": perm("support.view_inpatientgpvisit"),
        "confirm": perm("support.confirm_inpatientgpvisit"),
        "page": http_ok(Client, lambda o: reverse("support:visit", kwargs={"public_id": o.public_id})),
    }
    assert_authorisation_matrix(users=users, objects={"visit": visit}, actions=actions, allowed=allowed)


def test_the_list_costs_constant_queries(client):
    p = P(slots=12)
    book(p)
    verified_login(client, p.w.gp)
    url = reverse("support:visit_list")
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    for i in range(1, 10):
        book(p, slot_id=p.slots[i].public_id, patient_cpr="1205731234")
    assert count() == before
    assert client.get(url).content.decode().count('class="samspil-visit-row"') == 10
