"""Reads of focused stays: each role's page, the coordinator's region and a run's proposal.

Every list is a fixed number of queries whatever the number of needs, offers and stays
(tests/stays/test_query_counts.py holds the coordinator's pages to that).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet

from portal.accounts.models import Region, Specialty, User

from .models import Assignment, HostOffer, HostPeriod, LearningObjective, MatchingRun, PairRule, StayNeed
from .scope import coordinator_region_ids, gp_practice_ids, is_trainee

CALENDAR_MAX_WEEKS = 60
# The board is an overview: the first rows of each list. The matching takes every need and offer,
# the spreadsheets hold every stay, and the run and the report page through theirs.
BOARD_ROWS = 10
REPORT_PAGE_ROWS = 25
RUN_PAGE_ROWS = 25

_NEED_RELATED = ("trainee", "department__parent", "specialty")
_ASSIGNMENT_RELATED = ("need__trainee", "need__specialty", "need__department__parent", "offer__practice")


def coordinator_regions(user: User) -> list[Region]:
    ids = coordinator_region_ids(user)
    return list(Region.objects.filter(pk__in=ids)) if ids else []


def region_for_coordinator(user: User, slug: str) -> Region | None:
    ids = coordinator_region_ids(user)
    return Region.objects.filter(pk__in=ids, slug=slug).first() if ids else None


def needs_for_trainee(user: User) -> list[StayNeed]:
    live = Assignment.objects.filter(
        state__in=[*Assignment.HOLDING, Assignment.State.DECLINED]
    ).select_related("offer__practice")
    return list(
        StayNeed.objects.filter(trainee=user)
        .select_related(*_NEED_RELATED)
        .prefetch_related(Prefetch("assignments", queryset=live, to_attr="shown_stays"))
        .order_by("-created_at")
    )


def offers_for_gp(user: User) -> list[HostOffer]:
    ids = gp_practice_ids(user)
    if not ids:
        return []
    return list(HostOffer.objects.filter(practice_id__in=ids).select_related("practice", "supervisor"))


def stays_hosted(user: User) -> list[Assignment]:
    ids = gp_practice_ids(user)
    if not ids:
        return []
    return list(
        Assignment.objects.filter(
            offer__practice_id__in=ids,
            state__in=[*Assignment.HOLDING, Assignment.State.DECLINED],
        ).select_related(*_ASSIGNMENT_RELATED)
    )


def need_for_view(public_id) -> QuerySet:
    return StayNeed.objects.filter(public_id=public_id).select_related(*_NEED_RELATED, "region")


def need_objectives(need: StayNeed) -> list[LearningObjective]:
    return list(need.objectives.all())


def need_history(need: StayNeed) -> list[Assignment]:
    return list(
        need.assignments.exclude(
            state__in=[Assignment.State.PROPOSED, Assignment.State.DISCARDED]
        ).select_related("offer__practice")
    )


def offer_for_view(public_id) -> QuerySet:
    return HostOffer.objects.filter(public_id=public_id).select_related(
        "practice", "supervisor", "area", "region"
    )


def offer_periods(offer: HostOffer) -> list[HostPeriod]:
    return list(offer.periods.all())


def assignment_for_view(public_id) -> QuerySet:
    return Assignment.objects.filter(public_id=public_id).select_related(
        *_ASSIGNMENT_RELATED, "offer__supervisor", "run"
    )


def active_objectives(specialty_ids) -> QuerySet:
    return LearningObjective.objects.filter(specialty_id__in=specialty_ids, is_active=True).select_related(
        "specialty"
    )


def focused_specialties() -> list[Specialty]:
    """The specialties with focused stays, each with ``objective_count`` (objectives in use)."""
    counts = dict(
        LearningObjective.objects.filter(is_active=True)
        .values("specialty_id")
        .annotate(n=Count("pk"))
        .values_list("specialty_id", "n")
    )
    specialties = list(Specialty.objects.filter(focused_stay=True))
    for specialty in specialties:
        specialty.objective_count = counts.get(specialty.pk, 0)
    return specialties


def objectives_of(specialty: Specialty) -> list[LearningObjective]:
    return list(LearningObjective.objects.filter(specialty=specialty))


# --- The coordinator's region ---------------------------------------------------------------


@dataclass
class RegionBoard:
    """The coordinator's region at a glance: counts, the first ``BOARD_ROWS`` of each list (at
    national scale a region has hundreds of needs and offers; the matching takes them all, the
    spreadsheets hold them all), the pinned and forbidden pairs and the latest run."""

    region: Region
    shown_needs: list
    open_needs_count: int
    shown_offers: list
    offers_count: int
    rules: list
    latest_run: MatchingRun | None
    stays: list = field(default_factory=list)
    stays_count: int = 0


def region_board(region: Region) -> RegionBoard:
    open_needs = StayNeed.objects.filter(region=region, state=StayNeed.State.OPEN)
    offers = HostOffer.objects.filter(region=region)
    stays = Assignment.objects.filter(
        need__region=region, state__in=[*Assignment.HOLDING, Assignment.State.DECLINED]
    )
    return RegionBoard(
        region=region,
        shown_needs=list(
            open_needs.select_related(*_NEED_RELATED).order_by("earliest_start", "pk")[:BOARD_ROWS]
        ),
        open_needs_count=open_needs.count(),
        shown_offers=list(
            offers.order_by("practice__name", "pk")
            .select_related("practice", "supervisor", "area")
            .prefetch_related("specialties", "periods")[:BOARD_ROWS]
        ),
        offers_count=offers.count(),
        rules=region_rules(region),
        latest_run=MatchingRun.objects.filter(region=region).select_related("run_by").first(),
        stays=list(stays.select_related(*_ASSIGNMENT_RELATED).order_by("starts_on", "pk")[:BOARD_ROWS]),
        stays_count=stays.count(),
    )


@dataclass
class RuleChoices:
    """What a pinned or forbidden pair is chosen from: every open need and every offer of the
    region, as plain values (a national region has hundreds of offers)."""

    needs: list  # (public_id, trainee's name, specialty)
    offers: list  # (public_id, practice name)


def rule_choices(region: Region) -> RuleChoices:
    needs = (
        StayNeed.objects.filter(region=region, state=StayNeed.State.OPEN)
        .order_by("earliest_start", "pk")
        .values_list("public_id", "trainee__first_name", "trainee__last_name", "specialty__name")
    )
    return RuleChoices(
        needs=[
            (public_id, f"{first} {last}".strip(), specialty) for public_id, first, last, specialty in needs
        ],
        offers=list(
            HostOffer.objects.filter(region=region)
            .order_by("practice__name", "pk")
            .values_list("public_id", "practice__name")
        ),
    )


def region_rules(region: Region) -> list[PairRule]:
    return list(
        PairRule.objects.filter(region=region, need__state=StayNeed.State.OPEN).select_related(
            "need__trainee", "need__specialty", "offer__practice"
        )
    )


def run_for_region(region: Region, public_id) -> MatchingRun | None:
    return MatchingRun.objects.filter(region=region, public_id=public_id).select_related("run_by").first()


def run_assignments_query(run: MatchingRun) -> QuerySet:
    return run.assignments.select_related(*_ASSIGNMENT_RELATED).order_by(
        "offer__practice__name", "starts_on", "pk"
    )


def run_assignments(run: MatchingRun) -> list[Assignment]:
    return list(run_assignments_query(run))


def infeasible_rows(run: MatchingRun) -> list[tuple[StayNeed | None, dict]]:
    ids = [row["need"] for row in run.infeasible]
    needs = {
        str(n.public_id): n for n in StayNeed.objects.filter(public_id__in=ids).select_related(*_NEED_RELATED)
    }
    return [(needs.get(row["need"]), row) for row in run.infeasible]


# --- The week-by-week calendar --------------------------------------------------------------


@dataclass
class CalendarRow:
    offer: HostOffer
    cells: list  # one list of assignments per week


@dataclass
class Calendar:
    weeks: list[date]
    rows: list[CalendarRow]
    truncated: bool = False


def week_calendar(assignments: list[Assignment]) -> Calendar:
    """Practices down, weeks across (Mondays): who is where in each week of the proposal."""
    if not assignments:
        return Calendar(weeks=[], rows=[])
    first = min(a.starts_on for a in assignments)
    first -= timedelta(days=first.weekday())
    last = max(a.ends_on for a in assignments)
    count = (last - first).days // 7 + 1
    truncated = count > CALENDAR_MAX_WEEKS
    weeks = [first + timedelta(weeks=i) for i in range(min(count, CALENDAR_MAX_WEEKS))]
    rows: dict[int, CalendarRow] = {}
    for a in assignments:
        row = rows.setdefault(a.offer_id, CalendarRow(offer=a.offer, cells=[[] for _ in weeks]))
        start = (a.starts_on - first).days // 7
        for index in range(start, min(start + a.length_weeks, len(weeks))):
            row.cells[index].append(a)
    ordered = sorted(rows.values(), key=lambda r: r.offer.practice.name)
    return Calendar(weeks=weeks, rows=ordered, truncated=truncated)


# --- Mit overblik ---------------------------------------------------------------------------


def _awaiting_answer_filter(user: User):
    practices = gp_practice_ids(user)
    condition = Q(need__trainee=user, trainee_confirmed_at__isnull=True)
    if practices:
        condition |= Q(offer__practice_id__in=practices, practice_confirmed_at__isnull=True)
    return Q(state=Assignment.State.PUBLISHED) & condition


def _takes_part(user: User) -> bool:
    # Without a trainee or GP membership nothing can await the user: no query at all.
    return bool(gp_practice_ids(user)) or is_trainee(user)


def stays_awaiting_answer(user: User, *, limit: int) -> tuple[list[Assignment], int]:
    """Published stays the user (as trainee or GP of the host) has not yet answered, and how many."""
    if not _takes_part(user):
        return [], 0
    rows = Assignment.objects.filter(_awaiting_answer_filter(user))
    shown = list(rows.select_related(*_ASSIGNMENT_RELATED).order_by("starts_on", "pk")[:limit])
    return shown, rows.count()


def stays_awaiting_answer_count(user: User) -> int:
    if not _takes_part(user):
        return 0
    return Assignment.objects.filter(_awaiting_answer_filter(user)).count()


def open_needs_by_region(user: User) -> list[tuple[Region, int]]:
    """For a coordinator: each region and its needs awaiting a practice."""
    ids = coordinator_region_ids(user)
    if not ids:
        return []
    counts = dict(
        StayNeed.objects.filter(region_id__in=ids, state=StayNeed.State.OPEN)
        .values("region_id")
        .annotate(n=Count("pk"))
        .values_list("region_id", "n")
    )
    return [(region, counts.get(region.pk, 0)) for region in Region.objects.filter(pk__in=ids)]


# --- Calendars and exports ------------------------------------------------------------------

_FEED_RELATED = (*_ASSIGNMENT_RELATED, "offer__supervisor")
_SHOWN_STATES = (*Assignment.HOLDING, Assignment.State.DECLINED)


def stays_of_user(user: User) -> list[Assignment]:
    """The published stays a user takes part in: as the trainee or as a GP of the host practice."""
    condition = Q(need__trainee=user)
    practices = gp_practice_ids(user)
    if practices:
        condition |= Q(offer__practice_id__in=practices)
    return list(
        Assignment.objects.filter(condition, state__in=_SHOWN_STATES)
        .select_related(*_FEED_RELATED)
        .order_by("starts_on", "pk")
    )


def region_stays(region: Region) -> list[Assignment]:
    return list(
        Assignment.objects.filter(need__region=region, state__in=_SHOWN_STATES)
        .select_related(*_FEED_RELATED)
        .order_by("starts_on", "pk")
    )
