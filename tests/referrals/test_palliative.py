"""Palliative handover (issue 14): the hospital proposes after a phone agreement that the GP
takes over a palliative patient; a GP of the practice accepts; the handover is recorded with the
agreed plan. The referrals' ``ResponsibilityHandover`` of kind palliative, not a new model."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from portal.accounts.roles import Role
from portal.audit.models import AccessLogEntry
from portal.outbox.models import OutboxEmail
from portal.patients.models import PatientReference
from portal.referrals import palliative_services as services
from portal.referrals import services as referral_services
from portal.referrals.models import ResponsibilityHandover
from tests.accounts.factories import DepartmentFactory, PracticeFactory, UserFactory
from tests.accounts.login import verified_login
from tests.authz import assert_authorisation_matrix, http_ok, perm
from tests.bookings.factories import member

pytestmark = pytest.mark.django_db

CPR = "0707614285"
PLAN = "Morfin 5 mg s.c. ved behov <max 6 gange/døgn>.\nHjemmeplejen & palliativt team kontaktes ved uro."


class W:
    def __init__(self):
        self.department = DepartmentFactory(name="Onkologi")
        self.practice, self.other_practice = PracticeFactory(name="Lægerne i Trøjborg"), PracticeFactory()
        self.doctor = member(self.department, Role.HOSPITAL_SPECIALIST, first_name="Peter")
        self.secretary = member(self.department, Role.MEDICAL_SECRETARY, first_name="Mette")
        self.gp = member(self.practice, Role.GP, first_name="Hanne")
        self.practice_secretary = member(self.practice, Role.MEDICAL_SECRETARY, first_name="Sif")
        self.other_gp = member(self.other_practice, Role.GP)
        self.other_specialist = member(DepartmentFactory(), Role.HOSPITAL_SPECIALIST)


def propose(w, **fields) -> ResponsibilityHandover:
    data = {
        "actor": w.doctor,
        "department": w.department,
        "practice": w.practice,
        "patient_cpr": CPR,
        "plan": PLAN,
        "phone_agreement": "Hanne Mikkelsen, 1. december kl. 14.30",
    } | fields
    handover, _created = services.palliative_handover_propose(**data)
    return handover


def test_the_hospital_proposes_and_the_gp_accepts_with_the_agreed_plan():
    w = W()
    handover = propose(w)
    assert handover.kind == "palliative" and handover.referral is None and handover.plan == PLAN
    assert handover.is_open and handover.from_organisation == w.department
    email = OutboxEmail.objects.get(to=[w.gp.email])  # the GPs decide, not the secretaries
    assert "palliativ patient" in email.body and str(handover.public_id) in email.body
    assert CPR not in email.body and "Morfin" not in email.body
    accepted = services.palliative_handover_accept(handover=handover, actor=w.gp)
    assert accepted.acknowledged_by == w.gp and not accepted.is_open
    assert (
        AccessLogEntry.objects.filter(
            object_type="referrals.responsibilityhandover", action__in=["create", "change"]
        ).count()
        == 2
    )
    with translation.override("da"), pytest.raises(ValidationError, match="allerede accepteret"):
        services.palliative_handover_accept(handover=handover, actor=w.gp)


def test_only_a_gp_of_the_practice_accepts_and_only_a_hospital_clinician_proposes():
    w = W()
    handover = propose(w)
    for outsider in (w.practice_secretary, w.other_gp, w.doctor, w.other_specialist):
        with pytest.raises(PermissionDenied):
            services.palliative_handover_accept(handover=handover, actor=outsider)
    for outsider in (w.secretary, w.gp, w.other_specialist):
        with pytest.raises(PermissionDenied):
            propose(w, actor=outsider, patient_cpr="1205731234")
    handover.refresh_from_db()
    assert handover.is_open and ResponsibilityHandover.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"plan": " \n"}, "Den aftalte plan skal udfyldes"),
        ({"plan": "x" * 5001}, "5000"),
        ({"phone_agreement": ""}, "Telefonaftalen skal udfyldes"),
        ({"patient_cpr": "3213001234"}, "CPR"),
        ({"practice": None}, "Vælg patientens lægepraksis"),
    ],
)
def test_bad_input_is_a_danish_refusal_with_nothing_saved(fields, message):
    w = W()
    with translation.override("da"), pytest.raises(ValidationError) as error:
        propose(w, **fields)
    assert message in " ".join(error.value.messages)
    assert not ResponsibilityHandover.objects.exists()
    assert not PatientReference.objects.exists() or "patient_cpr" not in fields


def test_one_open_offer_per_patient_and_the_same_submit_twice_gives_one():
    w = W()
    token = uuid.uuid4()
    first = propose(w, client_token=token)
    assert propose(w, client_token=token).pk == first.pk
    with translation.override("da"), pytest.raises(ValidationError, match="afventer allerede"):
        propose(w)
    with pytest.raises(IntegrityError), transaction.atomic():  # the database says so too
        ResponsibilityHandover.objects.create(
            kind="palliative",
            patient=first.patient,
            plan="x",
            from_organisation=w.department,
            to_organisation=w.other_practice,
            proposed_by=w.doctor,
        )
    assert ResponsibilityHandover.objects.count() == 1


def test_a_palliative_handover_must_have_a_patient_and_a_plan_and_no_referral():
    w = W()
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponsibilityHandover.objects.create(
            kind="palliative",
            from_organisation=w.department,
            to_organisation=w.practice,
            proposed_by=w.doctor,
            plan="x",
        )


def test_the_reminder_links_the_palliative_page_and_the_referral_lists_leave_it_out(client):
    w = W()
    handover = propose(w)
    later = timezone.now() + timedelta(days=5)
    assert referral_services.handover_reminders_send(now=later) == 1
    reminder = OutboxEmail.objects.filter(key__contains="handover-reminder").first()
    assert reminder is not None and f"/henvisninger/palliativ/{handover.public_id}/" in reminder.body
    verified_login(client, w.gp)
    assert client.get(reverse("referrals:overview")).status_code == 200


def test_the_pages_propose_accept_and_show_the_plan_escaped(client):
    w = W()
    verified_login(client, w.doctor)
    data = {
        "department": w.department.pk,
        "practice": w.practice.pk,
        "cpr": "070761-4285",
        "phone_agreement": "Hanne, kl. 14.30",
        "plan": PLAN,
        "client_token": str(uuid.uuid4()),
    }
    response = client.post(reverse("referrals:palliative_new"), data)
    handover = ResponsibilityHandover.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "referrals:palliative", args=[handover.public_id]
    )
    assert client.post(reverse("referrals:palliative_new"), data).status_code == 302  # idempotent
    assert ResponsibilityHandover.objects.count() == 1
    bad = client.post(reverse("referrals:palliative_new"), data | {"plan": "", "client_token": ""})
    assert bad.status_code == 400 and "Dette felt er påkrævet" in bad.content.decode()
    verified_login(client, w.gp)
    page = client.get(response.url).content.decode()
    assert "070761-XXXX" in page and "0707614285" not in page
    assert (
        "Morfin 5 mg s.c. ved behov &lt;max 6 gange/døgn&gt;." in page
        and "Hjemmeplejen &amp; palliativt" in page
    )
    assert "Behandlingsansvar: Onkologi" in page
    assert client.post(reverse("referrals:palliative_accept", args=[handover.public_id])).status_code == 302
    page = client.get(response.url).content.decode()
    assert "Behandlingsansvar: Lægerne i Trøjborg" in page and "Accepteret af" in page
    again = client.post(reverse("referrals:palliative_accept", args=[handover.public_id]), follow=True)
    assert "allerede accepteret" in again.content.decode()
    listing = client.get(reverse("referrals:palliative_list")).content.decode()
    assert str(handover.public_id) in listing and "0707" not in listing


def test_the_authorisation_matrix():
    w = W()
    objects = {"open": propose(w), "accepted": propose(w, patient_cpr="1205731234")}
    services.palliative_handover_accept(handover=objects["accepted"], actor=w.gp)
    objects["accepted"].refresh_from_db()
    users = {
        "doctor": w.doctor,
        "secretary": w.secretary,
        "gp": w.gp,
        "practice_secretary": w.practice_secretary,
        "other_gp": w.other_gp,
        "other_specialist": w.other_specialist,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    viewers = {"doctor", "secretary", "gp", "practice_secretary"}
    allowed = {(r, name, a) for r in viewers for name in objects for a in ("view", "page")}
    allowed |= {("gp", "open", "accept")}
    actions = {
        "view": perm("referrals.view_palliative_handover"),
        "accept": perm("referrals.accept_palliative_handover"),
        "page": http_ok(Client, lambda h: reverse("referrals:palliative", kwargs={"public_id": h.public_id})),
    }
    assert_authorisation_matrix(users=users, objects=objects, actions=actions, allowed=allowed)


def test_outsiders_posts_are_404_and_change_nothing(client):
    w = W()
    handover = propose(w)
    for outsider in (w.other_gp, w.other_specialist, UserFactory(is_superuser=True, is_staff=True)):
        verified_login(client, outsider)
        assert (
            client.post(reverse("referrals:palliative_accept", args=[handover.public_id])).status_code == 404
        )
        assert (
            client.get(reverse("referrals:palliative_list")).content.decode().count(str(handover.public_id))
            == 0
        )
    handover.refresh_from_db()
    assert handover.is_open
