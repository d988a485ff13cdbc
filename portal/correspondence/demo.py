"""Demo correspondence for `make run`: a few threads between the demo GP and the demo specialist.

Only with demo users (development). Idempotent: threads are recognised by subject.
The CPR number is fictitious (a valid date and check digit, no real person known).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from portal.accounts.models import User

from .models import Category, Thread
from .services import message_send, thread_claim, thread_close, thread_open

DEMO_CPR = "0707611006"


def _membership_organisation(user, role):
    membership = user.memberships.filter(role=role).select_related("organisation").first()
    return membership.organisation if membership else None


@transaction.atomic
def demo_correspondence_load() -> int:
    """Create the demo threads that are missing; returns how many threads the demo GP has."""
    gp = User.objects.filter(email="laege@samspil.test").first()
    specialist = User.objects.filter(email="speciallaege@samspil.test").first()
    if gp is None or specialist is None:
        return 0
    practice = _membership_organisation(gp, "gp")
    department = _membership_organisation(specialist, "hospital_specialist")
    existing = set(Thread.objects.filter(opened_by=gp).values_list("subject", flat=True))
    now = timezone.now()

    def open_(subject, body, *, days_ago, patient=True, category=Category.HEALTHCARE):
        thread, _created = thread_open(
            author=gp,
            sender_organisation=practice,
            recipient_organisation=department,
            subject=subject,
            category=category,
            body=body,
            patient_cpr=DEMO_CPR if patient else "",
            now=now - timedelta(days=days_ago),
        )
        return thread

    if "Tiltagende hukommelsesbesvær – udredning i almen praksis?" not in existing:
        open_(
            "Tiltagende hukommelsesbesvær – udredning i almen praksis?",
            "Kvinde, 78 år, med et halvt års tiltagende hukommelsesbesvær. MMSE 24.\n\n"
            "Kan udredningen færdiggøres hos os, eller skal hun henvises?",
            days_ago=0,
        )
    if "Seponering af benzodiazepin hos skrøbelig ældre" not in existing:
        thread = open_(
            "Seponering af benzodiazepin hos skrøbelig ældre",
            "Hvordan vil I anbefale at nedtrappe oxazepam 15 mg x 2 hos en 85-årig?",
            days_ago=1,
            category=Category.MEDICINE,
        )
        message_send(
            thread=thread,
            author=specialist,
            body="Nedtrap med 25 % hver anden uge, og følg op på søvn og uro. Ring gerne ved tvivl.",
            now=now - timedelta(hours=20),
        )
    if "Fald i hjemmet – behov for geriatrisk vurdering" not in existing:
        open_(
            "Fald i hjemmet – behov for geriatrisk vurdering",
            "Tre fald på to måneder. Ønskes vurderet i geriatrisk ambulatorium?",
            days_ago=9,
        )
    if "Generelt: henvisning til faldklinik" not in existing:
        thread = open_(
            "Generelt: henvisning til faldklinik",
            "Hvilke oplysninger skal en henvisning til faldklinikken indeholde?",
            days_ago=14,
            patient=False,
        )
        thread_claim(thread=thread, user=specialist, now=now - timedelta(days=13))
        message_send(
            thread=thread,
            author=specialist,
            body="Medicinliste, faldanamnese og gerne en TUG-test.",
            awaits_reply=False,
            now=now - timedelta(days=13),
        )
        thread_close(
            thread=thread,
            actor=gp,
            summary="Besvaret; tjekliste lagt i klinikmanualen.",
            now=now - timedelta(days=12),
        )
    return Thread.objects.filter(opened_by=gp).count()
