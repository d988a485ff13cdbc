"""Reply deadlines: Danish working days, holidays and daylight-saving changes.

Expected instants are written in UTC on purpose: a wrong UTC offset on either side of
a DST change would otherwise cancel out in the comparison.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.core.deadlines import (
    ALL_WEEKDAYS,
    _resolve_wall_time,
    is_overdue,
    is_working_day,
    reply_due,
    reply_time_stats,
    working_days_between,
)

CPH = ZoneInfo("Europe/Copenhagen")

# A round-the-clock, seven-day service without holidays: the only configuration in
# which a due time can land on a DST Sunday in the small hours.
ROUND_THE_CLOCK = {
    "working_weekdays": ALL_WEEKDAYS,
    "working_day_start": time.min,
    "working_day_end": time.max,
    "public_holidays": False,
    "extra_closed_days": (),
}


def cph(*args: int) -> datetime:
    return datetime(*args, tzinfo=CPH)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- ordinary weeks ---------------------------------------------------------------


def test_plain_tuesday_is_due_on_friday_at_the_same_wall_time():
    assert reply_due(sent_at=cph(2026, 11, 17, 10, 15)) == utc(2026, 11, 20, 9, 15)


def test_friday_is_due_on_wednesday():
    due = reply_due(sent_at=cph(2026, 11, 20, 10, 15))
    assert due == utc(2026, 11, 25, 9, 15)
    assert due.tzinfo == UTC
    assert (due.astimezone(CPH).hour, due.astimezone(CPH).minute) == (10, 15)


def test_seconds_and_microseconds_are_kept():
    assert reply_due(sent_at=cph(2026, 11, 17, 10, 15, 7, 123456)) == utc(2026, 11, 20, 9, 15, 7, 123456)


@pytest.mark.parametrize(
    ("working_days", "expected"),
    [
        (1, utc(2026, 11, 18, 9)),
        (3, utc(2026, 11, 20, 9)),
        (10, utc(2026, 12, 1, 9)),
    ],
)
def test_working_days_is_configurable(working_days, expected):
    assert reply_due(sent_at=cph(2026, 11, 17, 10), working_days=working_days) == expected


def test_ten_working_days_across_christmas():
    # Tue 15 … Wed 23 are 7; 24 Dec closed, 25 + 26 holidays/weekend; Mon 28, Tue 29, Wed 30.
    assert reply_due(sent_at=cph(2026, 12, 14, 10), working_days=10) == utc(2026, 12, 30, 9)


@pytest.mark.parametrize("working_days", [0, -1])
def test_fewer_than_one_working_day_is_refused(working_days):
    with pytest.raises(ValueError, match="working_days"):
        reply_due(sent_at=cph(2026, 11, 17, 10), working_days=working_days)


def test_working_day_must_end_after_it_starts():
    with pytest.raises(ValueError, match="working_day_start"):
        reply_due(sent_at=cph(2026, 11, 17, 10), working_day_start=time(16), working_day_end=time(8))


# --- outside working hours -----------------------------------------------------------


@pytest.mark.parametrize(
    "sent", [cph(2026, 11, 17, 16, 30), cph(2026, 11, 17, 16, 0), cph(2026, 11, 17, 23, 59)]
)
def test_sent_at_or_after_16_counts_from_next_working_days_start(sent):
    # Anchor Wed 18 08:00; Thu 19, Fri 20, Mon 23.
    assert reply_due(sent_at=sent) == utc(2026, 11, 23, 7)


def test_sent_just_before_16_keeps_its_wall_time():
    assert reply_due(sent_at=cph(2026, 11, 17, 15, 59)) == utc(2026, 11, 20, 14, 59)


def test_sent_before_08_counts_from_that_days_start():
    assert reply_due(sent_at=cph(2026, 11, 17, 6, 45)) == utc(2026, 11, 20, 7)


def test_sent_friday_evening_counts_from_monday():
    assert reply_due(sent_at=cph(2026, 11, 20, 17)) == utc(2026, 11, 26, 7)


def test_sent_on_a_sunday_counts_from_mondays_start():
    # Anchor Mon 23 08:00; Tue, Wed, Thu.
    assert reply_due(sent_at=cph(2026, 11, 22, 11)) == utc(2026, 11, 26, 7)


def test_working_hours_are_configurable():
    due = reply_due(
        sent_at=cph(2026, 11, 17, 17, 30), working_day_start=time(7, 30), working_day_end=time(18)
    )
    assert due == utc(2026, 11, 20, 16, 30)


# --- Danish holidays ----------------------------------------------------------------


def test_across_easter_2026():
    # Skærtorsdag 2 Apr, Langfredag 3 Apr, 2. påskedag 6 Apr: Tue 7, Wed 8, Thu 9.
    assert reply_due(sent_at=cph(2026, 4, 1, 10)) == utc(2026, 4, 9, 8)


def test_sent_on_skaertorsdag_2026_counts_from_tuesday_after_easter():
    # Anchor Tue 7 Apr 08:00; Wed 8, Thu 9, Fri 10.
    assert reply_due(sent_at=cph(2026, 4, 2, 10)) == utc(2026, 4, 10, 6)


def test_across_christmas_2026():
    # 24 Dec closed, 25 Dec holiday, 26 Dec Saturday: Mon 28, Tue 29, Wed 30.
    assert reply_due(sent_at=cph(2026, 12, 23, 10)) == utc(2026, 12, 30, 9)


def test_across_new_year_2026_27():
    # Tue 29, Wed 30; 31 Dec closed, 1 Jan holiday, weekend: Mon 4 Jan 2027.
    assert reply_due(sent_at=cph(2026, 12, 28, 10)) == utc(2027, 1, 4, 9)


def test_extra_closed_days_can_be_switched_off():
    # Without the default extra days 24 Dec counts: Thu 24, Mon 28, Tue 29.
    assert reply_due(sent_at=cph(2026, 12, 23, 10), extra_closed_days=()) == utc(2026, 12, 29, 9)


def test_grundlovsdag_2026_is_closed_by_default():
    # Fri 5 June closed: Mon 8, Tue 9, Wed 10.
    assert reply_due(sent_at=cph(2026, 6, 4, 10)) == utc(2026, 6, 10, 8)


@pytest.mark.parametrize(
    ("name", "sent", "expected"),
    [
        # Kristi himmelfart Thu 14 May 2026: Wed 13, Fri 15, Mon 18.
        ("kristi himmelfart 2026", cph(2026, 5, 12, 10), utc(2026, 5, 18, 8)),
        # 2. pinsedag Mon 25 May 2026: Tue 26, Wed 27, Thu 28.
        ("2. pinsedag 2026", cph(2026, 5, 22, 10), utc(2026, 5, 28, 8)),
        # Kristi himmelfart Thu 6 May 2027: Fri 7, Mon 10, Tue 11.
        ("kristi himmelfart 2027", cph(2027, 5, 5, 10), utc(2027, 5, 11, 8)),
        # 2. pinsedag Mon 17 May 2027: Tue 18, Wed 19, Thu 20.
        ("2. pinsedag 2027", cph(2027, 5, 14, 10), utc(2027, 5, 20, 8)),
    ],
)
def test_ascension_and_whit_monday(name, sent, expected):
    assert reply_due(sent_at=sent) == expected


def test_store_bededag_counts_only_until_2023():
    assert not is_working_day(date(2023, 5, 5))  # Store bededag 2023
    assert is_working_day(date(2024, 4, 26))  # would have been Store bededag 2024; abolished
    assert reply_due(sent_at=cph(2023, 5, 4, 10), working_days=1) == utc(2023, 5, 8, 8)
    assert reply_due(sent_at=cph(2024, 4, 25, 10), working_days=1) == utc(2024, 4, 26, 8)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 17), True),
        (date(2026, 11, 21), False),  # Saturday
        (date(2026, 11, 22), False),  # Sunday
        (date(2026, 5, 1), True),  # 1 May: open by default
        (date(2026, 6, 5), False),  # Grundlovsdag
        (date(2026, 12, 24), False),
        (date(2026, 12, 31), False),
        (date(2027, 1, 1), False),
    ],
)
def test_is_working_day(day, expected):
    assert is_working_day(day) is expected


# --- time zones ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "sent",
    [
        utc(2026, 11, 17, 9, 15),
        cph(2026, 11, 17, 10, 15),
        datetime(2026, 11, 17, 4, 15, tzinfo=ZoneInfo("America/New_York")),
    ],
)
def test_same_instant_in_any_zone_gives_the_same_due_time(sent):
    assert reply_due(sent_at=sent) == utc(2026, 11, 20, 9, 15)


def test_working_hours_are_copenhagen_hours_not_utc_hours():
    # 07:30 UTC is 08:30 in Copenhagen: inside working hours, keeps its wall time.
    assert reply_due(sent_at=utc(2026, 11, 17, 7, 30)) == utc(2026, 11, 20, 7, 30)
    # 15:30 UTC is 16:30 in Copenhagen: after hours, counts from Wednesday 08:00.
    assert reply_due(sent_at=utc(2026, 11, 17, 15, 30)) == utc(2026, 11, 23, 7)
    # 23:30 UTC Friday is Saturday in Copenhagen.
    assert reply_due(sent_at=utc(2026, 11, 20, 23, 30)) == utc(2026, 11, 26, 7)


def test_naive_sent_at_is_refused():
    with pytest.raises(ValueError, match="aware"):
        reply_due(sent_at=datetime(2026, 11, 17, 10))


# --- daylight saving ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "sent", "expected"),
    [
        # 2026 spring forward (Sun 29 Mar): 10:00 CET Fri → 10:00 CEST Wed.
        ("spring 2026", cph(2026, 3, 27, 10), utc(2026, 4, 1, 8)),
        ("spring 2026 from Thursday", cph(2026, 3, 26, 10), utc(2026, 3, 31, 8)),
        # 2026 fall back (Sun 25 Oct): 10:00 CEST Fri → 10:00 CET Wed.
        ("autumn 2026", cph(2026, 10, 23, 10), utc(2026, 10, 28, 9)),
        # 2027 spring forward (Sun 28 Mar = Easter Sunday, with Skærtorsdag, Langfredag
        # and 2. påskedag around it): Wed 24 → Tue 30, Wed 31, Thu 1 Apr.
        ("spring 2027", cph(2027, 3, 24, 10), utc(2027, 4, 1, 8)),
        # 2027 fall back (Sun 31 Oct): Fri 29 → Mon 1, Tue 2, Wed 3 Nov.
        ("autumn 2027", cph(2027, 10, 29, 10), utc(2027, 11, 3, 9)),
    ],
)
def test_wall_clock_is_kept_across_dst_weekends(name, sent, expected):
    due = reply_due(sent_at=sent)
    assert due == expected
    assert (due.astimezone(CPH).hour, due.astimezone(CPH).minute) == (10, 0)


def test_sent_on_spring_forward_sunday_2026():
    # 01:30 UTC Sun 29 Mar = 03:30 CEST. Anchor Mon 30 08:00; Tue 31, Wed 1, then Easter:
    # Thu 2, Fri 3, Mon 6 are holidays; Tue 7 Apr 08:00 CEST.
    assert reply_due(sent_at=utc(2026, 3, 29, 1, 30)) == utc(2026, 4, 7, 6)


@pytest.mark.parametrize("sent", [utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30)])
def test_sent_in_either_repeated_hour_on_fall_back_sunday_2026(sent):
    # 02:30 CEST and 02:30 CET: both count from Mon 26 08:00 CET → Thu 29 08:00 CET.
    assert reply_due(sent_at=sent) == utc(2026, 10, 29, 7)


@pytest.mark.parametrize(
    ("name", "sent", "working_days", "expected"),
    [
        # Sat 28 Mar 2026 02:30 CET → Sun 29 Mar 02:30 does not exist → 03:00 CEST.
        ("2026", utc(2026, 3, 28, 1, 30), 1, utc(2026, 3, 29, 1)),
        ("2026 over three days", utc(2026, 3, 26, 1, 30), 3, utc(2026, 3, 29, 1)),
        # Sat 27 Mar 2027 02:30 CET → Sun 28 Mar 02:30 does not exist → 03:00 CEST.
        ("2027", utc(2027, 3, 27, 1, 30), 1, utc(2027, 3, 28, 1)),
    ],
)
def test_due_in_the_non_existent_hour_moves_to_the_first_valid_instant(name, sent, working_days, expected):
    due = reply_due(sent_at=sent, working_days=working_days, **ROUND_THE_CLOCK)
    assert due == expected
    local = due.astimezone(CPH)
    assert (local.hour, local.minute, local.utcoffset()) == (3, 0, timedelta(hours=2))


@pytest.mark.parametrize(
    ("name", "sent", "expected"),
    [
        # Sat 24 Oct 2026 02:30 CEST → Sun 25 Oct 02:30 occurs twice → the later (CET).
        ("2026", utc(2026, 10, 24, 0, 30), utc(2026, 10, 25, 1, 30)),
        # Sat 30 Oct 2027 02:30 CEST → Sun 31 Oct 02:30, the later (CET).
        ("2027", utc(2027, 10, 30, 0, 30), utc(2027, 10, 31, 1, 30)),
    ],
)
def test_due_in_the_repeated_hour_is_the_later_instant(name, sent, expected):
    due = reply_due(sent_at=sent, working_days=1, **ROUND_THE_CLOCK)
    assert due == expected
    local = due.astimezone(CPH)
    assert local.fold == 1
    assert (local.hour, local.minute, local.utcoffset()) == (2, 30, timedelta(hours=1))


def test_holidays_still_apply_to_a_seven_day_calendar():
    # Sun 28 Mar 2027 is Easter Sunday and Mon 29 is 2. påskedag: due Tue 30 02:30 CEST.
    calendar = {**ROUND_THE_CLOCK, "public_holidays": True}
    assert reply_due(sent_at=utc(2027, 3, 27, 1, 30), working_days=1, **calendar) == utc(2027, 3, 30, 0, 30)


@pytest.mark.parametrize(
    ("day", "wall", "expected"),
    [
        (date(2026, 3, 29), time(2, 0), utc(2026, 3, 29, 1)),
        (date(2026, 3, 29), time(2, 59, 59, 999999), utc(2026, 3, 29, 1)),
        (date(2026, 3, 29), time(3, 0), utc(2026, 3, 29, 1)),
        (date(2026, 3, 29), time(1, 59, 59), utc(2026, 3, 29, 0, 59, 59)),
        (date(2026, 10, 25), time(2, 0), utc(2026, 10, 25, 1)),
        (date(2026, 10, 25), time(1, 59), utc(2026, 10, 24, 23, 59)),
        (date(2026, 10, 25), time(3, 0), utc(2026, 10, 25, 2)),
        (date(2027, 3, 28), time(2, 15), utc(2027, 3, 28, 1)),
        (date(2027, 10, 31), time(2, 15), utc(2027, 10, 31, 1, 15)),
    ],
)
def test_resolve_wall_time_at_the_edges_of_the_transitions(day, wall, expected):
    # Compared in UTC: PEP 495 makes a fold=1 local time unequal to every other zone.
    assert _resolve_wall_time(day, wall, CPH).astimezone(UTC) == expected


def test_every_due_time_is_a_working_day_later_and_keeps_the_wall_time():
    """Sweep 2026-2027 in steps of 53 minutes, both DST weekends and all holidays included."""
    sent = utc(2026, 1, 1)
    while sent < utc(2028, 1, 1):
        due = reply_due(sent_at=sent)
        local_due, local_sent = due.astimezone(CPH), sent.astimezone(CPH)
        assert due > sent
        assert is_working_day(local_due.date())
        assert time(8) <= local_due.time() < time(16)
        if is_working_day(local_sent.date()) and time(8) <= local_sent.time() < time(16):
            assert local_due.time() == local_sent.time()
            assert working_days_between(sent, due) == 3
        sent += timedelta(minutes=53)


# --- working_days_between and is_overdue ----------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (cph(2026, 11, 27, 10), cph(2026, 12, 2, 9), 3),  # Fri → Wed: Mon, Tue, Wed
        (cph(2026, 11, 17, 10), cph(2026, 11, 17, 15), 0),  # same day
        (cph(2026, 11, 17, 10), cph(2026, 11, 10, 10), 0),  # end before start
        (cph(2026, 4, 1, 10), cph(2026, 4, 9, 10), 3),  # over Easter: Tue 7, Wed 8, Thu 9
        (utc(2026, 11, 20, 23, 30), utc(2026, 11, 23, 7), 1),  # Saturday in Copenhagen → Monday
    ],
)
def test_working_days_between(start, end, expected):
    assert working_days_between(start, end) == expected


def test_working_days_between_refuses_naive():
    with pytest.raises(ValueError, match="aware"):
        working_days_between(datetime(2026, 11, 17), cph(2026, 11, 20))


def test_is_overdue_only_after_the_due_instant():
    due = reply_due(sent_at=cph(2026, 11, 17, 10))
    assert not is_overdue(due_at=due, now=due - timedelta(seconds=1))
    assert not is_overdue(due_at=due, now=due)
    assert is_overdue(due_at=due, now=due + timedelta(microseconds=1))
    assert is_overdue(due_at=due, now=(due + timedelta(minutes=1)).astimezone(UTC))


def test_is_overdue_refuses_naive():
    with pytest.raises(ValueError, match="aware"):
        is_overdue(due_at=cph(2026, 11, 20, 10), now=datetime(2026, 11, 21))


# --- reply time statistics ----------------------------------------------------------


def hours(*values: float) -> list[timedelta]:
    return [timedelta(hours=value) for value in values]


@pytest.mark.parametrize(
    ("durations", "median", "p90"),
    [
        (hours(5), timedelta(hours=5), timedelta(hours=5)),
        (hours(3, 1, 2), timedelta(hours=2), timedelta(hours=3)),  # ⌈2.7⌉ = 3rd
        (hours(10, 9, 8, 7, 6, 5, 4, 3, 2, 1), timedelta(hours=5.5), timedelta(hours=9)),  # 9th of 10
        (hours(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), timedelta(hours=6), timedelta(hours=10)),  # ⌈9.9⌉ = 10th
        ([timedelta(minutes=m) for m in range(1, 21)], timedelta(minutes=10.5), timedelta(minutes=18)),
        (hours(1, 1, 1, 100), timedelta(hours=1), timedelta(hours=100)),  # ⌈3.6⌉ = 4th
    ],
)
def test_reply_time_stats(durations, median, p90):
    assert reply_time_stats(durations) == {"count": len(durations), "median": median, "p90": p90}


def test_reply_time_stats_of_nothing():
    assert reply_time_stats([]) == {"count": 0, "median": None, "p90": None}


def test_reply_time_stats_refuses_negative_durations():
    with pytest.raises(ValueError, match="negative"):
        reply_time_stats(hours(1, -1))
