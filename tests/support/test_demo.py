"""The demo gives the demo GP's practice next-day acute times and video times and, in development,
an acute reception secretary with one red note booked on them, one video consultation and one
open palliative handover; loading twice changes nothing."""

from datetime import datetime

import pytest
from django.utils import timezone

from portal.accounts.demo import demo_organisations_load, demo_users_load
from portal.bookings.models import Resource
from portal.support.demo import demo_support_load
from portal.support.models import AcuteSlotNote

pytestmark = pytest.mark.django_db


def test_the_demo_acute_times_and_red_note_load_twice(monkeypatch):
    # A Tuesday morning, so that the next two days have working-day acute times.
    tuesday = timezone.make_aware(datetime(2026, 12, 8, 7, 0))
    monkeypatch.setattr(timezone, "now", lambda: tuesday)
    demo_users_load(demo_organisations_load())
    assert demo_support_load() == 1
    slots = Resource.objects.get(kind=Resource.Kind.ACUTE_SLOT).slots.count()
    assert demo_support_load() == 1
    assert Resource.objects.get(kind=Resource.Kind.ACUTE_SLOT).slots.count() == slots > 0
    note = AcuteSlotNote.objects.get()
    assert note.colour == "red" and note.booking.is_active
    assert note.practice.name == "Lægerne i Trøjborg" and note.author.email == "akutsekretaer@samspil.test"


def test_the_demo_proposes_the_demo_practice_as_tovholder_once(monkeypatch):
    from portal.referrals.models import ResponsibilityHandover

    demo_users_load(demo_organisations_load())
    demo_support_load()
    demo_support_load()
    proposal = ResponsibilityHandover.objects.get(kind="coordinator")
    assert proposal.is_open and proposal.to_organisation.name == "Lægerne i Trøjborg"
    assert proposal.from_organisation.kind == "department" and "KOL" in proposal.plan
