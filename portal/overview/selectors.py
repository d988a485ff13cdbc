"""Mit overblik: what waits for a user across the modules, read through each module's selectors.

A fixed number of queries whatever the number of threads and conferences
(tests/overview/test_overview.py holds it to that): each section is a short list and a count.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from portal.conferences import selectors as conference_selectors
from portal.correspondence import selectors as correspondence_selectors
from portal.correspondence.selectors import Box

SECTION_LIMIT = 5


@dataclass
class ThreadSection:
    box: str
    count: int
    rows: list = field(default_factory=list)


@dataclass
class Overview:
    awaiting_me: ThreadSection
    overdue: ThreadSection
    awaiting_them: ThreadSection
    closed: ThreadSection
    conferences: conference_selectors.Dashboard


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
    )


def waiting_count(user, *, now=None) -> int:
    """The header badge alone: two counting queries, no rows."""
    now = now or timezone.now()
    counts = correspondence_selectors.inbox_counts(user, now=now)
    board = conference_selectors.dashboard(user)
    return counts[Box.AWAITING_ME] + len(board.waiting_for_me) + len(board.tasks)
