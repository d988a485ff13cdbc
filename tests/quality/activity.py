"""Exact activity for the figure tests: one row at a time, with the times the test names."""

from datetime import timedelta

from django.utils import timezone

from portal.accounts.roles import Role
from portal.conferences.models import Conference, ConferenceNote
from portal.correspondence.models import Category, Message, Side, Thread
from portal.quality.activity import activity_patient
from portal.referrals.models import Referral, ReferralEvent
from tests.accounts.factories import (
    DepartmentFactory,
    HealthCouncilAreaFactory,
    HospitalFactory,
    MembershipFactory,
    PracticeFactory,
    UserFactory,
    specialty,
)
from tests.quality.factories import QualityClusterFactory


def member(organisation, role=Role.GP, **fields):
    user = UserFactory(**fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


class Area:
    """An area with a department, ``in_cluster`` practices in one cluster and ``outside`` more."""

    def __init__(self, *, in_cluster: int = 6, outside: int = 1):
        self.area = HealthCouncilAreaFactory()
        self.department = DepartmentFactory(
            parent=HospitalFactory(health_council_area=self.area), specialty=specialty("kardiologi")
        )
        self.specialist = member(self.department, Role.HOSPITAL_SPECIALIST)
        self.practices = [
            PracticeFactory(health_council_area=self.area, name=f"Klyngepraksis {i}")
            for i in range(in_cluster)
        ]
        self.outside = [
            PracticeFactory(health_council_area=self.area, name=f"Områdepraksis {i}") for i in range(outside)
        ]
        self.cluster = QualityClusterFactory(practices=self.practices, health_council_area=self.area)
        self.gps = {p.pk: member(p) for p in self.practices + self.outside}

    def gp(self, practice):
        return self.gps[practice.pk]


def days_ago(days: float, hours: float = 0):
    return timezone.now() - timedelta(days=days, hours=hours)


def message(asker, answerer, *, at, wait_hours: float, due_hours: float | None = 72):
    author = "Læge" if asker.kind == "general_practice" else "Speciallæge"
    thread = Thread.objects.create(
        subject="Spørgsmål",
        category=Category.HEALTHCARE,
        sender_organisation=asker,
        recipient_organisation=answerer,
        created_at=at,
    )
    return Message.objects.create(
        thread=thread,
        side=Side.SENDER,
        author_name=author,
        organisation=asker,
        body="?",
        body_html="<p>?</p>",
        created_at=at,
        due_at=at + timedelta(hours=due_hours) if due_hours is not None else None,
        answered_at=at + timedelta(hours=wait_hours),
        answered_by_organisation=answerer,
    )


def referral(w: Area, practice, *, at, state=Referral.State.ACCEPTED, rerouted=False, veto=False, **fields):
    made = Referral.objects.create(
        patient=activity_patient(),
        practice=practice,
        author=w.gp(practice),
        basis=Referral.Basis.DIAGNOSIS,
        diagnosis_code="R06.0",
        clinical_text="Åndenød",
        urgency=fields.pop("urgency", Referral.Urgency.ROUTINE),
        destination_kind=Referral.DestinationKind.DEPARTMENT,
        destination=w.department,
        responsible_organisation=w.department,
        state=state,
        created_at=at,
        appointment_start=fields.pop("appointment_start", at + timedelta(days=10))
        if state == Referral.State.ACCEPTED
        else None,
        vetoed_at=at + timedelta(hours=1) if veto else None,
        **fields,
    )
    if rerouted:
        ReferralEvent.objects.create(
            referral=made, kind=ReferralEvent.Kind.REROUTED, at=at, organisation=w.department
        )
    return made


def conference(w: Area, practice, *, at, note_after_hours: float | None):
    made = Conference.objects.create(
        kind=Conference.Kind.DIRECT,
        initiated_by=Conference.Initiator.PRACTICE,
        topic="Hjertesvigt",
        patient=activity_patient(),
        urgency=Conference.Urgency.PLANNED,
        mode=Conference.Mode.PHONE,
        status=Conference.Status.CLOSED,
        practice=practice,
        department=w.department,
        specialty=w.department.specialty,
        health_council_area=w.area,
        requester=w.gp(practice),
        gp=w.gp(practice),
        specialist=w.specialist,
        requested_at=at,
        accepted_at=at + timedelta(minutes=5),
        closed_at=at + timedelta(minutes=20),
    )
    if note_after_hours is not None:
        ConferenceNote.objects.create(
            conference=made,
            kind=ConferenceNote.Kind.SPECIALIST_NOTE,
            author=w.specialist,
            author_name="Speciallæge",
            text="Notat",
            written_at=made.closed_at + timedelta(hours=note_after_hours),
        )
    return made
