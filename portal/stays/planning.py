"""Running the matching for a region: the database's needs and offers turned into the solver's
``Problem`` (``portal.stays.matching``, pure and without Django), its ``Proposal`` stored as a
``MatchingRun`` with proposed ``Assignment``s.

Stays run Monday to Friday in whole weeks, so dates become week numbers here and back:
a need may start in the first week whose Monday lies in its window and must end (on a Friday)
in the last week whose Friday does; a hosting period offers the weeks it covers Monday to
Friday, its capacity added up where periods overlap. Published and confirmed stays keep their
places: their weeks are taken off the capacity before the solver sees it. The region's pins
and forbids (a decline forbids its pair) go to the solver as they are.

The solver runs in the request with a short time limit: a region has tens to a few hundred
needs, which CP-SAT closes in well under the limit (bench/stays.py measures a national year).
"""

from collections import defaultdict
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from portal.accounts.models import Region, User

from .models import Assignment, HostOffer, MatchingRun, PairRule, SiteLocation, StayNeed
from .scope import coordinator_region_ids

MATCHING_TIME_LIMIT_S = 10.0
MATCHING_WORKERS = 2

_STATUS = {
    "optimal": MatchingRun.Status.OPTIMAL,
    "feasible": MatchingRun.Status.FEASIBLE,
    "infeasible": MatchingRun.Status.INFEASIBLE,
}


def first_whole_week(day: date) -> int:
    """The first week whose Monday is on or after ``day``."""
    from .matching import week_index

    return week_index(day) + (0 if day.weekday() == 0 else 1)


def last_whole_week(day: date) -> int:
    """The last week whose Friday is on or before ``day``."""
    from .matching import week_index

    return week_index(day) if day.weekday() >= 4 else week_index(day) - 1


def stay_dates(start_week: int, length_weeks: int) -> tuple[date, date]:
    """Monday of the first week to Friday of the last."""
    from .matching import week_start

    starts_on = week_start(start_week)
    return starts_on, starts_on + timedelta(weeks=length_weeks, days=-3)


def weekly_capacity(offer: HostOffer, taken: dict[int, int]) -> dict[int, int]:
    capacity: dict[int, int] = defaultdict(int)
    for period in offer.periods.all():
        for week in range(first_whole_week(period.starts_on), last_whole_week(period.ends_on) + 1):
            capacity[week] += period.capacity
    return {
        week: places - taken.get(week, 0) for week, places in capacity.items() if places > taken.get(week, 0)
    }


def _location(latitude, longitude) -> tuple[float, float] | None:
    return None if latitude is None or longitude is None else (float(latitude), float(longitude))


def region_problem(*, region: Region, today: date | None = None, time_limit_s: float = MATCHING_TIME_LIMIT_S):
    """The region's open needs and active offers as the solver's Problem, and the rows behind it."""
    from .matching import Need, Practice, Problem

    today = today or timezone.localdate()
    needs = list(
        StayNeed.objects.filter(region=region, state=StayNeed.State.OPEN)
        .select_related("department", "trainee")
        .prefetch_related("preferred_areas")
    )
    offers = list(
        HostOffer.objects.filter(region=region, is_active=True).prefetch_related("specialties", "periods")
    )
    taken: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for stay in Assignment.objects.filter(offer__in=offers, state__in=Assignment.HOLDING).only(
        "offer_id", "starts_on", "length_weeks"
    ):
        first = first_whole_week(stay.starts_on)
        for week in range(first, first + stay.length_weeks):
            taken[stay.offer_id][week] += 1
    sites = {
        s.organisation_id: _location(s.latitude, s.longitude)
        for s in SiteLocation.objects.filter(
            organisation_id__in={n.department_id for n in needs} | {n.department.parent_id for n in needs}
        )
    }
    rules = list(PairRule.objects.filter(need__in=needs).values_list("need_id", "offer_id", "kind"))
    not_before = first_whole_week(today + timedelta(days=1))
    problem = Problem(
        needs=tuple(
            Need(
                id=n.pk,
                specialty=str(n.specialty_id),
                earliest_week=max(first_whole_week(n.earliest_start), not_before),
                latest_week=last_whole_week(n.latest_end),
                length_weeks=n.length_weeks,
                origin=sites.get(n.department_id) or sites.get(n.department.parent_id),
                preferred_areas=frozenset(str(a.pk) for a in n.preferred_areas.all()),
                preferred_practice_types=frozenset(n.preferred_practice_types),
            )
            for n in needs
        ),
        practices=tuple(
            Practice(
                id=o.pk,
                capacity=weekly_capacity(o, taken.get(o.pk, {})),
                specialties=frozenset(str(s.pk) for s in o.specialties.all()),
                location=o.location,
                area=str(o.area_id),
                practice_type=o.practice_type,
            )
            for o in offers
        ),
        pinned=frozenset((need, offer) for need, offer, kind in rules if kind == PairRule.Kind.PIN),
        forbidden=frozenset((need, offer) for need, offer, kind in rules if kind == PairRule.Kind.FORBID),
        time_limit_s=time_limit_s,
        workers=MATCHING_WORKERS,
    )
    return problem, {n.pk: n for n in needs}, {o.pk: o for o in offers}


def matching_run(*, actor: User, region: Region, time_limit_s: float = MATCHING_TIME_LIMIT_S) -> MatchingRun:
    """Run the matching for the region and store its proposal; earlier unpublished proposals of
    the region are discarded (only the latest run can be published)."""
    from .matching import solve

    if region.pk not in coordinator_region_ids(actor):
        raise PermissionDenied
    started_at = timezone.now()
    problem, needs, offers = region_problem(region=region, time_limit_s=time_limit_s)
    proposal = solve(problem)
    return _store(
        actor=actor, region=region, started_at=started_at, proposal=proposal, needs=needs, offers=offers
    )


def _infeasible_message(infeasible, needs) -> str:
    # The solver names the other needs of a pin conflict by id; the coordinator knows them by name.
    from .matching import REASON_MESSAGES, REASON_PIN_CONFLICT

    if infeasible.reason == REASON_PIN_CONFLICT and infeasible.related_need_ids:
        names = ", ".join(needs[r].trainee.get_full_name() for r in infeasible.related_need_ids if r in needs)
        return gettext(REASON_MESSAGES[REASON_PIN_CONFLICT]) % {"needs": names}
    return infeasible.message


@transaction.atomic
def _store(*, actor, region, started_at, proposal, needs, offers) -> MatchingRun:
    Assignment.objects.filter(run__region=region, state=Assignment.State.PROPOSED).update(
        state=Assignment.State.DISCARDED
    )
    run = MatchingRun.objects.create(
        region=region,
        run_by=actor,
        started_at=started_at,
        status=_STATUS.get(str(proposal.status).lower(), MatchingRun.Status.FAILED),
        objective=proposal.objective,
        best_bound=proposal.best_bound,
        gap=proposal.gap,
        wall_time_s=proposal.wall_time_s,
        needs_count=len(needs),
        offers_count=len(offers),
        infeasible=[
            {
                "need": str(needs[i.need_id].public_id),
                "reason": i.reason,
                "message": _infeasible_message(i, needs),
                "related": [str(needs[r].public_id) for r in i.related_need_ids if r in needs],
            }
            for i in proposal.unassigned
            if i.need_id in needs
        ],
    )
    rows = []
    for a in proposal.assignments:
        starts_on, ends_on = stay_dates(a.start_week, a.length_weeks)
        rows.append(
            Assignment(
                run=run,
                need=needs[a.need_id],
                offer=offers[a.practice_id],
                starts_on=starts_on,
                ends_on=ends_on,
                length_weeks=a.length_weeks,
                distance_km=a.distance_km,
            )
        )
    Assignment.objects.bulk_create(rows)
    return run
