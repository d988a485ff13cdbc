"""An independent checker for matching proposals: every hard constraint and every reason,
written from the rules in issue 13 rather than from the solver's code, so that a bug in the
solver's pruning cannot hide itself here too."""

from collections import Counter
from itertools import product

from portal.stays import matching as m


def starts_alone(need, practice) -> list[int]:
    """Start weeks at which the practice could take this need if nobody else were there."""
    if need.specialty not in practice.specialties:
        return []
    last_start = need.latest_week - need.length_weeks + 1
    return [
        s
        for s in range(need.earliest_week, last_start + 1)
        if all(practice.capacity.get(w, 0) >= 1 for w in range(s, s + need.length_weeks))
    ]


def weeks_of(start, length):
    return range(start, start + length)


def fits(placements, practices) -> bool:
    """Whether (practice id, start, length) placements all fit the weekly capacities together."""
    use = Counter()
    for pid, start, length in placements:
        for w in weeks_of(start, length):
            use[pid, w] += 1
    return all(n <= practices[pid].capacity.get(w, 0) for (pid, w), n in use.items())


def pinned_placements_exist(needs, practices, pins) -> bool:
    """Brute force: can these pinned needs all be placed at their pinned practice together?"""
    options = []
    for need in needs:
        (pid,) = pins[need.id]
        options.append([(pid, s, need.length_weeks) for s in starts_alone(need, practices[pid])])
    return any(fits(combo, practices) for combo in product(*options))


def check_proposal(problem: m.Problem, proposal: m.Proposal):
    needs = {n.id: n for n in problem.needs}
    practices = {p.id: p for p in problem.practices}
    pins: dict[int, set[int]] = {}
    for nid, pid in problem.pinned:
        pins.setdefault(nid, set()).add(pid)

    if proposal.status == "infeasible":
        _check_pin_conflict(proposal, needs, practices, pins)
        return
    assert proposal.status in {"optimal", "feasible"}, proposal.status

    # Every need exactly once: assigned or explained.
    assigned = [a.need_id for a in proposal.assignments]
    unassigned = [u.need_id for u in proposal.unassigned]
    assert len(assigned) == len(set(assigned)), "a need got more than one stay"
    assert sorted(assigned + unassigned) == sorted(needs), "needs lost or duplicated"

    use = Counter()
    for a in proposal.assignments:
        need, practice = needs[a.need_id], practices[a.practice_id]
        assert need.specialty in practice.specialties, a
        assert a.start_week >= need.earliest_week, a
        assert a.start_week + a.length_weeks - 1 <= need.latest_week, a
        assert a.length_weeks == need.length_weeks, a
        assert (need.id, practice.id) not in problem.forbidden, a
        assert need.id not in pins or pins[need.id] == {practice.id}, a
        for w in weeks_of(a.start_week, a.length_weeks):
            assert practice.capacity.get(w, 0) >= 1, (a, w)
            use[practice.id, w] += 1
    for (pid, w), n in use.items():
        assert n <= practices[pid].capacity.get(w, 0), (pid, w, n)

    for u in proposal.unassigned:
        _check_reason(u, needs[u.need_id], problem, practices, pins, proposal, use)


def _check_reason(u, need, problem, practices, pins, proposal, use):
    welcoming = [p for p in practices.values() if need.specialty in p.specialties]
    alone = [p for p in welcoming if starts_alone(need, p)]
    allowed = [p for p in alone if (need.id, p.id) not in problem.forbidden]
    window = need.latest_week - need.earliest_week + 1
    if need.id in pins:
        (pid,) = pins[need.id]  # pinned twice would have made the proposal infeasible
        assert u.reason == m.REASON_PIN_IMPOSSIBLE, u
        pin_possible = (
            pid in practices
            and (need.id, pid) not in problem.forbidden
            and bool(starts_alone(need, practices[pid]))
        )
        assert not pin_possible, f"{u}: the pin was possible on its own"
        return
    if u.reason == m.REASON_WINDOW_TOO_SHORT:
        assert window < need.length_weeks, u
    elif u.reason == m.REASON_NO_PRACTICE_FOR_SPECIALTY:
        assert window >= need.length_weeks and not welcoming, u
    elif u.reason == m.REASON_NO_CAPACITY_IN_WINDOW:
        assert window >= need.length_weeks and welcoming and not alone, u
    elif u.reason == m.REASON_ALL_FORBIDDEN:
        assert window >= need.length_weeks and alone and not allowed, u
    elif u.reason == m.REASON_OUTCOMPETED:
        assert allowed, f"{u}: nothing was possible on its own"
        unpruned = problem.nearest_practices is None or problem.nearest_practices >= len(practices)
        if proposal.status == "optimal" and unpruned:
            # With the most needs assigned, nothing may be left where this need fits.
            for p in allowed:
                for s in starts_alone(need, p):
                    free = all(use[p.id, w] < p.capacity.get(w, 0) for w in weeks_of(s, need.length_weeks))
                    assert not free, f"{u}: practice {p.id} was still free from week {s}"
    else:
        raise AssertionError(f"unexpected reason {u}")


def _check_pin_conflict(proposal, needs, practices, pins):
    assert proposal.assignments == ()
    assert proposal.unassigned, "infeasible without an explanation"
    assert all(u.reason == m.REASON_PIN_CONFLICT for u in proposal.unassigned)
    twice = [u for u in proposal.unassigned if not u.related_need_ids]
    if twice:
        assert all(len(pins.get(u.need_id, ())) > 1 for u in twice)
        return
    core = sorted(u.need_id for u in proposal.unassigned)
    for u in proposal.unassigned:
        assert sorted((u.need_id, *u.related_need_ids)) == core
    core_needs = [needs[i] for i in core]
    assert not pinned_placements_exist(core_needs, practices, pins), "the named pins do fit together"
    for left_out in core_needs:  # minimal: without any one of them the rest fit
        rest = [n for n in core_needs if n is not left_out]
        assert pinned_placements_exist(rest, practices, pins), "the named conflict is not minimal"
