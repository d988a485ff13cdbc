"""Video consultations: a ward's clinician books one of the GP's free video times with the
video link; both get the .ics (time, link, organisations, never the patient); only they see it;
bad input is a Danish 400 with nothing saved; the list costs constant queries."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from portal.accounts.roles import Role
from portal.audit.models import AccessLogEntry
from portal.bookings.models import Booking, Resource
from portal.bookings.services import resource_create, slot_publish
from portal.outbox.models import OutboxEmail
from portal.patients.models import PatientReference
from portal.support import services
from portal.support.models import VideoConsultation
from tests.accounts.factories import DepartmentFactory, UserFactory
from tests.accounts.login import verified_login
from tests.authz import assert_authorisation_matrix, http_ok, perm
from tests.bookings.factories import member

from .factories import CPR, world

pytestmark = pytest.mark.django_db

URL = "https://video.rm.dk/rum/4711"
PURPOSE = "Blodtryk og medicin før udskrivelse <efter 6 uger>. Hvem følger op?"


class V:
    def __init__(self, slots: int = 3):
        self.w = world(slots=0)
        self.ward = DepartmentFactory(name="Psykiatrisk afsnit P2")
        self.doctor = member(self.ward, Role.HOSPITAL_SPECIALIST, first_name="Peter")
        self.ward_secretary = member(self.ward, Role.MEDICAL_SECRETARY, first_name="Mette")
        self.resource = resource_create(
            actor=self.w.gp, organisation=self.w.practice, kind=Resource.Kind.VIDEO_CONSULTATION, name="Video"
        )
        start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=2)
        self.slots = [
            slot_publish(
                actor=self.w.gp,
                resource=self.resource,
                starts_at=start + timedelta(minutes=30 * i),
                ends_at=start + timedelta(minutes=30 * i + 20),
            )
            for i in range(slots)
        ]


def book(v, **fields) -> VideoConsultation:
    data = {
        "actor": v.doctor,
        "department": v.ward,
        "patient_cpr": CPR,
        "purpose": PURPOSE,
        "video_url": URL,
        "slot_id": v.slots[0].public_id,
    } | fields
    consultation, _created = services.video_consultation_book(**data)
    return consultation


def test_the_ward_books_the_gps_video_time_and_both_are_told_with_the_ics():
    v = V()
    c = book(v)
    assert c.practice == v.w.practice and c.booking.slot == v.slots[0] and c.booking.organisation == v.ward
    assert c.purpose == PURPOSE
    to = {tuple(e.to)[0] for e in OutboxEmail.objects.all()}
    assert to == {v.w.gp.email, v.doctor.email}  # the GPs and the booking doctor
    body = OutboxEmail.objects.get(to=[v.w.gp.email]).body
    assert f"/stoette/video/{c.public_id}/kalender.ics" in body
    assert CPR not in body and "Blodtryk" not in body
    assert (
        AccessLogEntry.objects.filter(object_type="support.videoconsultation", action="create").count() == 1
    )


def test_only_a_ward_clinician_books_and_only_a_practices_video_time_is_bookable():
    v = V()
    for outsider in (v.ward_secretary, v.w.gp):
        with pytest.raises(PermissionDenied):
            book(v, actor=outsider)
    acute = v.w.slots  # none: world(slots=0)
    assert acute == []
    other = resource_create(
        actor=v.doctor, organisation=v.ward, kind=Resource.Kind.VIDEO_CONSULTATION, name="X"
    )
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=1)
    ward_slot = slot_publish(
        actor=v.doctor, resource=other, starts_at=start, ends_at=start + timedelta(minutes=20)
    )
    far = slot_publish(
        actor=v.w.gp,
        resource=v.resource,
        starts_at=start + timedelta(days=20),
        ends_at=start + timedelta(days=20, minutes=20),
    )
    for slot in (ward_slot, far):
        with translation.override("da"), pytest.raises(ValidationError):
            book(v, slot_id=slot.public_id)
    assert not VideoConsultation.objects.exists() and not Booking.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"video_url": "http://video.rm.dk/rum"}, "https://"),
        ({"video_url": "javascript:alert(1)"}, "https://"),
        ({"purpose": ""}, "Hvad der skal tales om skal udfyldes"),
        ({"patient_cpr": "3213001234"}, "CPR"),
        ({"slot_id": "x"}, "ledige videotider"),
    ],
)
def test_bad_input_is_a_danish_refusal_with_nothing_saved(fields, message):
    v = V()
    with translation.override("da"), pytest.raises(ValidationError) as error:
        book(v, **fields)
    assert message in " ".join(error.value.messages)
    assert not VideoConsultation.objects.exists() and not Booking.objects.exists()
    assert not PatientReference.objects.exists()


def test_the_pages_book_idempotently_and_both_download_the_ics(client):
    v = V()
    verified_login(client, v.doctor)
    new = reverse("support:video_new") + f"?praksis={v.w.practice.pk}"
    form = client.get(new).content.decode()
    assert str(v.slots[0].public_id) in form
    data = {
        "department": v.ward.pk,
        "cpr": "070761-4285",
        "purpose": PURPOSE,
        "video_url": URL,
        "slot": str(v.slots[0].public_id),
        "client_token": str(uuid.uuid4()),
    }
    response = client.post(new, data)
    c = VideoConsultation.objects.get()
    assert response.status_code == 302 and response.url == reverse("support:video", args=[c.public_id])
    assert client.post(new, data | {"slot": str(v.slots[1].public_id)}).status_code == 302
    assert VideoConsultation.objects.count() == 1 and Booking.objects.count() == 1
    bad = client.post(new, data | {"video_url": "ftp://x", "client_token": ""})
    assert bad.status_code == 400 and "https://" in bad.content.decode()
    for user in (v.doctor, v.w.gp):
        verified_login(client, user)
        page = client.get(response.url).content.decode()
        assert "070761-XXXX" in page and "0707614285" not in page
        assert "Blodtryk og medicin før udskrivelse &lt;efter 6 uger&gt;." in page
        ics = client.get(reverse("support:video_ics", args=[c.public_id]))
        assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
        event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
        assert str(event["location"]) == URL and str(event["uid"]) == f"{c.public_id}@video.samspil.dk"
        assert event.decoded("dtstart") == v.slots[0].starts_at
        text = ics.content.decode()
        assert "0707" not in text and "Blodtryk" not in text


def test_the_authorisation_matrix():
    v = V()
    c = book(v)
    users = {
        "doctor": v.doctor,
        "ward_secretary": v.ward_secretary,
        "gp": v.w.gp,
        "practice_secretary": v.w.practice_secretary,
        "other_gp": v.w.other_gp,
        "acute_doctor": v.w.acute_doctor,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    viewers = {"doctor", "ward_secretary", "gp", "practice_secretary"}
    allowed = {(r, "video", a) for r in viewers for a in ("view", "page", "ics")}
    actions = {
        "view": perm("support.view_videoconsultation"),
        "page": http_ok(Client, lambda o: reverse("support:video", kwargs={"public_id": o.public_id})),
        "ics": http_ok(Client, lambda o: reverse("support:video_ics", kwargs={"public_id": o.public_id})),
    }
    assert_authorisation_matrix(users=users, objects={"video": c}, actions=actions, allowed=allowed)


def test_the_list_costs_constant_queries(client):
    v = V(slots=20)
    book(v)
    verified_login(client, v.w.gp)
    url = reverse("support:video_list")
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    for i in range(1, 10):
        book(v, slot_id=v.slots[i].public_id, patient_cpr="1205731234")
    assert count() == before
    assert client.get(url).content.decode().count('class="samspil-video-row"') == 10
