"""The results: the cluster's and the area's aggregates, anonymised, the practice's own beside
them; the same suppression in the exports; query counts that do not grow with the practices."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portal.auditrounds import selectors
from tests.accounts.factories import HealthCouncilAreaFactory
from tests.accounts.login import verified_login
from tests.auditrounds.factories import cluster_of, kit, register_all, start, two_indicators

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _group_size(settings):
    settings.QUALITY_MIN_GROUP_SIZE = 5


def test_a_small_cluster_sees_too_few_but_its_own_figures(client):
    cluster, practices, gps = cluster_of(2)
    audit_round = start(gps[0], cluster, kit(indicators=two_indicators()))
    register_all(audit_round, practices[:1], gps[:1], numbers=(3, 10))
    register_all(audit_round, practices[1:], gps[1:], numbers=(7, 10))
    verified_login(client, gps[0])
    page = client.get(reverse("auditrounds:detail", args=[audit_round.pk])).content.decode()

    assert page.count("samspil-too-few") == 4  # both indicators, cluster and area
    assert "30,0 % (3 af 10)" in page  # her own practice
    assert "70,0" not in page and practices[1].name not in page  # never the colleague's


def test_the_cluster_and_area_aggregates_pool_the_counts_in_sql():
    area = HealthCouncilAreaFactory()
    the_kit = kit(indicators=two_indicators())
    cluster, practices, gps = cluster_of(5, area=area)
    audit_round = start(gps[0], cluster, the_kit)
    register_all(audit_round, practices, gps, numbers=(2, 10))
    # Another cluster in the same area, same kit and period: it counts in the area only.
    other, other_practices, other_gps = cluster_of(3, area=area)
    register_all(start(other_gps[0], other, the_kit), other_practices, other_gps, numbers=(6, 10))
    # Another area's round does not count at all.
    far, far_practices, far_gps = cluster_of(5)
    register_all(start(far_gps[0], far, the_kit), far_practices, far_gps, numbers=(10, 10))

    results = selectors.round_results(audit_round, own_practices=[])
    proportion, count = results.rows
    assert (proportion.cluster.practices, proportion.cluster.value) == (5, 20.0)
    assert (proportion.area.practices, proportion.area.numerator, proportion.area.denominator) == (8, 28, 80)
    assert proportion.area.value == pytest.approx(35.0)
    assert count.cluster.value == pytest.approx(2.0)  # the mean count per practice
    assert (results.registered_practices, results.area_practices) == (5, 8)


def test_a_round_of_another_period_is_not_in_the_area_figure():
    from datetime import date

    area = HealthCouncilAreaFactory()
    the_kit = kit()
    cluster, practices, gps = cluster_of(5, area=area)
    audit_round = start(gps[0], cluster, the_kit)
    register_all(audit_round, practices, gps, numbers=(1, 10))
    last_year = start(gps[0], cluster, the_kit, period=(date(2025, 9, 1), date(2025, 11, 30)))
    register_all(last_year, practices, gps, numbers=(9, 10))
    row = selectors.round_results(audit_round, own_practices=[]).rows[0]
    assert (row.area.numerator, row.area.denominator) == (5, 50)


def test_the_exports_carry_the_same_suppression_and_no_practice(client):
    cluster, practices, gps = cluster_of(5)
    audit_round = start(gps[0], cluster, kit(indicators=two_indicators()))
    register_all(audit_round, practices[:4], gps[:4], numbers=(3, 10))
    verified_login(client, gps[0])

    response = client.get(reverse("auditrounds:export", args=[audit_round.pk, "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[2][:7] == ["Andel med antibiotika", "procent", "< 30 %", "4", "for få", "4", "for få"]
    assert not any(p.name in text for p in practices)

    register_all(audit_round, practices[4:], gps[4:], numbers=(3, 10))
    response = client.get(reverse("auditrounds:export", args=[audit_round.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[2][3:7] == [5, 30.0, 5, 30.0]
    assert client.get(reverse("auditrounds:export", args=[audit_round.pk, "pdf"])).status_code == 404


@pytest.mark.parametrize("practices", [2, 8])
def test_the_results_page_costs_the_same_queries_for_2_and_8_practices(
    client, django_assert_num_queries, practices
):
    cluster, the_practices, gps = cluster_of(practices)
    audit_round = start(gps[0], cluster, kit(indicators=two_indicators()))
    register_all(audit_round, the_practices, gps)
    verified_login(client, gps[0])
    url = reverse("auditrounds:detail", args=[audit_round.pk])
    client.get(url)  # warm the session and the site caches
    with django_assert_num_queries(QUERIES):
        assert client.get(url).status_code == 200


QUERIES = 10  # measured: session, user, round, membership, own practices, 3 figure queries, messages


def test_a_proportion_is_rounded_not_cut_off():
    from portal.auditrounds.selectors import Figure
    from portal.auditrounds.templatetags.auditround_tags import figure_text

    assert figure_text(Figure(measure="proportion", practices=8, numerator=28, denominator=60)) == (
        "46,7 % (28 af 60)"
    )
    assert figure_text(Figure(measure="count", practices=5, mean=12.96)) == "13,0"
