"""Deadlines counted in Danish working days, shared by the login modules.

Correspondence gives every message that awaits an answer a due time (issue 5,
"Deadlines both ways"); conferences, referrals and focused stays count their deadlines
the same way. This module is pure calculation: no database, no settings, so the rule
can be tested exhaustively.

The rule, as implemented by :func:`reply_due`:

1. ``sent_at`` (aware, any time zone) is converted to local time in ``tz``
   (Europe/Copenhagen by default).
2. The *anchor* is the moment the clock starts:

   - sent on a working day between ``working_day_start`` (inclusive, default 08:00)
     and ``working_day_end`` (exclusive, default 16:00): the sending moment itself;
   - sent on a working day before ``working_day_start``: that day's start, because
     nobody is there to read it earlier;
   - sent at or after ``working_day_end``, or on a day that is not a working day:
     the start of the next working day.

3. The reply is due at the anchor's local wall-clock time on the ``working_days``-th
   working day after the anchor's day. Tuesday 10:15 + 3 → Friday 10:15; Friday
   10:15 + 3 → Wednesday 10:15; Friday 17:00 + 3 → Thursday 08:00.

A working day is a day whose weekday is in ``working_weekdays`` (Monday to Friday by
default) and that is neither a Danish public holiday (``holidays.country_holidays("DK")``,
which knows that Store bededag was abolished from 2024) nor in ``extra_closed_days``.

``extra_closed_days`` defaults to Grundlovsdag (5 June), juleaftensdag (24 December)
and nytårsaftensdag (31 December). They are not public holidays in law, but general
practices and hospital outpatient clinics are closed or run emergency cover only on
those days (the ``holidays`` package lists them only in its "optional" category),
so counting them would eat a day of the replier's time. 1 May is deliberately *not*
in the default: most practices and departments are open.

Daylight saving time. Deadlines are wall-clock times, so 10:15 on the Friday before a
change is due as 10:15 on the Wednesday after it, whatever the UTC offsets are. Local
times are built with ``datetime.combine(day, wall_time, tzinfo=ZoneInfo(tz))`` and
resolved explicitly (:func:`_resolve_wall_time`):

- a *repeated* wall time (last Sunday of October, 02:00–03:00 occurs twice) resolves
  to the later of the two instants (``fold=1``), so nobody gets less time;
- a *non-existent* wall time (last Sunday of March, 02:00–03:00 is skipped) is moved
  forward to the first valid instant, i.e. the moment the clocks jump (03:00 CEST).

With the default working week a due date is never a Sunday, so these two cases only
arise for a calendar that counts Sundays and hours around 02:00 (a round-the-clock
acute service: ``working_weekdays=ALL_WEEKDAYS, working_day_start=time.min,
working_day_end=time.max``); the handling is still explicit so that no configuration
silently produces a wrong instant.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

DEFAULT_TZ = "Europe/Copenhagen"
DEFAULT_WORKING_DAYS = 3
DEFAULT_WORKING_DAY_START = time(8, 0)
DEFAULT_WORKING_DAY_END = time(16, 0)

#: Monday = 0 … Sunday = 6, as ``date.weekday()``.
MONDAY_TO_FRIDAY = frozenset({0, 1, 2, 3, 4})
ALL_WEEKDAYS = frozenset(range(7))

#: (month, day) pairs closed in practice though not public holidays: Grundlovsdag,
#: juleaftensdag, nytårsaftensdag. See the module docstring for why.
DEFAULT_EXTRA_CLOSED_DAYS = frozenset({(6, 5), (12, 24), (12, 31)})


@lru_cache(maxsize=64)
def _danish_public_holidays(year: int) -> frozenset[date]:
    # One frozen set per year: a shared, lazily expanding HolidayBase is not thread-safe.
    return frozenset(holidays.country_holidays("DK", years=year))


def is_working_day(
    day: date,
    *,
    extra_closed_days: Iterable[tuple[int, int]] = DEFAULT_EXTRA_CLOSED_DAYS,
    working_weekdays: Iterable[int] = MONDAY_TO_FRIDAY,
    public_holidays: bool = True,
) -> bool:
    """Whether ``day`` counts towards a reply deadline (see the module docstring)."""
    if day.weekday() not in frozenset(working_weekdays):
        return False
    if (day.month, day.day) in frozenset(extra_closed_days):
        return False
    return not (public_holidays and day in _danish_public_holidays(day.year))


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got naive {value!r}")


def _resolve_wall_time(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The instant at which the clocks in ``zone`` show ``wall`` on ``day``.

    Repeated wall time → the later instant (``fold=1``); non-existent wall time → the
    first valid instant after the gap (the transition itself).
    """
    naive = datetime.combine(day, wall.replace(tzinfo=None, fold=0))
    earlier = datetime.combine(day, wall.replace(tzinfo=None, fold=0), tzinfo=zone)
    later = datetime.combine(day, wall.replace(tzinfo=None, fold=1), tzinfo=zone)
    if earlier.utcoffset() == later.utcoffset():
        return earlier  # the ordinary case: exactly one instant
    if earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive:
        return later  # repeated hour: both instants exist, give the later one
    # Non-existent hour. Per PEP 495, fold=1 reads the wall time with the offset after
    # the transition and fold=0 with the one before, so the transition lies between
    # the two readings; bisect to the microsecond for the first instant with the new
    # offset. (Transitions are on whole seconds in tzdata, so this is exact.)
    new_offset = later.utcoffset()
    low, high = later.astimezone(UTC), earlier.astimezone(UTC)
    while high - low > timedelta(microseconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == new_offset:
            high = middle
        else:
            low = middle
    return high.astimezone(zone)


def reply_due(
    *,
    sent_at: datetime,
    working_days: int = DEFAULT_WORKING_DAYS,
    tz: str = DEFAULT_TZ,
    working_day_start: time = DEFAULT_WORKING_DAY_START,
    working_day_end: time = DEFAULT_WORKING_DAY_END,
    extra_closed_days: Iterable[tuple[int, int]] = DEFAULT_EXTRA_CLOSED_DAYS,
    working_weekdays: Iterable[int] = MONDAY_TO_FRIDAY,
    public_holidays: bool = True,
) -> datetime:
    """The moment a reply to a message sent at ``sent_at`` is due.

    Rule: anchor at the sending moment, or at the next start of a working day when
    the message was sent outside working hours or on a closed day; the reply is due at
    the anchor's local wall-clock time on the ``working_days``-th working day after
    the anchor's day. DST: a repeated wall time resolves to the later instant, a
    non-existent one to the first valid instant. The module docstring has the details
    and the reasons.

    Returns an aware datetime in UTC, not in ``tz``: a local datetime in the repeated
    hour (``fold=1``) never compares *equal* to any datetime in another zone (PEP 495's
    rule for inter-zone ``==``), a trap for every caller; Django stores UTC anyway and
    shows local time on output. Raises ``ValueError`` for a naive
    ``sent_at``, ``working_days < 1`` or a working day that ends before it starts.
    """
    _require_aware(sent_at, "sent_at")
    if working_days < 1:
        raise ValueError(f"working_days must be at least 1, got {working_days}")
    if working_day_start >= working_day_end:
        raise ValueError("working_day_start must be before working_day_end")
    closed = frozenset(extra_closed_days)
    weekdays = frozenset(working_weekdays)
    if not weekdays:
        raise ValueError("working_weekdays must contain at least one weekday")

    def working(day: date) -> bool:
        return is_working_day(
            day, extra_closed_days=closed, working_weekdays=weekdays, public_holidays=public_holidays
        )

    def next_working_day(day: date) -> date:
        day += timedelta(days=1)
        while not working(day):
            day += timedelta(days=1)
        return day

    zone = ZoneInfo(tz)
    local = sent_at.astimezone(zone)
    wall = local.time().replace(fold=0)
    anchor_day = local.date()
    if not working(anchor_day) or wall >= working_day_end:
        anchor_day, wall = next_working_day(anchor_day), working_day_start
    elif wall < working_day_start:
        wall = working_day_start

    due_day = anchor_day
    for _ in range(working_days):
        due_day = next_working_day(due_day)
    return _resolve_wall_time(due_day, wall, zone).astimezone(UTC)


def working_days_between(
    start: datetime,
    end: datetime,
    *,
    tz: str = DEFAULT_TZ,
    extra_closed_days: Iterable[tuple[int, int]] = DEFAULT_EXTRA_CLOSED_DAYS,
    working_weekdays: Iterable[int] = MONDAY_TO_FRIDAY,
    public_holidays: bool = True,
) -> int:
    """Working days after ``start``'s local date up to and including ``end``'s.

    Useful for "overdue by N working days". Zero when ``end`` is on the same local
    day as ``start`` or before it. Both must be aware.
    """
    _require_aware(start, "start")
    _require_aware(end, "end")
    zone = ZoneInfo(tz)
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    closed, weekdays = frozenset(extra_closed_days), frozenset(working_weekdays)
    return sum(
        1
        for offset in range(1, (last - first).days + 1)
        if is_working_day(
            first + timedelta(days=offset),
            extra_closed_days=closed,
            working_weekdays=weekdays,
            public_holidays=public_holidays,
        )
    )


def is_overdue(*, due_at: datetime, now: datetime) -> bool:
    """Whether a reply due at ``due_at`` is overdue at ``now``; at the due instant it is not yet."""
    _require_aware(due_at, "due_at")
    _require_aware(now, "now")
    return now > due_at


def reply_time_stats(durations: Iterable[timedelta]) -> dict[str, int | timedelta | None]:
    """Count, median and 90th percentile of reply times, for the quality view.

    - ``median``: the middle value; for an even count the mean of the two middle ones.
    - ``p90``: nearest-rank 90th percentile, i.e. the ⌈0.9·n⌉-th smallest value, so it
      is always a reply time someone actually had (for n = 10 the 9th smallest).

    Empty input gives ``{"count": 0, "median": None, "p90": None}``. A negative
    duration (a reply before the question) is a data error and raises ``ValueError``.
    """
    ordered = sorted(durations)
    count = len(ordered)
    if not count:
        return {"count": 0, "median": None, "p90": None}
    if ordered[0] < timedelta(0):
        raise ValueError(f"reply times cannot be negative, got {ordered[0]}")
    middle = count // 2
    median = ordered[middle] if count % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    rank = -(-9 * count // 10)  # ⌈0.9·n⌉ in integers, no float rounding
    return {"count": count, "median": median, "p90": ordered[rank - 1]}
