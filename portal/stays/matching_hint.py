"""A full starting solution for CP-SAT: the model's LP relaxation, rounded greedily.

On a national year CP-SAT's own search (two workers on a shared machine) improves a start only
slowly, and a start that ignores the fairness penalty is far from good. The LP relaxation of
this model is nearly integral (every practice's week constraints form intervals), and OR-Tools'
GLOP solves it in about a second, so the start follows it: needs whose LP stay is whole are
placed first, each at the option the LP liked best that still fits; the rest at the best option
still free, counting what one more stay costs the practice in fairness. CP-SAT then takes it
as a hint and proves or improves it. If the LP fails, the same greedy runs without it.

The LP optimum is also an upper bound that CP-SAT's own LP (two workers, a shared machine)
often does not reach within the minute: on the benchmark's national year the rounded LP
solution already meets it, so the solve ends as soon as the hint is accepted.
"""

import math
from collections import defaultdict
from dataclasses import dataclass

from ortools.linear_solver import pywraplp


@dataclass
class Relaxation:
    """What the LP relaxation says: how many needs can be placed at most (``count_bound``),
    the best score among proposals placing that many (``score_bound``) and each option's LP
    value in that LP (for the rounding)."""

    count_bound: int
    score_bound: int
    values: list[float]


def lp_relaxation(options, capacities, tiers: dict[int, int], fairness: int, pinned, seconds):
    """Two LPs on one GLOP model: first the most needs placed, then, holding that many, the
    best score (preference bonus less distance and fairness). None when GLOP gives no optimum.

    Bounds are rounded with a margin far above GLOP's tolerances (1e-7 on coefficients of at
    most a few hundred), and the objective values of whole solutions are integers.

    ``options``: objects with ``need``, ``choice`` and ``start``; ``capacities``: practice id
    -> week capacities; ``tiers``: practice id -> number of fairness tiers (stays 2, 3 ...).
    """
    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None:
        return None
    lp.SetTimeLimit(int(seconds * 1000))
    per_need, covering, at_practice = defaultdict(list), defaultdict(list), defaultdict(list)
    xs = []
    for o in options:
        x = lp.NumVar(0.0, 1.0, "")
        xs.append(x)
        per_need[o.need.id].append(x)
        at_practice[o.choice.practice_id].append(x)
        for week in range(o.start, o.start + o.need.length_weeks):
            covering[o.choice.practice_id, week].append(x)
    for need_id, own in per_need.items():
        lp.Add(sum(own) == 1 if need_id in pinned else sum(own) <= 1)
    for (practice_id, week), using in covering.items():
        cap = capacities[practice_id].get(week, 0)
        if len(using) > cap:
            lp.Add(sum(using) <= cap)
    ys = []
    for practice_id, count in tiers.items():
        own = [lp.NumVar(0.0, 1.0, "") for _ in range(count)]
        lp.Add(sum(at_practice[practice_id]) <= 1 + sum(own))
        ys.extend((k, y) for k, y in enumerate(own, start=1))

    objective = lp.Objective()
    for x in xs:
        objective.SetCoefficient(x, 1)
    objective.SetMaximization()
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    count_bound = math.floor(objective.Value() + 1e-4)

    lp.Add(sum(xs) >= count_bound)
    for x, o in zip(xs, options, strict=True):
        objective.SetCoefficient(x, o.choice.score)
    for k, y in ys:
        objective.SetCoefficient(y, -fairness * k)
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    score_bound = math.floor(objective.Value() + 1e-4)
    return Relaxation(count_bound, score_bound, [x.solution_value() for x in xs])


def greedy_start(options, capacities, fairness: int, pinned, lp_values=None) -> list[bool]:
    """Which options to hint as taken: a feasible solution (pins first, then by LP value)."""
    lp_values = lp_values or [0.0] * len(options)
    by_need = defaultdict(list)
    for i, o in enumerate(options):
        by_need[o.need.id].append(i)
    best_lp = {n: max(lp_values[i] for i in ids) for n, ids in by_need.items()}
    order = sorted(by_need, key=lambda n: (n not in pinned, -round(best_lp[n], 3), len(by_need[n]), n))
    load, stays, taken = defaultdict(int), defaultdict(int), [False] * len(options)
    for need_id in order:
        ranked = sorted(
            by_need[need_id],
            key=lambda i: (
                -round(lp_values[i], 3),
                fairness * stays[options[i].choice.practice_id] - options[i].choice.score,
                options[i].start,
            ),
        )
        for i in ranked:
            o = options[i]
            pid, weeks = o.choice.practice_id, range(o.start, o.start + o.need.length_weeks)
            if all(load[pid, w] < capacities[pid].get(w, 0) for w in weeks):
                for w in weeks:
                    load[pid, w] += 1
                stays[pid] += 1
                taken[i] = True
                break
    return taken
