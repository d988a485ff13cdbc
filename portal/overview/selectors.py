"""Mit overblik: what waits for a user across the modules, read through each module's selectors.

A fixed number of queries whatever the number of threads and conferences
(tests/overview/test_overview.py holds it to that): each section is a short list and a count.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from portal.conferences import selectors as conference_selectors
from portal.correspondence import selectors as correspondence_selectors
from portal.correspondence.selectors import Box
from portal.referrals import selectors as referral_selectors
from portal.stays import selectors as stay_selectors

SECTION_LIMIT = 5


@dataclass
class ThreadSection:
    box: str
    count: int
    rows: list = field(default_factory=list)


@dataclass
class ReferralSection:
    """Referrals awaiting my department's decision, the practice's that await us (a dialogue), and
    handovers of treatment responsibility to acknowledge."""

    to_decide: list = field(default_factory=list)
    to_decide_count: int = 0
    awaiting_practice: list = field(default_factory=list)
    handovers: list = field(default_factory=list)


@dataclass
class StaySection:
    """Focused stays: published stays awaiting my answer (trainee or host GP), and for a
    coordinator the needs awaiting a practice in each region."""

    awaiting_answer: list = field(default_factory=list)
    awaiting_answer_count: int = 0
    regions: list = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return bool(self.awaiting_answer or self.regions)


@dataclass
class Overview:
    awaiting_me: ThreadSection
    overdue: ThreadSection
    awaiting_them: ThreadSection
    closed: ThreadSection
    conferences: conference_selectors.Dashboard
    referrals: ReferralSection
    stays: StaySection


def _thread_section(user, box: str, count: int, now) -> ThreadSection:
    if not count:
        return ThreadSection(box, 0)
    ids = list(correspondence_selectors.inbox(user, box=box, now=now)[:SECTION_LIMIT])
    return ThreadSection(box, count, correspondence_selectors.inbox_rows(user, ids, now=now))


def overview(user, *, now=None) -> Overview:
    now = now or timezone.now()
    counts = correspondence_selectors.inbox_counts(user, now=now)
    return Overview(
        awaiting_me=_thread_section(user, Box.AWAITING_ME, counts[Box.AWAITING_ME], now),
        overdue=_thread_section(user, Box.OVERDUE, counts[Box.OVERDUE], now),
        awaiting_them=_thread_section(user, Box.AWAITING_THEM, counts[Box.AWAITING_THEM], now),
        closed=_thread_section(user, Box.CLOSED, counts[Box.CLOSED], now),
        conferences=conference_selectors.dashboard(user),
        referrals=_referral_section(user, now),
        stays=_stay_section(user),
    )


def _stay_section(user) -> StaySection:
    rows, count = stay_selectors.stays_awaiting_answer(user, limit=SECTION_LIMIT)
    return StaySection(
        awaiting_answer=rows, awaiting_answer_count=count, regions=stay_selectors.open_needs_by_region(user)
    )


def _referral_section(user, now) -> ReferralSection:
    departments = [d.pk for d in referral_selectors.receiving_organisations(user)]
    practices = referral_selectors.practice_ids(user)
    section = ReferralSection()
    if departments:
        to_decide = [
            r
            for r in referral_selectors.worklist(organisation_ids=departments, now=now)
            if r.state in r.AWAITING_DECISION
        ]
        section.to_decide, section.to_decide_count = to_decide[:SECTION_LIMIT], len(to_decide)
    if practices:
        section.awaiting_practice = [
            r for r in referral_selectors.practice_overview(user) if r.state == r.State.DIALOGUE
        ][:SECTION_LIMIT]
    if departments or practices:
        section.handovers = referral_selectors.handovers_awaiting([*departments, *practices])[:SECTION_LIMIT]
    return section


def waiting_count(user, *, now=None) -> int:
    """The header badge: what waits for this user's action in every module."""
    now = now or timezone.now()
    counts = correspondence_selectors.inbox_counts(user, now=now)
    board = conference_selectors.dashboard(user)
    referrals = referral_selectors.waiting_count(
        department_ids=[d.pk for d in referral_selectors.receiving_organisations(user)],
        practice_ids=referral_selectors.practice_ids(user),
    )
    own_tasks = sum(1 for task in board.tasks if task.own_note_missing(user.pk))
    stays = stay_selectors.stays_awaiting_answer_count(user)
    return counts[Box.AWAITING_ME] + len(board.waiting_for_me) + own_tasks + referrals + stays
