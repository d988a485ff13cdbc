"""The demo conferences: a roster that answers "who is on now", a conference in every state, idempotent."""

import pytest
from django.utils import timezone

from portal.accounts.demo import demo_organisations_load, demo_users_load
from portal.accounts.models import HealthCouncilArea, Specialty
from portal.conferences import selectors
from portal.conferences.case_session_selectors import case_sessions_for
from portal.conferences.demo import demo_conferences_load
from portal.conferences.drop_in_selectors import drop_in_calendar
from portal.conferences.models import CaseSession, Conference, DropInHour, DutyPeriod, SessionCase

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_roster_and_conferences_in_every_state_and_loads_twice():
    demo_users_load(demo_organisations_load())
    first = demo_conferences_load()
    periods = DutyPeriod.objects.count()
    assert demo_conferences_load() == first == 5
    assert DutyPeriod.objects.count() == periods
    on_now = selectors.on_duty(
        specialty=Specialty.objects.get(slug="geriatri"),
        area=HealthCouncilArea.objects.get(slug="sundhedsraad-aarhus"),
        at=timezone.now(),
    ).get()
    assert on_now.specialist.email == "speciallaege@samspil.test"
    assert set(Conference.objects.values_list("status", flat=True)) == {"requested", "open", "closed"}
    assert Conference.objects.filter(initiated_by="hospital").exists()
    gp = Conference.objects.filter(initiated_by="practice").first().gp
    board = selectors.dashboard(gp)
    assert board.open and board.tasks and board.waiting_for_me and board.sent
    # A drop-in hour today, not over, in the demo GP's calendar; loading twice makes no second.
    drop_in = DropInHour.objects.get()
    assert timezone.localtime(drop_in.starts_at).date() == timezone.localdate()
    assert not drop_in.is_over()
    assert drop_in in drop_in_calendar(gp)
    # Joint case sessions: one upcoming with two submitted cases, one held with published minutes.
    assert CaseSession.objects.count() == 2
    sessions = case_sessions_for(gp)
    upcoming = sessions.upcoming[0]
    assert SessionCase.objects.filter(session=upcoming, status="submitted").count() == 2
    held = sessions.past[0]
    assert held.minutes_published_at is not None
    assert SessionCase.objects.get(session=held).answer
