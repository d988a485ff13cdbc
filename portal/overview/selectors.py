"""Mit overblik: what waits for a user across the modules, read through each module's selectors.

A fixed number of queries whatever the number of threads and conferences
(tests/overview/test_overview.py holds it to that): each section is a short list and a count.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from content import selectors as content_selectors
from portal.conferences import selectors as conference_selectors
from portal.correspondence import selectors as correspondence_selectors
from portal.correspondence.selectors import Box
from portal.events import selectors as event_selectors
from portal.feedback import selectors as feedback_selectors
from portal.outreach import selectors as outreach_selectors
from portal.referrals import coordinator_selectors
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
    handovers of treatment responsibility and proposals of the coordinating role (tovholder) to
    acknowledge."""

    to_decide: list = field(default_factory=list)
    to_decide_count: int = 0
    awaiting_practice: list = field(default_factory=list)
    handovers: list = field(default_factory=list)
    coordinator_handovers: list = field(default_factory=list)


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
class FeedbackSection:
    """Feedback on knowledge pages for me to answer, and for editors the count past its deadline."""

    to_answer_count: int = 0
    overdue_count: int | None = None  # editors only

    @property
    def shown(self) -> bool:
        return bool(self.to_answer_count or self.overdue_count)


@dataclass
class OutreachSection:
    """Orders to the outreach services the user staffs that nobody has taken yet."""

    awaiting: list = field(default_factory=list)
    awaiting_count: int = 0


@dataclass
class Overview:
    awaiting_me: ThreadSection
    overdue: ThreadSection
    awaiting_them: ThreadSection
    closed: ThreadSection
    conferences: conference_selectors.Dashboard
    referrals: ReferralSection
    stays: StaySection
    outreach: OutreachSection
    editing: content_selectors.EditorOverview | None = None  # editors only: the knowledge base
    feedback: FeedbackSection = field(default_factory=FeedbackSection)
    meetings: list = field(default_factory=list)  # coming meetings I am registered or waiting for


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
        outreach=OutreachSection(*outreach_selectors.awaiting_acknowledgement(user, limit=SECTION_LIMIT)),
        editing=_editing(user),
        feedback=_feedback_section(user),
        meetings=event_selectors.my_registrations(user, now=now, limit=SECTION_LIMIT),
    )


def _feedback_section(user) -> FeedbackSection:
    overdue = feedback_selectors.feedback_overdue().count() if feedback_selectors.is_editor(user) else None
    return FeedbackSection(feedback_selectors.feedback_to_answer_count(user), overdue)


def _editing(user):
    """The knowledge base's work for those who edit it (the Wagtail admin's users)."""
    return content_selectors.editor_overview(user) if user.has_perm("wagtailadmin.access_admin") else None


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
        # The worklist's order, filtered and cut in the database: a busy department has hundreds open.
        to_decide = referral_selectors.worklist(organisation_ids=departments, now=now, awaiting_decision=True)
        section.to_decide = referral_selectors.referral_rows(to_decide[:SECTION_LIMIT])
        section.to_decide_count = to_decide.count()
    if practices:
        section.awaiting_practice = referral_selectors.referral_rows(
            referral_selectors.practice_overview(user, in_dialogue=True)[:SECTION_LIMIT]
        )
        # Only a practice is proposed as tovholder.
        section.coordinator_handovers = coordinator_selectors.coordinator_handovers_awaiting(practices)[
            :SECTION_LIMIT
        ]
    if departments or practices:
        section.handovers = referral_selectors.handovers_awaiting([*departments, *practices])[:SECTION_LIMIT]
    return section


def waiting_count(user, *, now=None) -> int:
    """The header badge: what waits for this user's action in every module."""
    now = now or timezone.now()
    counts = correspondence_selectors.inbox_counts(user, now=now)
    referrals = referral_selectors.waiting_count(
        department_ids=[d.pk for d in referral_selectors.receiving_organisations(user)],
        practice_ids=referral_selectors.practice_ids(user),
    )
    stays = stay_selectors.stays_awaiting_answer_count(user)
    outreach = outreach_selectors.awaiting_count(user)
    return counts[Box.AWAITING_ME] + conference_selectors.waiting_count(user) + referrals + stays + outreach
