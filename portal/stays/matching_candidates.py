"""Which (need, practice, start week) choices are possible at all, before any model is built.

A choice survives when the practice welcomes the need's specialty, the pair is not forbidden,
the stay starts and ends inside the need's window and the practice has capacity in every week
the stay covers. What is left for each need is cut to the K practices with the lowest cost
(distance less preference bonus); pinned practices are always kept. The reason a need has no
choice at all is decided here too, from the same facts, so that model and explanation agree.
"""

import bisect
import heapq
import math
from collections import defaultdict
from dataclasses import dataclass

from .matching_types import (
    REASON_ALL_FORBIDDEN,
    REASON_NO_CAPACITY_IN_WINDOW,
    REASON_NO_PRACTICE_FOR_SPECIALTY,
    REASON_PIN_IMPOSSIBLE,
    REASON_WINDOW_TOO_SHORT,
    Need,
    Practice,
    Problem,
)

EARTH_RADIUS_KM = 6371.0088


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class Choice:
    """One practice a need could go to, with every start week that fits."""

    practice_id: int
    starts: tuple[int, ...]
    distance_km: float | None
    score: int  # preference bonus less distance, in whole km: higher is better


@dataclass
class Candidates:
    choices: dict[int, list[Choice]]  # need id -> choices (empty: see reasons)
    reasons: dict[int, str]  # need id -> REASON_* for needs without any choice
    pinned_practice: dict[int, int]  # need id -> its one possible pinned practice
    multiply_pinned: dict[int, tuple[int, ...]]  # need id -> practices, when pinned to several


class _Runs:
    """Start weeks of free runs per practice and stay length, computed once and shared."""

    def __init__(self, practices: dict[int, Practice]):
        self._practices = practices
        self._cache: dict[tuple[int, int], list[int]] = {}

    def starts(self, practice_id: int, length: int) -> list[int]:
        key = (practice_id, length)
        if key not in self._cache:
            capacity = self._practices[practice_id].capacity
            open_weeks = {w for w, c in capacity.items() if c >= 1}
            self._cache[key] = sorted(
                s for s in open_weeks if all(s + i in open_weeks for i in range(length))
            )
        return self._cache[key]

    def starts_in_window(self, practice_id: int, need: Need) -> tuple[int, ...]:
        runs = self.starts(practice_id, need.length_weeks)
        first, last = need.earliest_week, need.latest_week - need.length_weeks + 1
        return tuple(runs[bisect.bisect_left(runs, first) : bisect.bisect_right(runs, last)])


def _score(need: Need, practice: Practice, distance_km: float | None, problem: Problem) -> int:
    bonus = 0
    if practice.area and practice.area in need.preferred_areas:
        bonus += problem.area_bonus_km
    if practice.practice_type and practice.practice_type in need.preferred_practice_types:
        bonus += problem.practice_type_bonus_km
    km = problem.unknown_distance_km if distance_km is None else distance_km
    return bonus - round(km)


def _distance(need: Need, practice: Practice) -> float | None:
    if need.origin is None or practice.location is None:
        return None
    return haversine_km(need.origin, practice.location)


def find_candidates(problem: Problem) -> Candidates:
    practices = {p.id: p for p in problem.practices}
    if len(practices) != len(problem.practices):
        raise ValueError("practice ids must be unique")
    if len({n.id for n in problem.needs}) != len(problem.needs):
        raise ValueError("need ids must be unique")
    by_specialty: dict[str, list[int]] = defaultdict(list)
    for p in problem.practices:
        for specialty in p.specialties:
            by_specialty[specialty].append(p.id)
    pins: dict[int, set[int]] = defaultdict(set)
    for need_id, practice_id in problem.pinned:
        pins[need_id].add(practice_id)
    runs = _Runs(practices)
    result = Candidates(choices={}, reasons={}, pinned_practice={}, multiply_pinned={})
    limit = problem.nearest_practices

    for need in problem.needs:
        pinned = pins.get(need.id, set())
        if len(pinned) > 1:
            result.multiply_pinned[need.id] = tuple(sorted(pinned))
            result.choices[need.id] = []
            continue
        welcoming = by_specialty.get(need.specialty, [])
        window_ok = need.length_weeks >= 1 and need.latest_week - need.earliest_week + 1 >= need.length_weeks
        if pinned:
            (practice_id,) = pinned
            starts = ()
            if window_ok and practice_id in practices and (need.id, practice_id) not in problem.forbidden:
                if need.specialty in practices[practice_id].specialties:
                    starts = runs.starts_in_window(practice_id, need)
            if not starts:
                result.reasons[need.id] = REASON_PIN_IMPOSSIBLE
                result.choices[need.id] = []
                continue
            result.pinned_practice[need.id] = practice_id
            distance = _distance(need, practices[practice_id])
            score = _score(need, practices[practice_id], distance, problem)
            result.choices[need.id] = [Choice(practice_id, starts, distance, score)]
            continue
        if not window_ok:
            result.reasons[need.id] = REASON_WINDOW_TOO_SHORT
            result.choices[need.id] = []
            continue
        if not welcoming:
            result.reasons[need.id] = REASON_NO_PRACTICE_FOR_SPECIALTY
            result.choices[need.id] = []
            continue
        possible, any_alone = [], False
        for practice_id in welcoming:
            starts = runs.starts_in_window(practice_id, need)
            if not starts:
                continue
            any_alone = True
            if (need.id, practice_id) in problem.forbidden:
                continue
            distance = _distance(need, practices[practice_id])
            possible.append(
                Choice(practice_id, starts, distance, _score(need, practices[practice_id], distance, problem))
            )
        if not possible:
            result.reasons[need.id] = REASON_ALL_FORBIDDEN if any_alone else REASON_NO_CAPACITY_IN_WINDOW
        elif limit is not None and len(possible) > limit:
            possible = heapq.nlargest(limit, possible, key=lambda c: (c.score, -c.practice_id))
        result.choices[need.id] = possible
    return result
