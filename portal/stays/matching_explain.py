"""Why pins contradict each other, and why each need ended up without a stay.

Pins are checked on their own before the full model: pinned needs only compete with each
other there (any other need may stay unassigned), so if the pinned needs cannot all be placed
at their pinned practices, no proposal can honour the pins. A deletion filter then shrinks the
pinned needs to a minimal set that still cannot be placed together, which is what the
coordinator has to change.
"""

from collections import defaultdict

from ortools.sat.python import cp_model

from .matching_candidates import Candidates
from .matching_types import REASON_OUTCOMPETED, REASON_PIN_CONFLICT, Infeasible, Need, Practice


def _pins_fit(needs: list[Need], candidates: Candidates, practices: dict[int, Practice]) -> bool:
    """Whether these pinned needs can all start somewhere at their pinned practice at once."""
    if not needs:
        return True
    model = cp_model.CpModel()
    load: dict[tuple[int, int], list] = defaultdict(list)
    for need in needs:
        (choice,) = candidates.choices[need.id]
        starts = [model.new_bool_var(f"n{need.id}s{s}") for s in choice.starts]
        model.add_exactly_one(starts)
        for s, var in zip(choice.starts, starts, strict=True):
            for w in range(s, s + need.length_weeks):
                load[choice.practice_id, w].append(var)
    for (practice_id, week), using in load.items():
        cap = practices[practice_id].capacity.get(week, 0)
        if len(using) > cap:
            model.add(sum(using) <= cap)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10.0
    status = solver.solve(model)
    if status == cp_model.UNKNOWN:
        raise RuntimeError("the check of the pins took longer than 10 s")
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def pin_conflicts(
    needs: dict[int, Need], candidates: Candidates, practices: dict[int, Practice]
) -> tuple[Infeasible, ...]:
    """Empty when the pins can all hold; else one entry per need of a minimal conflicting set."""
    conflicts = []
    for need_id in sorted(candidates.multiply_pinned):
        # Pinned to two practices: at most one stay per need, so one pin has to go.
        conflicts.append(Infeasible(need_id, REASON_PIN_CONFLICT))
    if conflicts:
        return tuple(conflicts)
    pinned = [needs[i] for i in sorted(candidates.pinned_practice)]
    if _pins_fit(pinned, candidates, practices):
        return ()
    core = list(pinned)
    for need in list(core):
        trial = [n for n in core if n.id != need.id]
        if not _pins_fit(trial, candidates, practices):
            core = trial
    ids = [n.id for n in core]
    return tuple(
        Infeasible(i, REASON_PIN_CONFLICT, related_need_ids=tuple(j for j in ids if j != i)) for i in ids
    )


def unassigned_reasons(
    needs: list[Need], candidates: Candidates, assigned: set[int], default_reason: str = REASON_OUTCOMPETED
) -> tuple[Infeasible, ...]:
    """A reason for every need without a stay: the pruning's reason when it had no choice at
    all, else ``default_reason`` (it could have gone somewhere, but others took the weeks)."""
    return tuple(
        Infeasible(n.id, candidates.reasons.get(n.id, default_reason)) for n in needs if n.id not in assigned
    )
