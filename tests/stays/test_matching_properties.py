"""Property test: on random small instances the proposal keeps every hard constraint and
explains every need it leaves out correctly (checked by ``matching_checks``, not the solver)."""

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from portal.stays import matching as m

from .matching_checks import check_proposal

WEEKS = 12
SPECIALTIES = ["a", "b", "c"]
coordinates = st.one_of(st.none(), st.tuples(st.floats(54.6, 57.7), st.floats(8.1, 12.6)))


@st.composite
def practices(draw, pid):
    return m.Practice(
        id=pid,
        capacity={w: c for w in range(WEEKS) if (c := draw(st.sampled_from([0, 0, 0, 1, 1, 2])))},
        specialties=frozenset(draw(st.sets(st.sampled_from(SPECIALTIES), max_size=2))),
        location=draw(coordinates),
        area=draw(st.sampled_from(["", "nord", "syd"])),
        practice_type=draw(st.sampled_from(["", "solo", "fælles"])),
    )


@st.composite
def needs(draw, nid):
    earliest = draw(st.integers(0, WEEKS - 1))
    length = draw(st.integers(1, 3))
    return m.Need(
        id=nid,
        specialty=draw(st.sampled_from([*SPECIALTIES, *SPECIALTIES, "d"])),  # nobody welcomes "d"
        earliest_week=earliest,
        # Mostly long enough, sometimes one week short, sometimes past the offered weeks.
        latest_week=earliest + length - 1 + draw(st.integers(-1, 6)),
        length_weeks=length,
        origin=draw(coordinates),
        preferred_areas=frozenset(draw(st.sets(st.sampled_from(["nord", "syd"])))),
        preferred_practice_types=frozenset(draw(st.sets(st.sampled_from(["solo", "fælles"])))),
    )


@st.composite
def problems(draw):
    practice_list = [draw(practices(pid)) for pid in range(1, draw(st.integers(1, 6)) + 1)]
    need_list = [draw(needs(nid)) for nid in range(101, 101 + draw(st.integers(1, 12)))]
    # Forbid mostly pairs that could otherwise happen, so that "all forbidden" comes up.
    possible = [(n.id, p.id) for n in need_list for p in practice_list if n.specialty in p.specialties]
    pair = st.tuples(
        st.sampled_from([n.id for n in need_list]), st.sampled_from([p.id for p in practice_list])
    )
    return m.Problem(
        needs=need_list,
        practices=practice_list,
        pinned=frozenset(draw(st.lists(pair, max_size=3)) if draw(st.booleans()) else ()),
        forbidden=frozenset(
            draw(st.frozensets(st.sampled_from(possible) if possible else pair, max_size=8))
            | draw(st.frozensets(pair, max_size=2))
        ),
        time_limit_s=10.0,
        workers=1,
        nearest_practices=None,
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_every_proposal_keeps_the_hard_constraints_and_explains_the_rest(problem):
    proposal = m.solve(problem)
    # Small instances are solved to the end; "feasible" would weaken the checks below.
    assert proposal.status in {"optimal", "infeasible"}
    check_proposal(problem, proposal)
    event(f"status {proposal.status}")  # --hypothesis-show-statistics: what the cases covered
    for u in proposal.unassigned:
        event(f"reason {u.reason}")


@settings(max_examples=40, deadline=None)
@given(problems())
def test_pruning_to_the_nearest_practices_keeps_the_hard_constraints(problem):
    pruned = m.Problem(**{**problem.__dict__, "nearest_practices": 1})
    check_proposal(pruned, m.solve(pruned))
