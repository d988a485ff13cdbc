"""The coordinator's report per specialty and practice for a region and year: figures from SQL
aggregates, checked by hand on a small region; the chart is an inline SVG; CSV and XLSX carry
the same figures; the query count does not grow with the stays."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from portal.stays import evaluations, report_cache, reports
from portal.stays.models import HostPeriod, StayEvaluation
from tests.accounts.factories import DepartmentFactory, PracticeFactory, specialty
from tests.accounts.login import verified_login

from .factories import ended, member, need, objectives, offer, world

pytestmark = pytest.mark.django_db

OF_PRACTICE, OF_STAY = StayEvaluation.Direction.OF_PRACTICE, StayEvaluation.Direction.OF_STAY


def _evaluated_stay(w, the_offer, *, trainee, scores=(4, 5), goals=(), department=None):
    the_need = need(w, trainee=trainee, department=department)
    the_need.objectives.set(goals)
    stay = ended(w, the_need, the_offer)
    evaluations.evaluation_give(actor=trainee, assignment=stay, direction=OF_PRACTICE, score=scores[0])
    evaluations.evaluation_give(
        actor=the_offer.supervisor,
        assignment=stay,
        direction=OF_STAY,
        score=scores[1],
        objective_scores={g.pk: scores[1] for g in goals},
    )
    return stay


def test_the_figures_per_specialty_and_practice():
    w = world()
    goals = objectives(count=1)
    the_offer = offer(w, capacity=2)
    HostPeriod.objects.filter(offer=the_offer).delete()
    year = date.today().year - 1
    # 10 weeks at capacity 2 from the first Monday of last year: 20 trainee-weeks offered.
    monday = date(year, 1, 1) + timedelta(days=(7 - date(year, 1, 1).weekday()) % 7)
    HostPeriod.objects.create(
        offer=the_offer, starts_on=monday, ends_on=monday + timedelta(weeks=10, days=-3), capacity=2
    )
    # A period running over New Year counts only its weeks inside the year (two of four).
    december = date(year, 12, 31) - timedelta(days=date(year, 12, 31).weekday() + 7)
    HostPeriod.objects.create(
        offer=the_offer, starts_on=december, ends_on=december + timedelta(weeks=4, days=-3)
    )
    first = _evaluated_stay(w, the_offer, trainee=w.trainee, scores=(4, 5), goals=goals)
    second = _evaluated_stay(
        w, the_offer, trainee=member(w.department, "trainee"), scores=(2, 3), goals=goals
    )
    for stay, start in ((first, monday), (second, monday + timedelta(weeks=3))):
        type(stay).objects.filter(pk=stay.pk).update(
            starts_on=start, ends_on=start + timedelta(weeks=2, days=-3)
        )
    report = reports.region_report(w.region, year)
    paediatrics = next(r for r in report.specialties if r.specialty.slug == "paediatri")
    assert (paediatrics.stays_done, paediatrics.weeks_hosted) == (2, 4)
    assert paediatrics.scores.of_practice == 3 and paediatrics.scores.of_stay == 4
    assert paediatrics.scores.of_practice_count == 2
    (row,) = report.practices
    assert (row.weeks_offered, row.weeks_hosted, row.stays_done) == (22, 4, 2)
    assert report.weeks_offered == 22 and report.capacity_used == pytest.approx(4 / 22)
    assert [(o.title, o.average, o.count) for o in report.objectives] == [(goals[0].title, 4, 2)]
    # Nothing of last year's stays in this year's report.
    assert reports.region_report(w.region, year + 1).stays_done == 0


def _report_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_report_page_chart_and_exports_in_constant_queries(client):
    w = world()
    the_offer = offer(w, capacity=10)
    _evaluated_stay(w, the_offer, trainee=w.trainee)
    _evaluated_stay(w, the_offer, trainee=member(w.department, "trainee"))
    year = ended.__globals__["timezone"].localdate().year
    stays_year = min(s.starts_on.year for s in the_offer.assignments.all())
    verified_login(client, w.coordinator)
    url = reverse("stays:report", kwargs={"region": w.region.slug}) + f"?aar={stays_year}"
    few = _report_queries(client, url)
    for _ in range(8):
        practice = PracticeFactory(health_council_area=w.area)
        _evaluated_stay(
            w, offer(w, practice=practice, gp=member(practice, "gp")), trainee=member(w.department, "trainee")
        )
    many = _report_queries(client, url)
    assert many == few, (few, many)
    html = client.get(url).content.decode()
    assert (
        "<svg" in html
        and "Pædiatri" in html
        and "http"
        not in html.split("<svg", 1)[1].split("</svg>")[0].replace("http://www.w3.org/2000/svg", "")
    )
    assert year >= stays_year
    csv_url = reverse("stays:report_csv", kwargs={"region": w.region.slug}) + f"?aar={stays_year}"
    rows = list(csv.reader(io.StringIO(client.get(csv_url).content.decode("utf-8-sig")), delimiter=";"))
    paediatrics = next(r for r in rows if r and r[0] == "Pædiatri")
    assert paediatrics[1] == "10"
    xlsx = client.get(reverse("stays:report_xlsx", kwargs={"region": w.region.slug}) + f"?aar={stays_year}")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert any(r[0] == "Pædiatri" and r[1] == 10 for r in sheet.iter_rows(values_only=True))


def test_the_regions_scores_pool_every_specialty_weighted_by_its_evaluations():
    w = world()
    the_offer = offer(w, capacity=10, slugs=("paediatri", "psykiatri"))
    psychiatry = DepartmentFactory(parent=w.department.parent, specialty=specialty("psykiatri"))
    _evaluated_stay(w, the_offer, trainee=w.trainee, scores=(1, 5))
    for _i in range(2):
        _evaluated_stay(
            w, the_offer, trainee=member(psychiatry, "trainee"), scores=(4, 2), department=psychiatry
        )
    year = min(s.starts_on.year for s in the_offer.assignments.all())

    report = reports.region_report(w.region, year)

    # (1 + 4 + 4) / 3, not the mean of the specialties' means (2.5).
    assert report.scores.of_practice == pytest.approx(3) and report.scores.of_practice_count == 3
    assert report.scores.of_stay == pytest.approx(3) and report.scores.of_stay_count == 3


def test_a_bad_year_is_404_not_500(client):
    w = world()
    verified_login(client, w.coordinator)
    url = reverse("stays:report", kwargs={"region": w.region.slug})
    assert client.get(url + "?aar=abc").status_code == 404
    assert client.get(url + "?aar=99999").status_code == 404


def test_a_page_of_the_report_has_the_figures_of_its_own_practices_and_the_whole_regions_totals(
    client, monkeypatch
):
    from portal.stays import selectors

    monkeypatch.setattr(selectors, "REPORT_PAGE_ROWS", 1)
    w = world()
    first_practice = PracticeFactory(health_council_area=w.area, name="A-lægerne")
    second_practice = PracticeFactory(health_council_area=w.area, name="B-lægerne")
    busy = offer(w, practice=second_practice, gp=member(second_practice, "gp"))
    offer(w, practice=first_practice, gp=member(first_practice, "gp"))
    _evaluated_stay(w, busy, trainee=w.trainee, scores=(2, 3))
    _evaluated_stay(w, busy, trainee=member(w.department, "trainee"), scores=(4, 5))
    year = min(s.starts_on.year for s in busy.assignments.all())
    verified_login(client, w.coordinator)
    url = reverse("stays:report", kwargs={"region": w.region.slug}) + f"?aar={year}"

    def practice_row(html):
        table = html.split("samspil-stays-report-practices", 1)[1].split("</table>", 1)[0]
        return [cell.split("<")[0] for cell in table.split("<tbody>", 1)[1].split("<td>")[1:]]

    first_page, second_page = client.get(url).content.decode(), client.get(url + "&side=2").content.decode()
    assert "A-lægerne" in first_page and "B-lægerne" not in first_page
    assert practice_row(first_page)[:1] == ["0"]  # no stays done
    assert "B-lægerne" in second_page and practice_row(second_page)[:1] == ["2"]
    assert "3,0 (2)" in second_page and "4,0 (2)" in second_page  # the practice's averages
    full = reports.region_report(w.region, year)
    assert [r.stays_done for r in full.practices] == [0, 2] and full.stays_done == 2


def test_the_region_wide_figures_are_kept_until_a_stay_changes_and_never_read_stale(client):
    w = world()
    the_offer = offer(w, capacity=10)
    _evaluated_stay(w, the_offer, trainee=w.trainee, scores=(2, 3))
    year = min(s.starts_on.year for s in the_offer.assignments.all())
    verified_login(client, w.coordinator)
    url = reverse("stays:report", kwargs={"region": w.region.slug}) + f"?aar={year}"
    client.get(url)  # the first request of a process fills caches of its own (site, content types)
    report_cache.forget()
    with CaptureQueriesContext(connection) as computed:
        first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as kept:
        again = client.get(url).content.decode()
    # The specialties, the objectives, the totals, the scores and the years are not read again.
    assert len(kept) <= len(computed) - 6, (len(computed), len(kept))
    assert again.split("<h1>", 1)[1] == first.split("<h1>", 1)[1] and "2,0 / 5 (1)" in again

    # A new evaluation, through the service as a trainee gives it: the next read has it.
    _evaluated_stay(w, the_offer, trainee=member(w.department, "trainee"), scores=(4, 5))
    assert "3,0 / 5 (2)" in client.get(url).content.decode()
    # The practice's new name, saved in the administration: the list of practices has it.
    the_offer.practice.name = "Lægerne ved Torvet"
    the_offer.practice.save()
    assert "Lægerne ved Torvet" in client.get(url).content.decode()


def test_the_revision_moves_on_every_stays_write_and_again_at_commit(django_capture_on_commit_callbacks):
    w = world()
    before = report_cache.revision()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        offer(w)
        assert report_cache.revision() != before  # at once, for reads in this transaction
        during = report_cache.revision()
    assert callbacks and report_cache.revision() != during  # and after the commit


def test_a_revision_the_cache_lost_is_never_one_used_before():
    first = report_cache.revision()
    cache.delete(report_cache.REVISION_KEY)
    assert report_cache.revision() != first
