"""A year of made-up activity between practices and a department, for the demo and the benchmark.

Rows are written with ``bulk_create`` straight into the other modules' tables, in finished
states only (answered messages in closed threads, decided referrals, closed conferences with
their notes), so that nothing lands on anybody's worklist as work to do. Never used by the
portal's own flows: those go through each module's services.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from portal.accounts.models import Organisation, User
from portal.conferences.models import Conference, ConferenceNote
from portal.correspondence.models import Category, Message, Side, Thread
from portal.patients.crypto import blind_index, encrypt_cpr
from portal.patients.models import PatientReference
from portal.referrals.models import Referral, ReferralEvent

from .figures import MONTHS, month_list, period_start

# Fictitious (a date with serial 0000): one made-up patient behind all the made-up activity.
ACTIVITY_CPR = "0101900000"


@dataclass
class Activity:
    threads: int = 0
    messages: int = 0
    referrals: int = 0
    conferences: int = 0


def activity_patient() -> PatientReference:
    index = blind_index(ACTIVITY_CPR)
    patient = PatientReference.objects.filter(cpr_index=index).first()
    if patient is None:
        patient = PatientReference.objects.create(cpr_encrypted=encrypt_cpr(ACTIVITY_CPR), cpr_index=index)
    return patient


def _moments(rng: random.Random, since: datetime, now: datetime, count: int, month: int) -> list[datetime]:
    """``count`` moments in the ``month``-th month of the period, none later than two days ago."""
    first = month_list(since)[month]
    start = timezone.make_aware(datetime(first.year, first.month, first.day))
    end = min(start + timedelta(days=28), now - timedelta(days=2))
    if end <= start:
        return []
    span = (end - start).total_seconds()
    return [start + timedelta(seconds=rng.uniform(0, span)) for _i in range(count)]


def activity_create(
    *,
    practices: list[Organisation],
    department: Organisation,
    gps: dict[int, User],
    specialist: User,
    per_month: int = 4,
    seed: int = 15,
    now: datetime | None = None,
) -> Activity:
    """``per_month`` threads each way, referrals and conferences per practice and month; ``gps``
    names a GP of each practice (the author of its referrals and conferences)."""
    rng = random.Random(seed)  # noqa: S311 -- made-up data, no secret
    now = now or timezone.now()
    since = period_start(now)
    patient = activity_patient()
    done = Activity()
    for month in range(MONTHS):
        threads, messages, referrals, conferences, rerouted = [], [], [], [], []
        for practice in practices:
            for at in _moments(rng, since, now, per_month, month):
                # One thread a practice opened, answered by the department, and one the other way.
                author = gps[practice.pk].get_full_name()
                for asker, answerer in ((practice, department), (department, practice)):
                    wait = timedelta(hours=rng.lognormvariate(3.2, 0.8))
                    thread = Thread(
                        public_id=uuid.uuid4(),
                        conversation_id=uuid.uuid4(),
                        subject="Kvalitetsdemo",
                        category=Category.HEALTHCARE,
                        patient=patient,
                        sender_organisation=asker,
                        recipient_organisation=answerer,
                        status=Thread.Status.CLOSED,
                        created_at=at,
                        last_message_at=at + wait,
                        closed_at=at + wait,
                    )
                    threads.append(thread)
                    messages.append(
                        Message(
                            thread=thread,
                            side=Side.SENDER,
                            author_name=author if asker == practice else specialist.get_full_name(),
                            organisation=asker,
                            body="Spørgsmål",
                            body_html="<p>Spørgsmål</p>",
                            created_at=at,
                            due_at=at + timedelta(hours=72),
                            answered_at=at + wait,
                            answered_by_organisation=answerer,
                        )
                    )
            for at in _moments(rng, since, now, per_month, month):
                # Decided, so on nobody's worklist: accepted (some after a re-route) or returned.
                state = Referral.State.RETURNED if rng.random() < 0.2 else Referral.State.ACCEPTED
                subacute = rng.random() < 0.3
                appointment = at + timedelta(hours=rng.uniform(12, 100 if subacute else 600))
                referrals.append(
                    Referral(
                        patient=patient,
                        practice=practice,
                        author=gps[practice.pk],
                        basis=Referral.Basis.DIAGNOSIS,
                        diagnosis_code="R06.0",
                        diagnosis_text="Dyspnø",
                        clinical_text="Kvalitetsdemo",
                        urgency=Referral.Urgency.SUBACUTE if subacute else Referral.Urgency.ROUTINE,
                        destination_kind=Referral.DestinationKind.DEPARTMENT,
                        destination=department,
                        responsible_organisation=department,
                        state=state,
                        created_at=at,
                        last_step_at=at + timedelta(hours=4),
                        decided_at=at + timedelta(hours=4),
                        appointment_start=appointment if state == Referral.State.ACCEPTED else None,
                        vetoed_at=at + timedelta(hours=1) if rng.random() < 0.05 else None,
                    )
                )
                rerouted.append(rng.random() < 0.12)
            for at in _moments(rng, since, now, max(1, per_month // 2), month):
                accepted = at + timedelta(minutes=rng.uniform(2, 30))
                closed = accepted + timedelta(minutes=rng.uniform(5, 25))
                conferences.append(
                    Conference(
                        kind=Conference.Kind.DIRECT,
                        initiated_by=Conference.Initiator.PRACTICE,
                        topic="Kvalitetsdemo",
                        patient=patient,
                        urgency=Conference.Urgency.PLANNED,
                        mode=Conference.Mode.PHONE,
                        status=Conference.Status.CLOSED,
                        practice=practice,
                        department=department,
                        specialty=department.specialty,
                        health_council_area=practice.health_council_area or department.area,
                        requester=gps[practice.pk],
                        gp=gps[practice.pk],
                        specialist=specialist,
                        requested_at=at,
                        accepted_at=accepted,
                        closed_at=closed,
                    )
                )
        Thread.objects.bulk_create(threads, batch_size=1000)
        Message.objects.bulk_create(messages, batch_size=1000)
        Referral.objects.bulk_create(referrals, batch_size=1000)
        Conference.objects.bulk_create(conferences, batch_size=1000)
        events = [
            ReferralEvent(
                referral=r, kind=ReferralEvent.Kind.REROUTED, at=r.created_at + timedelta(hours=2),
                organisation=department, to_organisation=department,
            )
            for r, was_rerouted in zip(referrals, rerouted, strict=True)
            if was_rerouted
        ]  # fmt: skip
        ReferralEvent.objects.bulk_create(events, batch_size=1000)
        notes = [
            ConferenceNote(
                conference=c,
                kind=ConferenceNote.Kind.SPECIALIST_NOTE,
                author=specialist,
                author_name=specialist.get_full_name(),
                text="Kvalitetsdemo",
                written_at=c.closed_at + timedelta(hours=rng.lognormvariate(1.5, 1.0)),
            )
            for c in conferences
            if rng.random() < 0.85
        ]
        ConferenceNote.objects.bulk_create(notes, batch_size=1000)
        done.threads += len(threads)
        done.messages += len(messages)
        done.referrals += len(referrals)
        done.conferences += len(conferences)
    return done
