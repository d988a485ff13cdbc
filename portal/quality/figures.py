"""The cluster's and the health council area's figures, by month, for the last twelve months.

One query per source (correspondence, referrals, subacute referrals, conferences, stays), each
over every practice of the area at once, grouped by practice and month in SQL where the figure
is a count. The rows are then added up three ways in Python: the area (all its practices), the
cluster (its practices) and the viewer's own practices, so the number of queries does not grow
with the number of practices or months.

Medians and 90th percentiles: the durations of a source come back in that one query (two
timestamps a row) and ``portal.core.deadlines.reply_time_stats`` takes the median and
nearest-rank p90, as the departments' quality views do. ``percentile_cont`` exists on
PostgreSQL only; SQLite, the embedded default, has no percentile aggregate, and one
definition on both keeps the figures the same wherever they run.

Privacy (``portal.quality.privacy``): a cell is shown only when it rests on at least the
minimum group size of cases, and, for the cluster and the area, of practices that contributed
cases to it; otherwise it is "too few". No query here reads a patient, a text or a person.
"""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, DateField, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organisation
from portal.conferences.models import Conference, ConferenceNote
from portal.core.deadlines import reply_time_stats
from portal.correspondence.models import Message
from portal.referrals.models import Referral, ReferralEvent
from portal.referrals.selectors import SUBACUTE_HOURS, subacute_seen_in_time
from portal.stays.models import Assignment

from .privacy import is_reportable

MONTHS = 12
TOTAL = None  # the month key of the whole period
AREA, CLUSTER = "area", "cluster"


@dataclass
class Bucket:
    """What one group (area, cluster, practice) gathered in one month, or in the whole period."""

    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    durations: dict[str, list[timedelta]] = field(default_factory=lambda: defaultdict(list))
    practices: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str  # "hours", "percent" or "count"
    source: str
    # From a bucket: (the value or None when there is nothing to say, the number of cases it rests on).
    compute: Callable[[Bucket], tuple[float | int | None, int]]
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


def _hours(value: timedelta | None) -> float | None:
    return round(value.total_seconds() / 3600, 1) if value is not None else None


def _median(name: str):
    def compute(bucket: Bucket):
        stats = reply_time_stats(bucket.durations[name])
        return _hours(stats["median"]), stats["count"]

    return compute


def _p90(name: str):
    def compute(bucket: Bucket):
        stats = reply_time_stats(bucket.durations[name])
        return _hours(stats["p90"]), stats["count"]

    return compute


def _share(part: str, whole: str):
    def compute(bucket: Bucket):
        total = bucket.counts[whole]
        return (round(100 * bucket.counts[part] / total, 1) if total else None), total

    return compute


def _count(name: str, *, cases: str | None = None):
    def compute(bucket: Bucket):
        value = bucket.counts[name]
        return value, bucket.counts[cases or name]

    return compute


METRICS: list[Metric] = [
    Metric("hospital_reply_median", _("Hospital's reply to the practices: median (hours)"), "hours",
           "correspondence", _median("hospital"), charted=True),
    Metric("hospital_reply_p90", _("Hospital's reply to the practices: 90th percentile (hours)"), "hours",
           "correspondence", _p90("hospital")),
    Metric("hospital_reply_in_time", _("Hospital's reply to the practices: share within the deadline (%)"),
           "percent", "correspondence", _share("hospital_in_time", "hospital_with_deadline")),
    Metric("practice_reply_median", _("Practices' reply to the hospital: median (hours)"), "hours",
           "correspondence", _median("practice"), charted=True),
    Metric("practice_reply_p90", _("Practices' reply to the hospital: 90th percentile (hours)"), "hours",
           "correspondence", _p90("practice")),
    Metric("practice_reply_in_time", _("Practices' reply to the hospital: share within the deadline (%)"),
           "percent", "correspondence", _share("practice_in_time", "practice_with_deadline")),
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
           "conferences", _median("to_note")),
    Metric("stays_hosted", _("Focused stays hosted"), "count", "stays", _count("stays")),
    Metric("stay_weeks_hosted", _("Weeks of focused stays hosted"), "count", "stays",
           _count("weeks", cases="stays")),
]  # fmt: skip
METRICS_BY_KEY = {m.key: m for m in METRICS}


# --- The sources: one query each ------------------------------------------------------------------


class _Months:
    """The month a moment falls in, by bisecting the months' first instants: a row costs a
    comparison, not a time-zone conversion (tens of thousands of rows a request)."""

    def __init__(self, since: datetime):
        self.months = month_list(since)
        self.starts = [timezone.make_aware(datetime(m.year, m.month, 1)) for m in self.months]

    def __call__(self, moment: datetime) -> date:
        return self.months[max(bisect_right(self.starts, moment) - 1, 0)]


def _correspondence(area_ids, since, add):
    """Both directions of the written correspondence, by the month the reply came."""
    month_of = _Months(since)
    rows = (
        Message.objects.filter(answered_at__gte=since, answered_by_organisation__isnull=False)
        .filter(Q(organisation__in=area_ids) | Q(answered_by_organisation__in=area_ids))
        .values_list("organisation_id", "answered_by_organisation_id", "created_at", "answered_at", "due_at")
    )
    for asker, answerer, created, answered, due in rows.iterator(chunk_size=5000):
        # "hospital": a practice asked, the other side answered; "practice": a practice answered.
        side, practice = ("practice", answerer) if answerer in area_ids else ("hospital", asker)
        counts = {}
        if due is not None:
            counts = {f"{side}_with_deadline": 1, f"{side}_in_time": int(answered <= due)}
        add(practice, month_of(answered), counts, {side: max(answered - created, timedelta(0))})


def _referrals(area_ids, since, add):
    """Each referral by the month it was sent: re-routed on the way, accepted, returned, vetoed."""
    events = ReferralEvent.objects.filter(referral=OuterRef("pk"))
    rows = (
        Referral.objects.filter(practice__in=area_ids, created_at__gte=since)
        .annotate(
            month=TruncMonth("created_at", output_field=DateField()),
            was_rerouted=Exists(events.filter(kind=ReferralEvent.Kind.REROUTED)),
        )
        .order_by()
        .values("practice_id", "month")
        .annotate(
            total=Count("pk"),
            rerouted=Count("pk", filter=Q(was_rerouted=True)),
            accepted=Count("pk", filter=Q(state=Referral.State.ACCEPTED)),
            returned=Count("pk", filter=Q(state=Referral.State.RETURNED)),
            vetoes=Count("pk", filter=Q(vetoed_at__isnull=False)),
        )
    )
    for row in rows:
        add(row.pop("practice_id"), row.pop("month"), row, {})


def _subacute(area_ids, since, add, now):
    """The 72-hour promise, as the referrals' own quality view counts it, per referring practice."""
    rows = (
        Referral.objects.filter(
            practice__in=area_ids, urgency=Referral.Urgency.SUBACUTE, created_at__gte=since
        )
        .annotate(
            month=TruncMonth("created_at", output_field=DateField()),
            seen_in_time=subacute_seen_in_time(),
        )
        .order_by()
        .values("practice_id", "month")
        .annotate(
            total=Count("pk"),
            seen=Count("pk", filter=Q(seen_in_time=1)),
            pending=Count(
                "pk", filter=Q(seen_in_time=0, created_at__gt=now - timedelta(hours=SUBACUTE_HOURS))
            ),
        )
    )
    for row in rows:
        # Still within the 72 hours and not yet seen: the promise can still be kept, so not counted.
        counts = {"seen": row["seen"], "due": row["total"] - row["pending"]}
        add(row["practice_id"], row["month"], counts, {})


def _conferences(area_ids, since, add):
    """Closed conferences by the month they were requested, with the specialist's note's time."""
    month_of = _Months(since)
    note = ConferenceNote.objects.filter(conference=OuterRef("pk"), kind=ConferenceNote.Kind.SPECIALIST_NOTE)
    rows = (
        Conference.objects.filter(
            practice__in=area_ids, status=Conference.Status.CLOSED, requested_at__gte=since
        )
        .annotate(note_at=Subquery(note.values("written_at")[:1]))
        .values_list("practice_id", "requested_at", "accepted_at", "closed_at", "note_at")
    )
    for practice, requested, accepted, closed, note_at in rows.iterator(chunk_size=5000):
        durations = {}
        if note_at is not None:
            # As conferences.selectors counts it: from the close, or from the accept if written during.
            start = closed if note_at >= closed else accepted
            durations = {"to_note": max(note_at - start, timedelta(0))}
        add(practice, month_of(requested), {"closed": 1, "with_note": int(note_at is not None)}, durations)


def _stays(area_ids, since, add):
    """Confirmed focused stays by the month they start, up to today."""
    rows = (
        Assignment.objects.filter(
            offer__practice__in=area_ids,
            state=Assignment.State.CONFIRMED,
            starts_on__gte=since.date(),
            starts_on__lte=timezone.localdate(),
        )
        .annotate(month=TruncMonth("starts_on"))
        .order_by()
        .values("offer__practice_id", "month")
        .annotate(stays=Count("pk"), weeks=Sum("length_weeks"))
    )
    for row in rows:
        add(row["offer__practice_id"], row["month"], {"stays": row["stays"], "weeks": row["weeks"] or 0}, {})


SOURCES = ("correspondence", "referrals", "subacute", "conferences", "stays")


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


def _cell(metric: Metric, bucket: Bucket | None, *, pooled: bool) -> Cell:
    if bucket is None:
        return Cell(None, 0, False)
    value, cases = metric.compute(bucket)
    reportable = is_reportable(cases) and (not pooled or is_reportable(len(bucket.practices)))
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
    metrics = list(metrics)
    area_ids = set(area_practices_query(area).values_list("pk", flat=True))
    cluster_ids = set(cluster.practices.values_list("pk", flat=True)) if cluster is not None else set()
    area_ids |= cluster_ids
    own = [p for p in own_practices if p.pk in cluster_ids]
    own_ids = {p.pk for p in own}

    buckets: dict[tuple, Bucket] = defaultdict(Bucket)

    def adder(source: str):
        # Each source fills buckets of its own: a metric reads only what its source gathered, and
        # "practices that contributed" means practices with cases in that source.
        def add(practice_id: int, month: date, counts: dict, durations: dict) -> None:
            groups = [AREA]
            if practice_id in cluster_ids:
                groups.append(CLUSTER)
            if practice_id in own_ids:
                groups.append(practice_id)
            for group in groups:
                for key in (month, TOTAL):
                    bucket = buckets[(source, group, key)]
                    bucket.practices.add(practice_id)
                    for name, number in counts.items():
                        bucket.counts[name] += number
                    for name, duration in durations.items():
                        bucket.durations[name].append(duration)

        return add

    needed = {m.source for m in metrics}
    readers = {
        "correspondence": lambda add: _correspondence(area_ids, since, add),
        "referrals": lambda add: _referrals(area_ids, since, add),
        "subacute": lambda add: _subacute(area_ids, since, add, now),
        "conferences": lambda add: _conferences(area_ids, since, add),
        "stays": lambda add: _stays(area_ids, since, add),
    }
    for source in SOURCES:
        if source in needed:
            readers[source](adder(source))

    months = month_list(since)
    rows = []
    for metric in metrics:

        def cell(group, key, *, pooled=True, metric=metric):
            return _cell(metric, buckets.get((metric.source, group, key)), pooled=pooled)

        rows.append(
            MetricRow(
                metric=metric,
                cluster=cell(CLUSTER, TOTAL) if cluster is not None else None,
                area=cell(AREA, TOTAL),
                practices=[(p, cell(p.pk, TOTAL, pooled=False)) for p in own],
                months=[
                    (month, cell(CLUSTER, month) if cluster is not None else None, cell(AREA, month))
                    for month in months
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
