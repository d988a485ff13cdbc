"""The matching proposal for focused stays: which trainee goes to which host practice, when.

``solve(problem)`` builds one CP-SAT model (OR-Tools) and returns a ``Proposal``. Pure Python:
no models, no database; the stays module turns its rows into ``Need`` and ``Practice`` values.

Variables: one boolean per possible (need, practice, start week), after pruning
(``matching_candidates``: specialty, window, free runs of capacity, forbidden pairs, and the
K best practices per need, ``Problem.nearest_practices``, pins always kept).

Hard constraints: at most one stay per need (exactly one at its practice for a pinned need);
in every week, the stays covering it at a practice never exceed that week's capacity.

Objective (maximised, in kilometre-equivalents):

- ``W`` per assigned need, with ``W`` larger than everything else the objective can vary by,
  so more assigned needs always win (lexicographic in one solve);
- plus ``area_bonus_km`` / ``practice_type_bonus_km`` when the practice is in a preferred area
  or of a preferred type;
- less the haversine distance from the trainee's department in whole km
  (``unknown_distance_km`` when either end has no coordinates);
- less a convex fairness penalty per practice: its k-th stay costs ``fairness_km * (k - 1)``
  (the first is free, the second 15 km, the third 30 km ...), so stays spread over practices
  that are otherwise alike, while a practice that is much closer still gets several. Chosen
  over a penalty on the largest load because every practice feels it, not only the busiest,
  and because it stays linear (one boolean per extra stay) for the LP relaxation.

Pins that contradict each other are found before the model (``matching_explain``): the
proposal is then "infeasible", with the minimal set of conflicting needs as its ``unassigned``.
"""

import time
from collections import defaultdict

from ortools.sat.python import cp_model

from .matching_candidates import Candidates, Choice, find_candidates
from .matching_explain import pin_conflicts, unassigned_reasons
from .matching_types import (
    EPOCH,
    REASON_ALL_FORBIDDEN,
    REASON_MESSAGES,
    REASON_NO_CAPACITY_IN_WINDOW,
    REASON_NO_PRACTICE_FOR_SPECIALTY,
    REASON_NOT_SOLVED,
    REASON_OUTCOMPETED,
    REASON_PIN_CONFLICT,
    REASON_PIN_IMPOSSIBLE,
    REASON_WINDOW_TOO_SHORT,
    REASONS,
    Assignment,
    Infeasible,
    Need,
    Practice,
    Problem,
    Proposal,
    week_index,
    week_start,
)

__all__ = [
    "EPOCH",
    "REASONS",
    "REASON_ALL_FORBIDDEN",
    "REASON_MESSAGES",
    "REASON_NOT_SOLVED",
    "REASON_NO_CAPACITY_IN_WINDOW",
    "REASON_NO_PRACTICE_FOR_SPECIALTY",
    "REASON_OUTCOMPETED",
    "REASON_PIN_CONFLICT",
    "REASON_PIN_IMPOSSIBLE",
    "REASON_WINDOW_TOO_SHORT",
    "Assignment",
    "Infeasible",
    "Need",
    "Practice",
    "Problem",
    "Proposal",
    "solve",
    "week_index",
    "week_start",
]

STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
}


class _Option:
    """One boolean of the model: ``need`` starts at ``choice.practice_id`` in week ``start``."""

    __slots__ = ("need", "choice", "start", "var")

    def __init__(self, need: Need, choice: Choice, start: int, var):
        self.need, self.choice, self.start, self.var = need, choice, start, var


class _Model:
    def __init__(self, problem: Problem, candidates: Candidates):
        self.problem = problem
        self.practices = {p.id: p for p in problem.practices}
        self.model = cp_model.CpModel()
        self.options: list[_Option] = []
        self.tiers: dict[int, list] = {}  # practice id -> booleans "has a k-th stay", k = 2, 3 ...
        self._add_choices(candidates)
        self._add_capacity()
        self._add_objective(candidates)

    def _add_choices(self, candidates: Candidates):
        for need in self.problem.needs:
            own = []
            for choice in candidates.choices[need.id]:
                for start in choice.starts:
                    own.append(_Option(need, choice, start, self.model.new_bool_var("")))
            if need.id in candidates.pinned_practice:
                self.model.add_exactly_one(o.var for o in own)
            elif len(own) > 1:
                self.model.add_at_most_one(o.var for o in own)
            self.options.extend(own)

    def _add_capacity(self):
        covering = defaultdict(list)
        for o in self.options:
            for week in range(o.start, o.start + o.need.length_weeks):
                covering[o.choice.practice_id, week].append(o.var)
        for (practice_id, week), using in covering.items():
            cap = self.practices[practice_id].capacity.get(week, 0)
            if len(using) > cap:
                self.model.add(sum(using) <= cap)

    def _stay_bound(self, practice_id: int, needs: set[int], shortest: int) -> int:
        """How many stays the practice could take at most: the fairness tiers it needs."""
        week_capacity = sum(max(c, 0) for c in self.practices[practice_id].capacity.values())
        return min(len(needs), week_capacity // max(shortest, 1))

    def _add_objective(self, candidates: Candidates):
        fairness = self.problem.fairness_km
        at_practice, needs_at, shortest = defaultdict(list), defaultdict(set), {}
        for o in self.options:
            pid = o.choice.practice_id
            at_practice[pid].append(o.var)
            needs_at[pid].add(o.need.id)
            shortest[pid] = min(shortest.get(pid, o.need.length_weeks), o.need.length_weeks)
        worst_fairness = 0
        if fairness > 0:
            for pid, using in at_practice.items():
                bound = self._stay_bound(pid, needs_at[pid], shortest[pid])
                if bound < 2:
                    continue
                tiers = [self.model.new_bool_var("") for _ in range(2, bound + 1)]
                self.model.add(sum(using) <= 1 + sum(tiers))
                self.tiers[pid] = tiers
                worst_fairness += fairness * (bound - 1) * bound // 2
        # Whatever two solutions differ by in bonuses, distances and fairness stays below W.
        spread = 0
        for choices in candidates.choices.values():
            if choices:
                scores = [c.score for c in choices]
                spread += max(max(scores), 0) - min(min(scores), 0)
        self.weight = spread + worst_fairness + 1
        self.model.maximize(
            sum((self.weight + o.choice.score) * o.var for o in self.options)
            - sum(fairness * k * t for tiers in self.tiers.values() for k, t in enumerate(tiers, start=1))
        )

    def add_greedy_hint(self):
        """A feasible start: needs with the fewest options first, each at its best free option,
        so that the search begins from a full solution instead of from nothing."""
        load: dict[tuple[int, int], int] = defaultdict(int)
        by_need = defaultdict(list)
        for o in self.options:
            by_need[o.need.id].append(o)
        chosen = set()
        pinned = {n for n, _ in self.problem.pinned}
        order = sorted(by_need, key=lambda n: (n not in pinned, len(by_need[n]), n))
        for need_id in order:
            for o in sorted(by_need[need_id], key=lambda o: (-o.choice.score, o.start)):
                pid, weeks = o.choice.practice_id, range(o.start, o.start + o.need.length_weeks)
                capacity = self.practices[pid].capacity
                if all(load[pid, w] < capacity.get(w, 0) for w in weeks):
                    for w in weeks:
                        load[pid, w] += 1
                    chosen.add(id(o))
                    break
        stays = defaultdict(int)
        for o in self.options:
            taken = id(o) in chosen
            self.model.add_hint(o.var, taken)
            stays[o.choice.practice_id] += taken
        for pid, tiers in self.tiers.items():
            for k, t in enumerate(tiers, start=2):
                self.model.add_hint(t, stays[pid] >= k)


def solve(problem: Problem) -> Proposal:
    """The best proposal found within ``problem.time_limit_s`` (see the module docstring)."""
    began = time.perf_counter()
    candidates = find_candidates(problem)
    needs = {n.id: n for n in problem.needs}
    practices = {p.id: p for p in problem.practices}
    conflicts = pin_conflicts(needs, candidates, practices)
    if conflicts:
        elapsed = time.perf_counter() - began
        return Proposal((), conflicts, "infeasible", None, None, None, elapsed, build_time_s=elapsed)

    built = _Model(problem, candidates)
    built.add_greedy_hint()
    build_time = time.perf_counter() - began
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(problem.time_limit_s - build_time, 1.0)
    solver.parameters.num_workers = problem.workers
    solver.parameters.random_seed = problem.random_seed
    code = solver.solve(built.model)
    status = STATUS.get(code, "unknown")

    assignments = []
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for o in built.options:
            if solver.boolean_value(o.var):
                distance = None if o.choice.distance_km is None else round(o.choice.distance_km, 1)
                assignments.append(
                    Assignment(o.need.id, o.choice.practice_id, o.start, o.need.length_weeks, distance)
                )
        objective, bound = solver.objective_value, solver.best_objective_bound
        gap = 0.0 if code == cp_model.OPTIMAL else abs(bound - objective) / max(1.0, abs(objective))
        default_reason = REASON_OUTCOMPETED
    else:
        objective = bound = gap = None
        default_reason = REASON_NOT_SOLVED
    assigned = {a.need_id for a in assignments}
    return Proposal(
        assignments=tuple(sorted(assignments, key=lambda a: a.need_id)),
        unassigned=unassigned_reasons(list(problem.needs), candidates, assigned, default_reason),
        status=status,
        objective=objective,
        best_bound=bound,
        gap=gap,
        wall_time_s=time.perf_counter() - began,
        build_time_s=build_time,
        variables=len(built.options),
    )
