"""The cluster's figures: what each counts, the minimum group size, and a constant query count."""

import random
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.core.deadlines import reply_time_stats
from portal.quality import figures, pooling
from portal.referrals.models import Referral
from tests.accounts.login import verified_login
from tests.quality.activity import Area, conference, days_ago, message, referral

pytestmark = pytest.mark.django_db


def _rows(w: Area, own=()):
    result = figures.compute(area=w.area, cluster=w.cluster, own_practices=own)
    return {row.metric.key: row for row in result.rows}


def test_reply_times_both_ways_median_p90_and_share_within_the_deadline(settings):
    settings.QUALITY_MIN_GROUP_SIZE = 5
    w = Area(in_cluster=6, outside=1)
    # The hospital answers each cluster practice in 1..6 hours; the 6-hour answer is past a 5-hour deadline.
    for hours, practice in enumerate(w.practices, start=1):
        message(practice, w.department, at=days_ago(40), wait_hours=hours, due_hours=5)
        # The practices answer the hospital in 10, 20 … 60 hours, all within 72.
        message(w.department, practice, at=days_ago(40), wait_hours=10 * hours)
    # The practice outside the cluster counts in the area only.
    message(w.outside[0], w.department, at=days_ago(40), wait_hours=100, due_hours=5)

    rows = _rows(w)

    assert rows["hospital_reply_median"].cluster.value == 3.5
    assert rows["hospital_reply_p90"].cluster.value == 6.0  # nearest rank: the 6th of 6
    assert rows["hospital_reply_in_time"].cluster.value == round(100 * 5 / 6, 1)
    assert rows["hospital_reply_median"].area.value == 4.0
    assert rows["hospital_reply_p90"].area.value == 100.0
    assert rows["practice_reply_median"].cluster.value == 35.0
    assert rows["practice_reply_in_time"].cluster.value == 100.0
    # The month it happened in carries the same figures; the other months are empty, not zero.
    month = timezone.localtime(days_ago(40)).date().replace(day=1)
    by_month = {m: cluster for m, cluster, _area in rows["hospital_reply_median"].months}
    assert len(by_month) == 12
    assert by_month.pop(month).value == 3.5
    assert all(cell.value is None and not cell.suppressed for cell in by_month.values())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_median_and_p90_in_sql_match_the_definitions_of_reply_time_stats(settings, seed):
    """Uneven and even counts, ties and a zero: the window over row numbers gives the same median
    (mean of the two middle values) and nearest-rank 90th percentile as the Python definition."""
    settings.QUALITY_MIN_GROUP_SIZE = 1
    rng = random.Random(seed)
    w = Area(in_cluster=1, outside=0)
    practice = w.practices[0]
    # Whole hours: medians end in .0 or .5, so rounding to a tenth cannot tip either way.
    waits = [rng.choice([0, 1, 2, 2, 7, 13, 24, 50, 97]) for _i in range(rng.randrange(1, 23))]
    for wait in waits:
        message(practice, w.department, at=days_ago(20), wait_hours=wait)

    rows = _rows(w, own=[practice])

    expected = reply_time_stats(timedelta(hours=wait) for wait in waits)
    for key, stat in (("hospital_reply_median", "median"), ("hospital_reply_p90", "p90")):
        _practice, own = rows[key].practices[0]
        assert own.cases == len(waits)
        assert own.value == round(expected[stat].total_seconds() / 3600, 1), (key, sorted(waits))


def test_both_ways_to_the_percentiles_give_the_python_definitions_for_every_group_and_month():
    """PostgreSQL's ordered-set aggregates and the window over row numbers (SQLite's way, which
    PostgreSQL runs as well) against ``reply_time_stats``: the area, the cluster, one practice,
    each month and the whole year."""
    rng = random.Random(7)
    w = Area(in_cluster=3, outside=2)
    waits: dict[tuple[int, int], list[float]] = {}
    now = timezone.now()
    since = figures.period_start(now)
    months = figures.month_list(since)
    for practice in w.practices + w.outside:
        for days in (3, 40, 100):
            for _i in range(rng.randrange(0, 6)):
                wait = rng.choice([0, 1, 3, 3, 8, 21, 30])
                message(practice, w.department, at=days_ago(days), wait_hours=wait)
                month = months.index(
                    timezone.localtime(days_ago(days) + timedelta(hours=wait)).date().replace(day=1)
                )
                waits.setdefault((practice.pk, month), []).append(wait)
    starts = [timezone.make_aware(datetime(m.year, m.month, 1)) for m in months]
    area_ids = [p.pk for p in w.practices + w.outside]
    own = w.practices[0].pk
    groups = {
        pooling.AREA: set(area_ids),
        pooling.CLUSTER: {p.pk for p in w.practices},
        own: {own},
    }
    methods = ["window", "ordered_set"] if connection.vendor == "postgresql" else ["window"]
    for method in methods:
        facts, counters, durations = figures.SOURCES["correspondence"](area_ids, since, starts, now)
        pools = pooling.pooled(
            facts,
            counters=counters,
            durations=durations,
            cluster_ids=groups[pooling.CLUSTER],
            own_ids={own},
            percentiles=method,
        )
        checked = 0
        for group, members in groups.items():
            for month in [pooling.TOTAL, *range(12)]:
                expected = [
                    timedelta(hours=wait)
                    for (practice, in_month), values in waits.items()
                    if practice in members and month in (pooling.TOTAL, in_month)
                    for wait in values
                ]
                pool = pools.get((figures.HOSPITAL, group, month))
                if not expected:
                    assert pool is None
                    continue
                stats = reply_time_stats(expected)
                assert pool.durations.count == stats["count"]
                assert pool.durations.median == pytest.approx(stats["median"].total_seconds(), abs=0.01)
                assert pool.durations.p90 == pytest.approx(stats["p90"].total_seconds(), abs=0.01)
                checked += 1
        assert checked >= 9, method


def test_a_pooled_figure_counts_only_the_practices_behind_that_figure(settings):
    """Six practices answer the hospital, but only one asks it: the hospital's replies to the
    cluster are that one practice's and stay "too few", however many cases it has."""
    settings.QUALITY_MIN_GROUP_SIZE = 5
    w = Area(in_cluster=6, outside=0)
    for practice in w.practices:
        message(w.department, practice, at=days_ago(30), wait_hours=5)
    for _i in range(8):
        message(w.practices[0], w.department, at=days_ago(30), wait_hours=2)

    rows = _rows(w)

    assert rows["practice_reply_median"].cluster.value == 5.0
    hospital = rows["hospital_reply_median"].cluster
    assert hospital.cases == 8 and hospital.suppressed and hospital.value is None
    assert rows["hospital_reply_in_time"].cluster.suppressed


def test_the_time_to_note_rests_on_the_practices_whose_conferences_have_a_note(settings):
    settings.QUALITY_MIN_GROUP_SIZE = 2
    w = Area(in_cluster=2, outside=0)
    a, b = w.practices
    conference(w, a, at=days_ago(5), note_after_hours=2)
    conference(w, a, at=days_ago(5), note_after_hours=4)
    conference(w, b, at=days_ago(5), note_after_hours=None)

    rows = _rows(w)

    assert rows["conference_notes"].cluster.value == round(100 * 2 / 3, 1)
    # Two notes, both from practice a: one practice behind the figure.
    assert rows["conference_note_median"].cluster.suppressed


@pytest.mark.parametrize("note_after_hours", [2.5, -1 / 6, -0.5])
def test_the_time_to_note_in_sql_is_the_conferences_own_rule(note_after_hours):
    """After the close it counts from the close; written during the call, from the accept; written
    (by a clock's error) before the accept, zero: as ``conferences.selectors._time_to_note``."""
    from portal.conferences.selectors import _time_to_note

    w = Area(in_cluster=1, outside=0)
    made = conference(w, w.practices[0], at=days_ago(5), note_after_hours=note_after_hours)
    note = made.notes.get()
    now = timezone.now()
    since = figures.period_start(now)
    starts = [timezone.make_aware(datetime(m.year, m.month, 1)) for m in figures.month_list(since)]
    facts, counters, durations = figures.SOURCES["conferences"]([w.practices[0].pk], since, starts, now)

    pool = pooling.pooled(facts, counters=counters, durations=durations)[("", pooling.AREA, pooling.TOTAL)]

    expected = _time_to_note(note.written_at, made.accepted_at, made.closed_at).total_seconds()
    assert pool.durations.median == pytest.approx(expected, abs=0.01)


def test_referrals_rerouted_accepted_returned_and_vetoes(settings):
    settings.QUALITY_MIN_GROUP_SIZE = 2
    w = Area(in_cluster=2, outside=0)
    a, b = w.practices
    referral(w, a, at=days_ago(10), rerouted=True)
    referral(w, a, at=days_ago(10), state=Referral.State.RETURNED)
    referral(w, b, at=days_ago(10), veto=True)
    referral(w, b, at=days_ago(10), state=Referral.State.DIALOGUE)

    rows = _rows(w)

    assert rows["referrals"].cluster.value == 4
    assert rows["referrals_rerouted"].cluster.value == 25.0
    assert rows["referrals_accepted"].cluster.value == 50.0
    assert rows["referrals_returned"].cluster.value == 25.0
    # One veto: a count of one could point at one patient, so it is below the group size of 2.
    assert rows["vetoes"].cluster.suppressed and rows["vetoes"].cluster.value is None


def test_subacute_seen_within_72_hours_leaves_out_those_still_in_time(settings):
    settings.QUALITY_MIN_GROUP_SIZE = 2
    w = Area(in_cluster=2, outside=0)
    a, b = w.practices
    subacute = {"urgency": Referral.Urgency.SUBACUTE}
    referral(w, a, at=days_ago(20), appointment_start=days_ago(19), **subacute)  # seen in 24 h
    referral(w, b, at=days_ago(20), appointment_start=days_ago(15), **subacute)  # seen after 5 days
    referral(w, b, at=days_ago(20), state=Referral.State.RETURNED, **subacute)  # never seen
    referral(w, a, at=days_ago(0, hours=2), state=Referral.State.RECEIVED, **subacute)  # still in time

    cell = _rows(w)["subacute_in_time"].cluster

    assert (cell.value, cell.cases) == (round(100 / 3, 1), 3)


def test_conference_notes_written_and_time_to_note(settings):
    settings.QUALITY_MIN_GROUP_SIZE = 2
    w = Area(in_cluster=2, outside=0)
    a, b = w.practices
    conference(w, a, at=days_ago(5), note_after_hours=2)
    conference(w, b, at=days_ago(5), note_after_hours=4)
    conference(w, b, at=days_ago(5), note_after_hours=None)

    rows = _rows(w)

    assert rows["conference_notes"].cluster.value == round(100 * 2 / 3, 1)
    assert rows["conference_note_median"].cluster.value == 3.0


def test_stays_hosted_by_the_clusters_practices(settings):
    from tests.stays import factories as stays

    settings.QUALITY_MIN_GROUP_SIZE = 2
    sw = stays.world()
    from tests.quality.factories import QualityClusterFactory

    cluster = QualityClusterFactory(practices=[sw.practice, sw.second_practice], health_council_area=sw.area)
    for practice, gp in ((sw.practice, sw.gp), (sw.second_practice, sw.second_gp)):
        the_offer = stays.offer(sw, practice=practice, gp=gp)
        stays.ended(sw, stays.need(sw, trainee=stays.member(sw.department, "trainee")), the_offer)

    rows = {r.metric.key: r for r in figures.compute(area=sw.area, cluster=cluster).rows}

    assert rows["stays_hosted"].cluster.value == 2
    assert rows["stay_weeks_hosted"].cluster.value == 4


def test_a_cluster_figure_from_fewer_practices_than_the_group_size_is_too_few_even_with_many_cases(settings):
    settings.QUALITY_MIN_GROUP_SIZE = 5
    w = Area(in_cluster=6, outside=0)
    # Four of the six practices refer, ten each: 40 cases, but only four practices behind them.
    for practice in w.practices[:4]:
        for _i in range(10):
            referral(w, practice, at=days_ago(30))

    rows = _rows(w, own=[w.practices[0]])

    assert rows["referrals"].cluster.suppressed and rows["referrals"].cluster.value is None
    assert rows["referrals"].area.suppressed
    # The practice's own row: its ten cases are its own, so shown to its members.
    practice, own = rows["referrals"].practices[0]
    assert practice == w.practices[0] and own.value == 10


def test_a_rate_over_fewer_cases_than_the_group_size_is_too_few(settings):
    settings.QUALITY_MIN_GROUP_SIZE = 5
    w = Area(in_cluster=6, outside=0)
    for practice in w.practices:
        referral(w, practice, at=days_ago(30))
    for _i in range(3):
        referral(w, w.practices[0], at=days_ago(30), state=Referral.State.RETURNED)

    rows = _rows(w, own=[w.practices[0]])

    assert rows["referrals_returned"].cluster.value == round(100 * 3 / 9, 1)
    _practice, own = rows["referrals_returned"].practices[0]
    assert own.cases == 4 and own.suppressed and own.value is None


def test_own_practices_outside_the_cluster_get_no_row():
    w = Area(in_cluster=2, outside=1)
    result = figures.compute(area=w.area, cluster=w.cluster, own_practices=[w.outside[0]])
    assert all(row.practices == [] for row in result.rows)


def _fill(w: Area, *, at):
    for practice in w.practices + w.outside:
        message(practice, w.department, at=at, wait_hours=3)
        message(w.department, practice, at=at, wait_hours=5)
        referral(w, practice, at=at, rerouted=True)
        referral(
            w, practice, at=at, urgency=Referral.Urgency.SUBACUTE, appointment_start=at + timedelta(hours=30)
        )
        conference(w, practice, at=at, note_after_hours=1)


def _queries(client, user, url) -> int:
    verified_login(client, user)
    client.get(url)  # the first request of a process fills caches (site, content types)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["", "eksport.csv", "eksport.xlsx", "graf/referrals_rerouted.svg"])
def test_the_query_count_does_not_grow_with_practices_or_months(client, django_assert_num_queries, page):
    small = Area(in_cluster=2, outside=0)
    _fill(small, at=days_ago(40))
    expected = _queries(client, small.gp(small.practices[0]), f"/kvalitet/klynge/{small.cluster.slug}/{page}")
    client.logout()

    large = Area(in_cluster=6, outside=3)
    for days in (10, 40, 100, 200, 300):
        _fill(large, at=days_ago(days))
    verified_login(client, large.gp(large.practices[0]))
    url = f"/kvalitet/klynge/{large.cluster.slug}/{page}"
    client.get(url)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
