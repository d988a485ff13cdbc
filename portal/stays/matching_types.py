"""The matching solver's vocabulary: needs, offers, the problem, the proposal and its reasons.

Pure data with no Django models, so that the solver runs (and is tested and benchmarked)
without a database; ``portal.stays.matching`` re-exports every name here.

Weeks are counted as consecutive integers from a fixed Monday (``EPOCH``), so a stay of
length L starting at week s occupies weeks s .. s+L-1 whatever the year boundaries.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext

EPOCH = datetime.date(2000, 1, 3)  # a Monday

REASON_NO_PRACTICE_FOR_SPECIALTY = "no_practice_for_specialty"
REASON_NO_CAPACITY_IN_WINDOW = "no_capacity_in_window"
REASON_WINDOW_TOO_SHORT = "window_too_short"
REASON_ALL_FORBIDDEN = "all_forbidden"
REASON_PIN_IMPOSSIBLE = "pin_impossible"
REASON_OUTCOMPETED = "outcompeted"
# Pins that are each possible but cannot all hold at once; the whole proposal is "infeasible".
REASON_PIN_CONFLICT = "pin_conflict"
# The solver found no solution at all within its time limit (status "unknown").
REASON_NOT_SOLVED = "not_solved"


def gettext_noop(message: str) -> str:
    """Django's own ``gettext_noop`` reads the settings at import time; this one does not, so
    the solver and its benchmark import without Django, and makemessages still finds the
    strings by the name."""
    return message


# Marked with gettext_noop so that makemessages finds them; translated when read (``message``),
# so the text follows the language active where the proposal is shown, not where it was solved.
PINNED_TWICE_MESSAGE = gettext_noop("The need is pinned to more than one practice; keep one of the pins.")
REASON_MESSAGES = {
    REASON_NO_PRACTICE_FOR_SPECIALTY: gettext_noop("No host practice welcomes this specialty."),
    REASON_NO_CAPACITY_IN_WINDOW: gettext_noop(
        "No practice that welcomes the specialty has free weeks for the whole stay within the time window."
    ),
    REASON_WINDOW_TOO_SHORT: gettext_noop("The time window is shorter than the stay."),
    REASON_ALL_FORBIDDEN: gettext_noop(
        "Every practice that could host the stay has been ruled out for this trainee."
    ),
    REASON_PIN_IMPOSSIBLE: gettext_noop(
        "The pinned practice cannot host this stay: it does not welcome the specialty, has no free "
        "weeks for the whole stay within the time window, or has been ruled out for this trainee."
    ),
    REASON_OUTCOMPETED: gettext_noop("Possible on its own, but the free weeks went to other trainees."),
    REASON_PIN_CONFLICT: gettext_noop(
        "The pinned practices cannot take all of these trainees in their time windows (together with "
        "need %(needs)s); remove or change one of the pins."
    ),
    REASON_NOT_SOLVED: gettext_noop(
        "The matching found no solution within its time limit; run it again with more time."
    ),
}
REASONS = frozenset(REASON_MESSAGES)


def week_index(d: datetime.date) -> int:
    """The week ``d`` falls in, counted in whole weeks from ``EPOCH`` (negative before it)."""
    if isinstance(d, datetime.datetime):
        d = d.date()
    return (d - EPOCH).days // 7


def week_start(index: int) -> datetime.date:
    """The Monday of week ``index``: ``week_index(week_start(i)) == i``."""
    return EPOCH + datetime.timedelta(weeks=index)


@dataclass(frozen=True)
class Need:
    """A trainee's registered stay need."""

    id: int
    specialty: str  # compared with Practice.specialties
    earliest_week: int  # first week the stay may start
    latest_week: int  # last week the stay may end in (inclusive)
    length_weeks: int = 2
    origin: tuple[float, float] | None = None  # (lat, lon) of the trainee's department
    preferred_areas: frozenset[str] = frozenset()
    preferred_practice_types: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Practice:
    """A host practice's offer."""

    id: int
    capacity: Mapping[int, int]  # week index -> trainees at once that week (missing = 0)
    specialties: frozenset[str]  # specialties it welcomes; empty = none
    location: tuple[float, float] | None = None
    area: str = ""
    practice_type: str = ""


@dataclass(frozen=True)
class Problem:
    """What the coordinator asks for. The weights are in kilometre-equivalents: a need in a
    preferred area is worth ``area_bonus_km`` more kilometres of travel, and every stay beyond
    the first at one practice costs ``fairness_km`` times its rank (see ``matching``)."""

    needs: Sequence[Need]
    practices: Sequence[Practice]
    pinned: frozenset[tuple[int, int]] = frozenset()  # (need_id, practice_id) that must be used
    forbidden: frozenset[tuple[int, int]] = frozenset()  # (need_id, practice_id) that must not
    time_limit_s: float = 30.0
    workers: int = 2
    area_bonus_km: int = 50
    practice_type_bonus_km: int = 30
    fairness_km: int = 15
    # Only the K best eligible practices per need (by distance less preference bonus) enter the
    # model; pinned practices always do. None keeps every eligible practice.
    nearest_practices: int | None = 25
    # When a practice or origin has no coordinates: the distance counted for that pair.
    unknown_distance_km: int = 150
    random_seed: int = 0


@dataclass(frozen=True)
class Assignment:
    need_id: int
    practice_id: int
    start_week: int
    length_weeks: int
    distance_km: float | None


@dataclass(frozen=True)
class Infeasible:
    """A need left without a stay, and why (one of the REASON_* codes)."""

    need_id: int
    reason: str
    # REASON_PIN_CONFLICT: the other pinned needs of the conflict; empty when the need itself is
    # pinned to more than one practice.
    related_need_ids: tuple[int, ...] = ()

    @property
    def message(self) -> str:
        """The reason in the active language (Danish by default)."""
        if self.reason == REASON_PIN_CONFLICT:
            if not self.related_need_ids:
                return gettext(PINNED_TWICE_MESSAGE)
            needs = ", ".join(str(i) for i in self.related_need_ids)
            return gettext(REASON_MESSAGES[self.reason]) % {"needs": needs}
        return gettext(REASON_MESSAGES[self.reason])


@dataclass(frozen=True)
class Proposal:
    assignments: tuple[Assignment, ...]
    unassigned: tuple[Infeasible, ...]
    status: str  # "optimal" | "feasible" | "infeasible" (pins contradict) | "unknown"
    objective: float | None
    best_bound: float | None
    gap: float | None  # relative optimality gap, 0.0 when optimal
    wall_time_s: float
    build_time_s: float = 0.0  # of wall_time_s: pruning and building the model
    variables: int = 0  # (need, practice, start) choices that entered the model
