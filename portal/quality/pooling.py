"""One source's facts pooled in SQL: for the area, the cluster and each of the viewer's own
practices, by month and for the whole period, in one query whatever the number of rows.

A source gives a queryset of facts, one row per case, with these columns:

- ``q_practice``: the practice the case belongs to;
- ``q_month``: the month's index in the period (0 … 11);
- ``q_kind``: a sub-division pooled apart (the direction of a reply), or "";
- ``q_seconds``: a duration, or NULL when the case has none (optional column);
- ``c_<name>``: a number to add up (1 or 0 for a count).

The query copies each fact into the groups it belongs to (``UNION ALL``), and groups them by
group, month and kind. For every ``c_<name>`` it returns the sum, and the number of practices that
contributed a non-zero value (the minimum group size is about practices with cases in that
cell). For ``q_seconds`` it returns the count, the practices, the median (the middle value, or the
mean of the two middle ones) and the nearest-rank 90th percentile (the ⌈0.9·n⌉-th smallest), the
definitions of ``portal.core.deadlines.reply_time_stats``: PostgreSQL's ordered-set aggregates on
PostgreSQL, row numbers in a window on SQLite (which has no percentile aggregate); a test holds
the two ways to the same figures.
"""

# The SQL here is put together from this module's own names and the ORM's compiled query; every
# value is a parameter.
# ruff: noqa: S608

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import QuerySet

AREA, CLUSTER = -1, -2  # group keys; a practice's own group is its (positive) id
TOTAL = -1  # the month key of the whole period


@dataclass(frozen=True)
class DurationStats:
    count: int
    practices: int
    median: float | None  # seconds
    p90: float | None


@dataclass
class Pool:
    """What one group gathered in one month (or the whole period) of one kind of one source."""

    counts: dict[str, int] = field(default_factory=dict)
    practices: dict[str, int] = field(default_factory=dict)  # practices behind each count
    durations: DurationStats = DurationStats(0, 0, None, None)


def _placeholders(ids: Iterable[int]) -> tuple[str, list[int]]:
    ids = sorted(ids)
    return ", ".join(["%s"] * len(ids)), ids


def _copies(select: str, table: str, *, groups, where: str = "") -> tuple[str, list]:
    """``select`` from ``table`` once per group, UNION ALL: ``{group}`` in it becomes the group's key."""
    parts, params = [], []
    for group, condition, ids in groups:
        conditions = " AND ".join(c for c in (where, condition) if c)
        parts.append(
            f"SELECT {select.format(group=group)} FROM {table}"
            + (f" WHERE {conditions}" if conditions else "")
        )
        params.extend(ids)
    return " UNION ALL ".join(parts), params


# The median and the nearest-rank 90th percentile of ``timed`` per group, month and kind, two ways
# that give the same figures (a test runs both on PostgreSQL). PostgreSQL's ordered-set aggregates
# sort each group on its own, in memory, about twice as fast as the window; SQLite has none of them
# and ranks the rows in a window. In the window, n is over the whole partition: with an ORDER BY, a
# window's count would be a running one.
_STATS = {
    "ordered_set": (
        "SELECT grp, month, q_kind, percentile_cont(0.5) WITHIN GROUP (ORDER BY q_seconds) AS d_median,"
        " percentile_disc(0.9) WITHIN GROUP (ORDER BY q_seconds) AS d_p90"
        " FROM timed GROUP BY grp, month, q_kind"
    ),
    "window": (
        "SELECT grp, month, q_kind,"
        " AVG(CASE WHEN rn = (n + 1) / 2 OR rn = (n + 2) / 2 THEN q_seconds END) AS d_median,"
        " MAX(CASE WHEN rn = (9 * n + 9) / 10 THEN q_seconds END) AS d_p90"
        " FROM (SELECT grp, month, q_kind, q_seconds,"
        " ROW_NUMBER() OVER (PARTITION BY grp, month, q_kind ORDER BY q_seconds) AS rn,"
        " COUNT(*) OVER (PARTITION BY grp, month, q_kind) AS n FROM timed) ranked"
        " GROUP BY grp, month, q_kind"
    ),
}


def _percentiles_on(connection) -> str:
    return "ordered_set" if connection.vendor == "postgresql" else "window"


TIMED = "timed"  # the counter of cases with a duration, added when the source has durations


def pooled(
    facts: QuerySet,
    *,
    counters: Iterable[str],
    durations: bool,
    cluster_ids: Iterable[int] = (),
    own_ids: Iterable[int] = (),
    percentiles: str | None = None,
) -> dict[tuple[str, int, int], Pool]:
    """``{(kind, group, month): Pool}`` for the facts, pooled as the module says; groups or
    months with no facts are absent.

    The query, step by step:

    1. ``per_practice``: the counts summed per practice, kind and month, and per practice and kind
       for the whole period: a few thousand rows for a year of tens of thousands of cases.
    2. ``counts``: those rows copied into each group a practice belongs to and summed; each
       practice is one row of its group there, so "practices behind a count" is a plain count.
    3. With durations, ``timed``: just the durations (group, month, kind, seconds), copied into
       each group and month; ``stats``: their median and 90th percentile (``_STATS``; the
       database's own way unless ``percentiles`` names one). The sort carries four narrow columns.
    """
    counters = list(counters)
    # The SQL below is put together from names, never from input: the names are the sources' own.
    if not all(re.fullmatch(r"[a-z_]+", name) for name in counters) or TIMED in counters:
        raise ValueError(f"counter names must be plain identifiers other than {TIMED!r}, got {counters}")
    if durations:
        counters.append(TIMED)
    connection = connections[facts.db]
    inner_sql, params = facts.order_by().query.sql_with_params()
    params = list(params)

    groups: list[tuple[str, str, list]] = [(str(AREA), "", [])]
    if cluster_ids:
        marks, ids = _placeholders(cluster_ids)
        groups.append((str(CLUSTER), f"q_practice IN ({marks})", ids))
    if own_ids:
        marks, ids = _placeholders(own_ids)
        groups.append(("q_practice", f"q_practice IN ({marks})", ids))

    def summed(name: str) -> str:
        return "COUNT(q_seconds)" if name == TIMED else f"SUM(c_{name})"

    per_practice = ", ".join(f"{summed(name)} AS c_{name}" for name in counters)
    carried = ", ".join(f"c_{name}" for name in counters)
    copied, copied_params = _copies(
        f"{{group}} AS grp, month, q_kind, {carried}", "per_practice", groups=groups
    )
    params += copied_params
    pooled_counts = ", ".join(
        f"SUM(c_{name}) AS c_{name}, COUNT(CASE WHEN c_{name} > 0 THEN 1 END) AS p_{name}"
        for name in counters
    )
    sql = (
        f"WITH facts AS ({inner_sql}), "
        f"per_practice AS (SELECT q_practice, q_month AS month, q_kind, {per_practice} FROM facts"
        f" GROUP BY q_practice, q_month, q_kind UNION ALL SELECT q_practice, {TOTAL}, q_kind, {per_practice}"
        f" FROM facts GROUP BY q_practice, q_kind), "
        f"counts AS (SELECT grp, month, q_kind, {pooled_counts}"
        f" FROM ({copied}) copied GROUP BY grp, month, q_kind)"
    )
    selected = "counts.*"
    joined = ""
    if durations:
        timed = []
        for month in ("q_month", str(TOTAL)):
            part, part_params = _copies(
                f"{{group}} AS grp, {month} AS month, q_kind, q_seconds",
                "facts",
                groups=groups,
                where="q_seconds IS NOT NULL",
            )
            timed.append(part)
            params += part_params
        stats = _STATS[percentiles or _percentiles_on(connection)]
        sql += f", timed AS ({' UNION ALL '.join(timed)}), stats AS ({stats})"
        selected += ", stats.d_median, stats.d_p90"
        joined = (
            " LEFT JOIN stats ON stats.grp = counts.grp AND stats.month = counts.month"
            " AND stats.q_kind = counts.q_kind"
        )
    sql += f" SELECT {selected} FROM counts{joined}"

    result: dict[tuple[str, int, int], Pool] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            group, month, kind, *values = row
            pool = Pool()
            for i, name in enumerate(counters):
                pool.counts[name] = int(values[2 * i] or 0)
                pool.practices[name] = int(values[2 * i + 1])
            if durations:
                median, p90 = values[2 * len(counters) :]
                pool.durations = DurationStats(
                    pool.counts.pop(TIMED),
                    pool.practices.pop(TIMED),
                    float(median) if median is not None else None,
                    float(p90) if p90 is not None else None,
                )
            result[(kind, int(group), int(month))] = pool
    return result
