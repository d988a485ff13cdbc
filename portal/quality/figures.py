"""The cluster's and the health council area's figures, by month, for the last twelve months.

One query per source (correspondence, referrals, subacute referrals, conferences, stays), each
over every practice of the area at once and computed whole in SQL (``portal.quality.pooling``):
the counts, the medians and 90th percentiles of the durations, and the practices behind each, for
the area, the cluster and the viewer's own practices, by month and for the year. Python only reads
the pooled rows, so neither the number of queries nor the rows that come back grow with the
activity: a year of 44,000 answered messages comes back as a few hundred rows.

Privacy (``portal.quality.privacy``): a cell is shown only when it rests on at least the
minimum group size of cases, and, for the cluster and the area, of practices that contributed
cases to that very figure; otherwise it is "too few". No query here reads a patient, a text or a
person.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Case, Exists, F, FilteredRelation, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organisation
from portal.conferences.models import Conference, ConferenceNote
from portal.conferences.selectors import time_to_note_seconds
from portal.core.sql import SecondsBetween
from portal.correspondence.models import Message
from portal.referrals.models import Referral, ReferralEvent
from portal.referrals.selectors import SUBACUTE_HOURS, subacute_seen_in_time
from portal.stays.models import Assignment

from .pooling import AREA, CLUSTER, TOTAL, Pool, pooled
from .privacy import is_reportable

MONTHS = 12
HOSPITAL, PRACTICE = "hospital", "practice"  # who answered: the kinds of the correspondence


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str  # "hours", "percent" or "count"
    source: str
    # From a pool: (the value or None when there is nothing to say, the cases it rests on, the
    # practices those cases came from).
    compute: Callable[[Pool], tuple[float | int | None, int, int]]
    kind: str = ""  # the source's sub-division the metric reads
    charted: bool = False


@dataclass(frozen=True)
class Cell:
    value: float | int | None
    cases: int
    suppressed: bool

    @property
    def shown(self) -> bool:
        return not self.suppressed and self.value is not None


@dataclass
class MetricRow:
    metric: Metric
    cluster: Cell | None
    area: Cell
    practices: list[tuple[Organisation, Cell]]
    months: list[tuple[date, Cell | None, Cell]]  # month, cluster (None on the area's page), area


@dataclass
class Figures:
    since: datetime
    months: list[date]
    cluster_practice_count: int | None
    area_practice_count: int
    rows: list[MetricRow]


# --- The metrics ---------------------------------------------------------------------------------


def _hours(seconds: float | None) -> float | None:
    return round(seconds / 3600, 1) if seconds is not None else None


def _median(pool: Pool):
    d = pool.durations
    return _hours(d.median), d.count, d.practices


def _p90(pool: Pool):
    d = pool.durations
    return _hours(d.p90), d.count, d.practices


def _share(part: str, whole: str):
    def compute(pool: Pool):
        total = pool.counts.get(whole, 0)
        value = round(100 * pool.counts.get(part, 0) / total, 1) if total else None
        return value, total, pool.practices.get(whole, 0)

    return compute


def _count(name: str, *, cases: str | None = None):
    def compute(pool: Pool):
        cases_name = cases or name
        return pool.counts.get(name, 0), pool.counts.get(cases_name, 0), pool.practices.get(cases_name, 0)

    return compute


METRICS: list[Metric] = [
    Metric("hospital_reply_median", _("Hospital's reply to the practices: median (hours)"), "hours",
           "correspondence", _median, kind=HOSPITAL, charted=True),
    Metric("hospital_reply_p90", _("Hospital's reply to the practices: 90th percentile (hours)"), "hours",
           "correspondence", _p90, kind=HOSPITAL),
    Metric("hospital_reply_in_time", _("Hospital's reply to the practices: share within the deadline (%)"),
           "percent", "correspondence", _share("in_time", "with_deadline"), kind=HOSPITAL),
    Metric("practice_reply_median", _("Practices' reply to the hospital: median (hours)"), "hours",
           "correspondence", _median, kind=PRACTICE, charted=True),
    Metric("practice_reply_p90", _("Practices' reply to the hospital: 90th percentile (hours)"), "hours",
           "correspondence", _p90, kind=PRACTICE),
    Metric("practice_reply_in_time", _("Practices' reply to the hospital: share within the deadline (%)"),
           "percent", "correspondence", _share("in_time", "with_deadline"), kind=PRACTICE),
    Metric("referrals", _("Referrals sent"), "count", "referrals", _count("total")),
    Metric("referrals_rerouted", _("Referrals re-routed (%)"), "percent", "referrals",
           _share("rerouted", "total"), charted=True),
    Metric("referrals_accepted", _("Referrals accepted (%)"), "percent", "referrals",
           _share("accepted", "total")),
    Metric("referrals_returned", _("Referrals returned after dialogue (%)"), "percent", "referrals",
           _share("returned", "total")),
    Metric("vetoes", _("Veto uses"), "count", "referrals", _count("vetoes")),
    Metric("subacute_in_time", _("Subacute referrals seen within 72 hours (%)"), "percent", "subacute",
           _share("seen", "due"), charted=True),
    Metric("conference_notes", _("Closed conferences with the specialist's note written (%)"), "percent",
           "conferences", _share("with_note", "closed")),
    Metric("conference_note_median", _("Time from conference to note: median (hours)"), "hours",
           "conferences", _median),
    Metric("stays_hosted", _("Focused stays hosted"), "count", "stays", _count("stays")),
    Metric("stay_weeks_hosted", _("Weeks of focused stays hosted"), "count", "stays",
           _count("weeks", cases="stays")),
]  # fmt: skip
METRICS_BY_KEY = {m.key: m for m in METRICS}


# --- The sources: one query each ------------------------------------------------------------------


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _month_index(field: str, starts: list) -> Case:
    """The month a moment (or a day) falls in, as its index in the period: plain comparisons with
    the months' first instants, in the database, with no time-zone function per row."""
    return Case(
        *(When(**{f"{field}__gte": start}, then=Value(i)) for i, start in reversed(list(enumerate(starts)))),
        default=Value(0),
        output_field=IntegerField(),
    )


def _non_negative(seconds):
    return Greatest(seconds, Value(0.0))


def _correspondence(area_ids, since, starts, now):
    """Both directions of the written correspondence, by the month the reply came. "hospital": a
    practice asked and the other side answered; "practice": a practice answered."""
    answered_by_area = Q(answered_by_organisation__in=area_ids)
    facts = (
        Message.objects.filter(answered_at__gte=since, answered_by_organisation__isnull=False)
        .filter(Q(organisation__in=area_ids) | answered_by_area)
        .values(
            q_practice=Case(
                When(answered_by_area, then=F("answered_by_organisation_id")),
                default=F("organisation_id"),
                output_field=IntegerField(),
            ),
            q_month=_month_index("answered_at", starts),
            q_kind=Case(When(answered_by_area, then=Value(PRACTICE)), default=Value(HOSPITAL)),
            c_with_deadline=_flag(Q(due_at__isnull=False)),
            c_in_time=_flag(Q(due_at__isnull=False, answered_at__lte=F("due_at"))),
            q_seconds=_non_negative(SecondsBetween("answered_at", "created_at")),
        )
    )
    return facts, ["with_deadline", "in_time"], True


def _referrals(area_ids, since, starts, now):
    """Each referral by the month it was sent: re-routed on the way, accepted, returned, vetoed."""
    rerouted = ReferralEvent.objects.filter(referral=OuterRef("pk"), kind=ReferralEvent.Kind.REROUTED)
    facts = (
        Referral.objects.filter(practice__in=area_ids, created_at__gte=since)
        .annotate(was_rerouted=Exists(rerouted))
        .values(
            q_practice=F("practice_id"),
            q_month=_month_index("created_at", starts),
            q_kind=Value(""),
            c_total=Value(1),
            c_rerouted=_flag(Q(was_rerouted=True)),
            c_accepted=_flag(Q(state=Referral.State.ACCEPTED)),
            c_returned=_flag(Q(state=Referral.State.RETURNED)),
            c_vetoes=_flag(Q(vetoed_at__isnull=False)),
        )
    )
    return facts, ["total", "rerouted", "accepted", "returned", "vetoes"], False


def _subacute(area_ids, since, starts, now):
    """The 72-hour promise, as the referrals' own quality view counts it, per referring practice.
    Still within the 72 hours and not yet seen: the promise can still be kept, so not due."""
    still_in_time = Q(seen_in_time=0, created_at__gt=now - timedelta(hours=SUBACUTE_HOURS))
    facts = (
        Referral.objects.filter(
            practice__in=area_ids, urgency=Referral.Urgency.SUBACUTE, created_at__gte=since
        )
        .annotate(seen_in_time=subacute_seen_in_time())
        .values(
            q_practice=F("practice_id"),
            q_month=_month_index("created_at", starts),
            q_kind=Value(""),
            c_seen=F("seen_in_time"),
            c_due=Case(When(still_in_time, then=Value(0)), default=Value(1), output_field=IntegerField()),
        )
    )
    return facts, ["seen", "due"], False


def _conferences(area_ids, since, starts, now):
    """Closed conferences by the month they were requested, with the time to the specialist's
    note as the conferences' own quality view counts it."""
    # A join, not a subquery: the note's time is read five times below, and at most one note of
    # the kind exists per conference (conference_note_once_per_kind).
    facts = (
        Conference.objects.filter(
            practice__in=area_ids, status=Conference.Status.CLOSED, requested_at__gte=since
        )
        .annotate(
            note=FilteredRelation("notes", condition=Q(notes__kind=ConferenceNote.Kind.SPECIALIST_NOTE)),
            note_at=F("note__written_at"),
        )
        .values(
            q_practice=F("practice_id"),
            q_month=_month_index("requested_at", starts),
            q_kind=Value(""),
            c_closed=Value(1),
            c_with_note=_flag(Q(note_at__isnull=False)),
            q_seconds=time_to_note_seconds("note_at"),
        )
    )
    return facts, ["closed", "with_note"], True


def _stays(area_ids, since, starts, now):
    """Confirmed focused stays by the month they start, up to today."""
    facts = Assignment.objects.filter(
        offer__practice__in=area_ids,
        state=Assignment.State.CONFIRMED,
        starts_on__gte=since.date(),
        starts_on__lte=timezone.localdate(now),
    ).values(
        q_practice=F("offer__practice_id"),
        q_month=_month_index("starts_on", [start.date() for start in starts]),
        q_kind=Value(""),
        c_stays=Value(1),
        c_weeks=F("length_weeks"),
    )
    return facts, ["stays", "weeks"], False


SOURCES = {
    "correspondence": _correspondence,
    "referrals": _referrals,
    "subacute": _subacute,
    "conferences": _conferences,
    "stays": _stays,
}


# --- Putting it together --------------------------------------------------------------------------


def period_start(now: datetime) -> datetime:
    """Midnight on the first day of the month eleven months back: twelve calendar months."""
    today = timezone.localtime(now).date()
    year, month = today.year, today.month - (MONTHS - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return timezone.make_aware(datetime(year, month, 1))


def month_list(since: datetime) -> list[date]:
    first = timezone.localtime(since).date()
    months = []
    year, month = first.year, first.month
    for _i in range(MONTHS):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def area_practices_query(area):
    """The area's practices: those placed in it, and those in any of its clusters."""
    return (
        Organisation.objects.filter(kind=Organisation.Kind.GENERAL_PRACTICE)
        .filter(Q(health_council_area=area) | Q(quality_clusters__health_council_area=area))
        .distinct()
    )


def _cell(metric: Metric, pool: Pool | None, *, pooled: bool) -> Cell:
    if pool is None:
        return Cell(None, 0, False)
    value, cases, practices = metric.compute(pool)
    reportable = is_reportable(cases) and (not pooled or is_reportable(practices))
    if value is None:
        return Cell(None, cases, False)
    return Cell(value if reportable else None, cases, not reportable)


def compute(
    *,
    area,
    cluster=None,
    own_practices: Iterable[Organisation] = (),
    metrics: Iterable[Metric] = METRICS,
    now: datetime | None = None,
) -> Figures:
    """The figures of the area, and of the cluster and the viewer's own practices when given.

    ``own_practices`` must already be the viewer's own (the view decides who they are): their
    rows are the only per-practice figures anyone sees.
    """
    now = now or timezone.now()
    since = period_start(now)
    months = month_list(since)
    starts = [timezone.make_aware(datetime(m.year, m.month, 1)) for m in months]
    metrics = list(metrics)
    area_ids = set(area_practices_query(area).values_list("pk", flat=True))
    cluster_ids = set(cluster.practices.values_list("pk", flat=True)) if cluster is not None else set()
    area_ids |= cluster_ids
    own = [p for p in own_practices if p.pk in cluster_ids]

    pools: dict[str, dict[tuple[str, int, int], Pool]] = {}
    for source in {m.source for m in metrics}:
        facts, counters, durations = SOURCES[source](sorted(area_ids), since, starts, now)
        pools[source] = pooled(
            facts,
            counters=counters,
            durations=durations,
            cluster_ids=cluster_ids,
            own_ids={p.pk for p in own},
        )

    rows = []
    for metric in metrics:

        def cell(group: int, month: int, *, pooled=True, metric=metric):
            return _cell(metric, pools[metric.source].get((metric.kind, group, month)), pooled=pooled)

        rows.append(
            MetricRow(
                metric=metric,
                cluster=cell(CLUSTER, TOTAL) if cluster is not None else None,
                area=cell(AREA, TOTAL),
                practices=[(p, cell(p.pk, TOTAL, pooled=False)) for p in own],
                months=[
                    (month, cell(CLUSTER, i) if cluster is not None else None, cell(AREA, i))
                    for i, month in enumerate(months)
                ],
            )
        )
    return Figures(
        since=since,
        months=months,
        cluster_practice_count=len(cluster_ids) if cluster is not None else None,
        area_practice_count=len(area_ids),
        rows=rows,
    )
