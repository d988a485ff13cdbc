"""Reads of joint case sessions: a user's list, and one session with its participants and cases.

Each is a fixed number of queries whatever the number of sessions, participants or cases.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from portal.accounts.models import User

from .models import CASE_SESSION_MAX_MINUTES, CaseSession, CaseSessionParticipant, SessionCase
from .rules import gp_area_ids

LIST_LIMIT = 50
PAST_DAYS = 180


def case_session_for_view() -> QuerySet[CaseSession]:
    return CaseSession.objects.select_related(
        "organiser", "department__parent", "specialty", "health_council_area"
    )


@dataclass
class CaseSessionList:
    upcoming: list[CaseSession]
    past: list[CaseSession]  # the user's own (organised, signed up), latest first


def case_sessions_for(user: User, *, now: datetime | None = None) -> CaseSessionList:
    """Sessions not yet over in the user's GP areas or organised by them or signed up for, and
    the user's own of the last half year. Each carries ``is_signed_up`` and ``case_count``
    (waiting or on the agenda). One query (plus the cached memberships)."""
    if not user.is_authenticated:
        return CaseSessionList([], [])
    now = now or timezone.now()
    signed_up = CaseSessionParticipant.objects.filter(session=OuterRef("pk"), gp=user)
    mine = Q(organiser=user) | Q(Exists(signed_up))
    not_over = Q(starts_at__gt=now - timedelta(minutes=CASE_SESSION_MAX_MINUTES))
    rows = (
        case_session_for_view()
        .filter(
            (not_over & (Q(health_council_area_id__in=gp_area_ids(user)) | mine))
            | (mine & Q(starts_at__gte=now - timedelta(days=PAST_DAYS)))
        )
        .annotate(
            is_signed_up=Exists(signed_up),
            case_count=Count("cases", filter=~Q(cases__status=SessionCase.Status.DECLINED)),
        )
        .order_by("starts_at", "pk")[: LIST_LIMIT * 2]
    )
    upcoming, past = [], []
    for session in rows:
        (past if session.ends_at <= now else upcoming).append(session)
    return CaseSessionList(upcoming=upcoming[:LIST_LIMIT], past=list(reversed(past))[:LIST_LIMIT])


@dataclass
class CaseSessionPage:
    participants: list[CaseSessionParticipant]
    cases: list[SessionCase]  # every case; the view shows each only where the rules allow

    @property
    def agenda(self) -> list[SessionCase]:
        return sorted(
            (c for c in self.cases if c.status == SessionCase.Status.ACCEPTED),
            key=lambda c: c.agenda_position,
        )


def case_session_page(session: CaseSession) -> CaseSessionPage:
    """Participants and cases of a session, two queries. The session is set on each case and
    the participants' ids on the session, so the rules that read them ask nothing more."""
    participants = list(session.participants.select_related("gp").order_by("pk"))
    session._participant_ids = {p.gp_id for p in participants}
    cases = list(session.cases.select_related("submitter").order_by("submitted_at", "pk"))
    for case in cases:
        case.session = session
    return CaseSessionPage(participants=participants, cases=cases)
