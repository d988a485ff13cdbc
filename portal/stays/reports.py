"""Reads of what stays achieved: a stay's evaluations as a user may see them, a practice's own
summary, and the coordinator's report per specialty and practice for a region and a year.

Every figure is an aggregate in SQL (a handful of grouped queries whatever the number of stays),
so the report costs the same for two stays as for a national year. A stay counts in the year it
starts in.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Avg, Count, F, IntegerField, Q, Sum, Value
from django.db.models.functions import Greatest, Least
from django.utils import timezone

from portal.accounts.models import Region, Specialty, User
from portal.core.sql import DaysBetween

from . import report_cache
from .models import Assignment, HostOffer, HostPeriod, ObjectiveScore, StayEvaluation
from .rules import coordinates_object, is_stay_trainee

OF_PRACTICE, OF_STAY = StayEvaluation.Direction.OF_PRACTICE, StayEvaluation.Direction.OF_STAY


# --- One stay -------------------------------------------------------------------------------


def evaluations_for(stay: Assignment, user: User) -> dict[str, StayEvaluation]:
    """The stay's evaluations the user may read: the coordinator both, each author their own, and
    the trainee also the supervisor's evaluation of their stay. The practice's other GPs read
    only the practice's summary, so a trainee's words are not traced back to one stay."""
    found = {
        e.direction: e
        for e in stay.evaluations.select_related("author").prefetch_related("objective_scores__objective")
    }
    if coordinates_object(user, stay):
        return found
    shown = {d: e for d, e in found.items() if e.author_id == user.pk}
    if is_stay_trainee(user, stay) and OF_STAY in found:
        shown[OF_STAY] = found[OF_STAY]
    return shown


# --- Summaries ------------------------------------------------------------------------------


@dataclass
class Scores:
    """Average overall scores both ways, and how many evaluations they rest on."""

    of_practice: float | None = None
    of_practice_count: int = 0
    of_stay: float | None = None
    of_stay_count: int = 0


def _scores_by(queryset, key: str | None) -> dict:
    """Scores per ``key`` (or, without one, all together under ``None``)."""
    result: dict = {}
    keys = (key, "direction") if key else ("direction",)
    for row in queryset.values(*keys).annotate(avg=Avg("score"), n=Count("pk")).order_by():
        scores = result.setdefault(row.get(key), Scores())
        setattr(scores, row["direction"], row["avg"])
        setattr(scores, f"{row['direction']}_count", row["n"])
    return result


def _pooled_scores(parts: Iterable[Scores]) -> Scores:
    """The scores of disjoint groups together: each average weighted by the evaluations behind it."""
    pooled = Scores()
    parts = list(parts)
    for direction in (OF_PRACTICE, OF_STAY):
        weighted = [(getattr(p, direction), getattr(p, f"{direction}_count")) for p in parts]
        count = sum(n for _average, n in weighted)
        if count:
            setattr(pooled, direction, sum(average * n for average, n in weighted if n) / count)
            setattr(pooled, f"{direction}_count", count)
    return pooled


@dataclass
class ObjectiveAverage:
    title: str
    specialty: str
    average: float
    count: int


def _objective_averages(queryset) -> list[ObjectiveAverage]:
    rows = (
        queryset.values(
            "objective_id", "objective__title", "objective__specialty__name", "objective__position"
        )
        .annotate(avg=Avg("score"), n=Count("pk"))
        .order_by("objective__specialty__name", "objective__position", "objective_id")
    )
    return [
        ObjectiveAverage(r["objective__title"], r["objective__specialty__name"], r["avg"], r["n"])
        for r in rows
    ]


@dataclass
class PracticeSummary:
    scores: Scores
    objectives: list[ObjectiveAverage]


def practice_summary(offer: HostOffer) -> PracticeSummary:
    """What the practice's trainees and supervisors said over all its stays: averages only."""
    evaluations = StayEvaluation.objects.filter(assignment__offer=offer)
    return PracticeSummary(
        scores=_scores_by(evaluations, "assignment__offer_id").get(offer.pk, Scores()),
        objectives=_objective_averages(ObjectiveScore.objects.filter(evaluation__assignment__offer=offer)),
    )


# --- The coordinator's report ---------------------------------------------------------------


@dataclass
class SpecialtyRow:
    specialty: Specialty
    stays_done: int = 0
    weeks_hosted: int = 0
    scores: Scores = field(default_factory=Scores)


@dataclass
class PracticeRow:
    # Plain values, not the offer: a national region's report has hundreds of rows, and an
    # offer with its practice cost more to build than the rest of the report.
    offer_public_id: uuid.UUID
    practice_name: str
    weeks_offered: int = 0
    weeks_hosted: int = 0
    stays_done: int = 0
    scores: Scores = field(default_factory=Scores)

    @property
    def capacity_used(self) -> float | None:
        return self.weeks_hosted / self.weeks_offered if self.weeks_offered else None


@dataclass
class RegionReport:
    region: Region
    year: int
    specialties: list[SpecialtyRow]
    practices: list[PracticeRow]
    objectives: list[ObjectiveAverage]
    stays_done: int
    weeks_hosted: int
    weeks_offered: int
    scores: Scores

    @property
    def capacity_used(self) -> float | None:
        return self.weeks_hosted / self.weeks_offered if self.weeks_offered else None


def _stays_in(region: Region, first: date, last: date):
    return Assignment.objects.filter(
        need__region=region, state__in=Assignment.HOLDING, starts_on__gte=first, starts_on__lte=last
    )


def _first_monday(first: date) -> date:
    return first + timedelta(days=(7 - first.weekday()) % 7)


def _stay_figures(stays, key: str, today: date) -> dict:
    """Per ``key`` (the specialty or the offer): stays done (confirmed and over) and weeks hosted
    (stays holding a place), from one grouped query."""
    rows = (
        stays.values(key)
        .annotate(
            done=Count("pk", filter=Q(state=Assignment.State.CONFIRMED, ends_on__lt=today)),
            weeks=Sum("length_weeks"),
        )
        .order_by()
    )
    return {r[key]: (r["done"], r["weeks"] or 0) for r in rows}


def _weeks_offered(periods, first: date, last: date) -> dict[int, int]:
    """Per offer: trainee-weeks offered in the year, capacity times the weeks of each period
    whose Monday lies in the year (a week over New Year belongs to the year it starts in, as a
    stay does)."""
    rows = periods.values("offer_id").annotate(weeks=_offered_weeks(first, last)).order_by()
    return {r["offer_id"]: r["weeks"] or 0 for r in rows}


def _offered_weeks(first: date, last: date) -> Sum:
    clipped = DaysBetween(
        Least(F("ends_on"), Value(last)), Greatest(F("starts_on"), Value(_first_monday(first)))
    )
    return Sum(F("capacity") * (clipped / 7 + 1), output_field=IntegerField())


def _periods_in(region: Region, first: date, last: date):
    return HostPeriod.objects.filter(
        offer__region=region, starts_on__lte=last, ends_on__gte=_first_monday(first)
    )


def report_practices(region: Region, year: int) -> list[tuple]:
    """The practices the report lists, by name: every offer with a period in the year or a stay
    starting in it, as (pk, public_id, practice name). Cheap enough to page through before any
    figure is computed, and kept as the region-wide figures are (a practice's new name moves the
    revision too)."""
    first, last = date(year, 1, 1), date(year, 12, 31)

    def compute() -> list[tuple]:
        return list(
            HostOffer.objects.filter(
                Q(pk__in=_periods_in(region, first, last).values("offer_id"))
                | Q(pk__in=_stays_in(region, first, last).values("offer_id"))
            )
            .order_by("practice__name", "pk")
            .values_list("pk", "public_id", "practice__name")
        )

    return report_cache.kept(f"practices:{region.pk}:{year}", compute)


@dataclass(frozen=True)
class _RegionWide:
    """What the report says of the whole region, kept until a stay changes (report_cache)."""

    specialties: list[SpecialtyRow]
    objectives: list[ObjectiveAverage]
    weeks_offered: int
    scores: Scores


def _region_wide(region: Region, first: date, last: date, today: date) -> _RegionWide:
    stays = _stays_in(region, first, last)
    evaluations = StayEvaluation.objects.filter(assignment__in=stays)
    by_specialty = _stay_figures(stays, "need__specialty_id", today)
    specialty_scores = _scores_by(evaluations, "assignment__need__specialty_id")
    return _RegionWide(
        specialties=[
            SpecialtyRow(
                specialty=s,
                stays_done=by_specialty.get(s.pk, (0, 0))[0],
                weeks_hosted=by_specialty.get(s.pk, (0, 0))[1],
                scores=specialty_scores.get(s.pk, Scores()),
            )
            for s in Specialty.objects.filter(Q(focused_stay=True) | Q(pk__in=by_specialty)).order_by("name")
        ],
        objectives=_objective_averages(ObjectiveScore.objects.filter(evaluation__in=evaluations)),
        weeks_offered=_periods_in(region, first, last).aggregate(weeks=_offered_weeks(first, last))["weeks"]
        or 0,
        # Every evaluation belongs to one specialty: the region's scores are theirs pooled.
        scores=_pooled_scores(specialty_scores.values()),
    )


def region_report(region: Region, year: int, *, practices: list[tuple] | None = None) -> RegionReport:
    """The year's report. ``practices`` (rows of ``report_practices``) limits the per-practice
    figures to those, for a page of the report; without it, every practice (the spreadsheets).
    The totals and the specialties are always the whole region's, kept in the cache until a
    stay changes (``report_cache``; "done" depends on the day, so the day is in the key)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    today = timezone.localdate()
    whole = report_cache.kept(
        f"region:{region.pk}:{year}:{today.isoformat()}", lambda: _region_wide(region, first, last, today)
    )
    stays, periods = _stays_in(region, first, last), _periods_in(region, first, last)
    if practices is None:
        practices = report_practices(region, year)
    else:
        ids = [pk for pk, _public_id, _name in practices]
        stays, periods = stays.filter(offer_id__in=ids), periods.filter(offer_id__in=ids)
    by_offer = _stay_figures(stays, "offer_id", today)
    offered = _weeks_offered(periods, first, last)
    practice_scores = _scores_by(StayEvaluation.objects.filter(assignment__in=stays), "assignment__offer_id")
    return RegionReport(
        region=region,
        year=year,
        specialties=whole.specialties,
        practices=[
            PracticeRow(
                offer_public_id=public_id,
                practice_name=name,
                weeks_offered=offered.get(pk, 0),
                weeks_hosted=by_offer.get(pk, (0, 0))[1],
                stays_done=by_offer.get(pk, (0, 0))[0],
                scores=practice_scores.get(pk, Scores()),
            )
            for pk, public_id, name in practices
        ],
        objectives=whole.objectives,
        stays_done=sum(r.stays_done for r in whole.specialties),
        weeks_hosted=sum(r.weeks_hosted for r in whole.specialties),
        weeks_offered=whole.weeks_offered,
        scores=whole.scores,
    )


def report_years(region: Region) -> list[int]:
    """The years with stays in the region, and this year, newest first (kept as the report is)."""
    this_year = timezone.localdate().year

    def compute() -> list[int]:
        holding = Assignment.objects.filter(need__region=region, state__in=Assignment.HOLDING)
        return sorted({this_year, *(d.year for d in holding.dates("starts_on", "year"))}, reverse=True)

    return report_cache.kept(f"years:{region.pk}:{this_year}", compute)
