"""Quality clusters in Chromium: a cluster member finds her cluster on Mit overblik, opens its
figures with the monthly charts beside the area's, and downloads them as CSV and XLSX, where a
figure from too few cases reads "for få" as on the page. axe-core checks each page."""

import csv
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from portal.quality.activity import activity_create
from tests.e2e.test_correspondence import _logged_in, _shot
from tests.quality.activity import Area, days_ago, referral


@pytest.fixture
def slow_expect():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=None)


def test_a_cluster_member_opens_the_cluster_view_with_charts_and_exports_it(
    chromium_browser, live_server, slow_expect, axe_check, settings
):
    settings.QUALITY_MIN_GROUP_SIZE = 5
    w = Area(in_cluster=6, outside=2)
    activity_create(
        practices=w.practices + w.outside,
        department=w.department,
        gps=w.gps,
        specialist=w.specialist,
        per_month=2,
    )
    referral(w, w.practices[0], at=days_ago(3), veto=True)  # one more veto: still too few this month
    mine = w.practices[0]

    context, page = _logged_in(chromium_browser, live_server, w.gp(mine), "/overblik/")
    charts_served = []
    page.on(
        "response",
        lambda r: (
            charts_served.append((r.status, r.headers.get("content-type"))) if "/graf/" in r.url else None
        ),
    )
    page.locator(".samspil-overview-quality a", has_text=w.cluster.name).click()
    expect(page.locator("h1")).to_have_text(w.cluster.name)

    # Four charts, each an SVG image that loaded, with the table of months as its text alternative.
    charts = page.locator("figure.samspil-quality-chart img")
    expect(charts).to_have_count(4)
    for index in range(4):
        expect(charts.nth(index)).to_have_js_property("complete", True)
        assert charts.nth(index).evaluate("img => img.naturalWidth") > 0
    assert charts_served == [(200, "image/svg+xml")] * 4, charts_served
    axe_check(page)
    # The summary: the cluster, the area and her own practice, and no other practice.
    header = page.locator("table.samspil-quality-summary thead")
    expect(header).to_contain_text(mine.name)
    for other in w.practices[1:] + w.outside:
        expect(header).not_to_contain_text(other.name)
    page.locator("details.samspil-quality-months summary").first.click()
    axe_check(page)
    assert not page.csp_errors, page.csp_errors
    _shot(page, "quality-01-cluster")

    with page.expect_download() as csv_download:
        page.locator(".samspil-quality-exports a", has_text="CSV").click()
    text = open(csv_download.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["Tal", "Måned", "Klynge", "Sundhedsrådsområde"]
    assert rows[0][4:] == [mine.name]
    this_month = timezone.localtime(days_ago(3)).strftime("%Y-%m")
    veto_month = next(r for r in rows if r[0] == "Brug af veto" and r[1] == this_month)
    assert veto_month[2] == "for få"
    sent = next(r for r in rows if r[0] == "Henvisninger sendt" and r[1] == "Hele perioden")
    assert int(sent[2]) > 100

    with page.expect_download() as xlsx_download:
        page.locator(".samspil-quality-exports a", has_text="XLSX").click()
    sheet = load_workbook(io.BytesIO(open(xlsx_download.value.path(), "rb").read())).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0][:4] == ["Tal", "Måned", "Klynge", "Sundhedsrådsområde"]
    xlsx_veto = next(r for r in cells if r[0] == "Brug af veto" and r[1] == this_month)
    assert xlsx_veto[2] == "for få"
    context.close()
