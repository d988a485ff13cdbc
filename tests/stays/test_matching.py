"""The matching solver on small hand-built cases: what it should choose when the choice is
free, how pins and forbidden pairs bind, why needs are left out, and a decline and re-match."""

import datetime

import pytest
from django.utils import translation

from portal.stays import matching as m

from .matching_checks import check_proposal

AARHUS = (56.162, 10.203)
RANDERS = (56.461, 10.036)  # about 35 km from Aarhus
AALBORG = (57.048, 9.919)  # about 100 km from Aarhus
ODENSE = (55.403, 10.402)
FURTHER = (56.55, 10.0)  # about 10 km further from Aarhus than Randers


def weeks(first, last, at_once=1):
    return {w: at_once for w in range(first, last + 1)}


def practice(pid, capacity=None, specialties=("psykiatri",), location=RANDERS, **kwargs):
    capacity = weeks(0, 9) if capacity is None else capacity
    return m.Practice(pid, capacity, frozenset(specialties), location, **kwargs)


def need(nid, earliest=0, latest=9, specialty="psykiatri", origin=AARHUS, **kwargs):
    return m.Need(nid, specialty, earliest, latest, origin=origin, **kwargs)


def solve(needs, practices, **kwargs):
    problem = m.Problem(needs, practices, time_limit_s=10.0, workers=1, **kwargs)
    proposal = m.solve(problem)
    check_proposal(problem, proposal)
    return proposal


def placed(proposal):
    return {a.need_id: a.practice_id for a in proposal.assignments}


def reasons(proposal):
    return {u.need_id: u.reason for u in proposal.unassigned}


# Weeks


def test_weeks_are_counted_from_a_monday_and_run_on_over_new_year():
    assert m.week_index(datetime.date(2000, 1, 3)) == 0
    assert m.week_index(datetime.date(2000, 1, 9)) == 0  # the Sunday of the same week
    assert m.week_index(datetime.date(2000, 1, 10)) == 1
    assert m.week_index(datetime.date(1999, 12, 31)) == -1
    last_of_2026, first_of_2027 = datetime.date(2026, 12, 28), datetime.date(2027, 1, 4)
    assert m.week_index(first_of_2027) == m.week_index(last_of_2026) + 1
    for index in (-3, 0, 1, 1404):
        monday = m.week_start(index)
        assert monday.weekday() == 0 and m.week_index(monday) == index


# Free choices: count first, then preferences, distance and fairness


def test_all_needs_are_assigned_when_the_weeks_allow_it():
    # One place a week for six weeks: three two-week stays only fit back to back.
    proposal = solve([need(i, 0, 5) for i in (1, 2, 3)], [practice(10, weeks(0, 5))])
    assert sorted(a.start_week for a in proposal.assignments) == [0, 2, 4]
    assert proposal.unassigned == ()
    assert proposal.status == "optimal" and proposal.gap == 0.0
    assert proposal.objective == proposal.best_bound


def test_more_stays_win_over_shorter_distances():
    # Need 1 would rather go to Randers, but only Randers takes need 2's specialty: need 1 has
    # to travel to Aalborg so that both get a stay.
    practices = [
        practice(10, weeks(0, 1), specialties=("psykiatri", "urologi"), location=RANDERS),
        practice(11, weeks(0, 1), location=AALBORG),
    ]
    proposal = solve([need(1, 0, 1), need(2, 0, 1, specialty="urologi")], practices)
    assert placed(proposal) == {1: 11, 2: 10}


@pytest.mark.parametrize("near_first", [True, False])
def test_the_nearer_practice_is_chosen(near_first):
    practices = [practice(10, location=AALBORG), practice(11, location=RANDERS)]
    proposal = solve([need(1)], practices[::-1] if near_first else practices)
    assert placed(proposal) == {1: 11}
    assert proposal.assignments[0].distance_km == pytest.approx(35, abs=3)


def test_a_preferred_area_is_worth_a_longer_journey():
    practices = [practice(10, location=RANDERS), practice(11, location=RANDERS, area="vest")]
    practices.append(practice(12, location=FURTHER, area="vest"))
    assert placed(solve([need(1, preferred_areas=frozenset({"vest"}))], practices))[1] in {11, 12}
    assert placed(solve([need(1, preferred_areas=frozenset({"vest"}))], [practices[0], practices[2]])) == {
        1: 12
    }
    assert placed(solve([need(1)], [practices[0], practices[2]])) == {1: 10}


def test_a_preferred_practice_type_is_worth_a_longer_journey():
    practices = [practice(10, location=RANDERS), practice(11, location=FURTHER, practice_type="solo")]
    assert placed(solve([need(1, preferred_practice_types=frozenset({"solo"}))], practices)) == {1: 11}
    assert placed(solve([need(1)], practices)) == {1: 10}


def test_fairness_spreads_stays_over_practices_that_are_almost_alike():
    # Practice 10 is about a kilometre nearer; both could take all four trainees.
    near, next_door = practice(10, weeks(0, 9, 4)), practice(11, weeks(0, 9, 4), location=(56.47, 10.036))
    needs = [need(i) for i in (1, 2, 3, 4)]
    spread = solve(needs, [near, next_door])
    assert sorted(placed(spread).values()) == [10, 10, 11, 11]
    crowded = solve(needs, [near, next_door], fairness_km=0)
    assert sorted(placed(crowded).values()) == [10, 10, 10, 10]


def test_only_the_nearest_practices_enter_the_model_but_pins_always_do():
    near, far = practice(10, weeks(0, 1)), practice(11, weeks(0, 1), location=AALBORG)
    both = [need(1, 0, 1), need(2, 0, 1)]
    assert len(solve(both, [near, far], nearest_practices=None).assignments) == 2
    pruned = solve(both, [near, far], nearest_practices=1)
    assert len(pruned.assignments) == 1 and list(reasons(pruned).values()) == [m.REASON_OUTCOMPETED]
    pinned = solve([need(1, 0, 1)], [near, far], nearest_practices=1, pinned=frozenset({(1, 11)}))
    assert placed(pinned) == {1: 11}


# Pins and forbidden pairs


def test_a_pinned_pair_is_used_even_when_another_practice_is_nearer():
    proposal = solve([need(1)], [practice(10), practice(11, location=AALBORG)], pinned=frozenset({(1, 11)}))
    assert placed(proposal) == {1: 11}


def test_a_pin_holds_even_when_it_costs_two_other_stays():
    # The pinned stay (weeks 1-2) blocks both others (weeks 0-1 and 2-3) at the one practice.
    needs = [need(1, 1, 2), need(2, 0, 1), need(3, 2, 3)]
    free = solve(needs, [practice(10, weeks(0, 3))])
    assert sorted(placed(free)) == [2, 3]
    pinned = solve(needs, [practice(10, weeks(0, 3))], pinned=frozenset({(1, 10)}))
    assert placed(pinned) == {1: 10}
    assert reasons(pinned) == {2: m.REASON_OUTCOMPETED, 3: m.REASON_OUTCOMPETED}


def test_an_impossible_pin_is_explained_and_the_rest_still_solved():
    practices = [practice(10), practice(11, specialties=("urologi",))]
    proposal = solve([need(1), need(2)], practices, pinned=frozenset({(1, 11)}))
    assert proposal.status == "optimal"
    assert placed(proposal) == {2: 10}
    assert reasons(proposal) == {1: m.REASON_PIN_IMPOSSIBLE}


def test_pins_that_cannot_all_hold_make_the_proposal_infeasible_and_name_a_minimal_conflict():
    # Needs 1 and 2 both pinned to practice 10, which has one place in weeks 0-1 only; need 3's
    # pin elsewhere is fine and is therefore not named.
    practices = [practice(10, weeks(0, 1)), practice(11)]
    needs = [need(1, 0, 3), need(2, 0, 3), need(3)]
    proposal = solve(needs, practices, pinned=frozenset({(1, 10), (2, 10), (3, 11)}))
    assert proposal.status == "infeasible" and proposal.assignments == ()
    assert reasons(proposal) == {1: m.REASON_PIN_CONFLICT, 2: m.REASON_PIN_CONFLICT}
    assert {u.need_id: u.related_need_ids for u in proposal.unassigned} == {1: (2,), 2: (1,)}
    with translation.override("da"):
        assert "sammen med behov 2" in proposal.unassigned[0].message


def test_a_need_pinned_to_two_practices_is_a_conflict():
    proposal = solve([need(1)], [practice(10), practice(11)], pinned=frozenset({(1, 10), (1, 11)}))
    assert proposal.status == "infeasible"
    assert reasons(proposal) == {1: m.REASON_PIN_CONFLICT}
    with translation.override("da"):
        assert "mere end én praksis" in proposal.unassigned[0].message


def test_a_forbidden_pair_is_never_used():
    proposal = solve(
        [need(1)], [practice(10), practice(11, location=AALBORG)], forbidden=frozenset({(1, 10)})
    )
    assert placed(proposal) == {1: 11}


def test_decline_and_rematch():
    practices = [practice(10), practice(11, location=AALBORG), practice(12, weeks(0, 1), location=ODENSE)]
    needs = [need(1, 0, 1), need(2, 0, 1, origin=AALBORG)]
    first = solve(needs, practices)
    assert placed(first) == {1: 10, 2: 11}
    # Need 1 declines practice 10: the coordinator forbids the pair and runs the matching again,
    # keeping need 2's accepted stay by a pin.
    declined = frozenset({(1, 10)})
    again = solve(needs, practices, forbidden=declined, pinned=frozenset({(2, 11)}))
    assert placed(again) == {1: 12, 2: 11}
    # Then declines Odense too, and Aalborg is full with need 2: need 1 is explained.
    declined |= {(1, 12)}
    practices[1] = practice(11, weeks(0, 1), location=AALBORG)
    last = solve(needs, practices, forbidden=declined, pinned=frozenset({(2, 11)}))
    assert placed(last) == {2: 11} and reasons(last) == {1: m.REASON_OUTCOMPETED}
    # And when it has declined every practice that could take it:
    declined |= {(1, 11)}
    assert reasons(solve(needs, practices, forbidden=declined))[1] == m.REASON_ALL_FORBIDDEN


# Reasons


def test_each_reason_is_given_when_it_applies():
    practices = [
        practice(10, {0: 1, 2: 1, 5: 1, 6: 1}),  # weeks 0 and 2 are not a two-week run
        practice(11, weeks(8, 9), specialties=("urologi",)),
    ]
    proposal = solve(
        [
            need(1, 0, 0),  # one week for a two-week stay
            need(2, specialty="akutmedicin"),
            need(3, 0, 3),  # psykiatri only at 10, no run in weeks 0-3
            need(4, 8, 9, specialty="urologi"),
            need(5, 8, 9, specialty="urologi"),  # loses the one place to need 4 (or vice versa)
            need(6, 5, 6),
        ],
        practices,
        forbidden=frozenset({(6, 10)}),
    )
    got = reasons(proposal)
    assert got[1] == m.REASON_WINDOW_TOO_SHORT
    assert got[2] == m.REASON_NO_PRACTICE_FOR_SPECIALTY
    assert got[3] == m.REASON_NO_CAPACITY_IN_WINDOW
    assert got[6] == m.REASON_ALL_FORBIDDEN
    assert sorted(r for n, r in got.items() if n in (4, 5)) == [m.REASON_OUTCOMPETED]


def test_reasons_read_in_danish():
    proposal = solve([need(1, specialty="akutmedicin"), need(2, 0, 0)], [practice(10)])
    with translation.override("da"):
        messages = {u.need_id: u.message for u in proposal.unassigned}
    assert messages == {
        1: "Ingen værtspraksis tager imod dette speciale.",
        2: "Tidsvinduet er kortere end opholdet.",
    }
    for reason in m.REASONS:  # every reason has a Danish text
        with translation.override("da"):
            text = m.Infeasible(1, reason, related_need_ids=(2,)).message
        with translation.override("en"):
            assert text != m.Infeasible(1, reason, related_need_ids=(2,)).message


def test_a_solver_without_a_solution_in_time_says_so(monkeypatch):
    monkeypatch.setattr(m.cp_model.CpSolver, "solve", lambda self, model, *args: m.cp_model.UNKNOWN)
    proposal = m.solve(m.Problem([need(1), need(2, specialty="akutmedicin")], [practice(10)]))
    assert proposal.status == "unknown" and proposal.assignments == ()
    assert reasons(proposal) == {1: m.REASON_NOT_SOLVED, 2: m.REASON_NO_PRACTICE_FOR_SPECIALTY}
    assert proposal.objective is None and proposal.gap is None


def test_ids_must_be_unique():
    with pytest.raises(ValueError, match="need ids"):
        m.solve(m.Problem([need(1), need(1)], [practice(10)]))
    with pytest.raises(ValueError, match="practice ids"):
        m.solve(m.Problem([need(1)], [practice(10), practice(10)]))
