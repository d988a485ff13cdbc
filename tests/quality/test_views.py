"""/kvalitet/: who sees a cluster's and an area's figures, whose practice rows, and "for få" in
the page, the charts and the exports."""

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from portal.accounts.models import Organisation
from portal.accounts.roles import Role
from portal.quality.models import QualityCluster
from tests.accounts.login import verified_login
from tests.authz import assert_authorisation_matrix, http_ok
from tests.quality.activity import Area, days_ago, member, referral

pytestmark = pytest.mark.django_db


def _url(obj, suffix: str) -> str:
    if isinstance(obj, QualityCluster):
        return f"/kvalitet/klynge/{obj.slug}/{suffix}"
    return f"/kvalitet/omraade/{obj.slug}/{suffix}"


def test_the_authorisation_matrix_of_clusters_and_areas():
    w = Area(in_cluster=2, outside=1)
    other = Area(in_cluster=1, outside=0)
    kap = Organisation.objects.create(kind=Organisation.Kind.KAP_UNIT, name="KAP-enheden")
    secretariat = Organisation.objects.create(kind=Organisation.Kind.SECRETARIAT, name="Sekretariatet")
    users = {
        "gp": w.gp(w.practices[0]),
        "secretary": member(w.practices[1], Role.MEDICAL_SECRETARY),
        "gp_outside_cluster": w.gp(w.outside[0]),
        "gp_other_area": other.gp(other.practices[0]),
        "specialist": w.specialist,
        "consultant": member(kap, Role.PRACTICE_CONSULTANT),
        "administrator": member(secretariat, Role.ADMINISTRATOR),
    }
    actions = {
        "page": http_ok(Client, lambda obj: _url(obj, "")),
        "csv": http_ok(Client, lambda obj: _url(obj, "eksport.csv")),
        "xlsx": http_ok(Client, lambda obj: _url(obj, "eksport.xlsx")),
        "chart": http_ok(Client, lambda obj: _url(obj, "graf/subacute_in_time.svg")),
    }
    cluster_readers = {"gp", "secretary"}
    area_readers = {"gp", "secretary", "gp_outside_cluster", "consultant", "administrator"}
    allowed = {(u, "cluster", a) for u in cluster_readers for a in actions}
    allowed |= {(u, "area", a) for u in area_readers for a in actions}
    # The superuser (added by the harness) is in no practice and holds no role: 404 everywhere.
    assert_authorisation_matrix(
        users=users, objects={"cluster": w.cluster, "area": w.area}, actions=actions, allowed=allowed
    )


def test_per_practice_rows_are_the_viewers_own_practice_only(client, settings):
    settings.QUALITY_MIN_GROUP_SIZE = 1
    w = Area(in_cluster=3, outside=0)
    for practice in w.practices:
        referral(w, practice, at=days_ago(20))
    mine, colleague_practice, third = w.practices

    verified_login(client, w.gp(mine))
    page = client.get(f"/kvalitet/klynge/{w.cluster.slug}/").content.decode()
    exported = client.get(f"/kvalitet/klynge/{w.cluster.slug}/eksport.csv").content.decode()

    for content in (page, exported):
        assert mine.name in content
        assert colleague_practice.name not in content
        assert third.name not in content
    # The area's page has no practice's row at all, not even the viewer's own.
    area_page = client.get(f"/kvalitet/omraade/{w.area.slug}/").content.decode()
    assert mine.name not in area_page


def test_a_figure_under_the_group_size_is_for_faa_in_the_page_the_chart_and_the_exports(client, settings):
    settings.QUALITY_MIN_GROUP_SIZE = 5
    w = Area(in_cluster=6, outside=0)
    for practice in w.practices:
        referral(w, practice, at=days_ago(20))
    referral(w, w.practices[0], at=days_ago(20), veto=True)  # one veto: too few to show
    verified_login(client, w.gp(w.practices[0]))

    page = client.get(f"/kvalitet/klynge/{w.cluster.slug}/").content.decode()
    vetoes = page[page.index('data-metric="vetoes"') :].split("</tr>")[0]
    assert "for få" in vetoes
    referrals = page[page.index('data-metric="referrals"') :].split("</tr>")[0]
    assert ">7<" in referrals and "for få" not in referrals.split("</td>")[0]

    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/kvalitet/klynge/{w.cluster.slug}/eksport.csv").content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    header = rows[0]
    assert header[:4] == ["Tal", "Måned", "Klynge", "Sundhedsrådsområde"]
    veto_total = next(r for r in rows if r[0] == "Brug af veto" and r[1] == "Hele perioden")
    assert veto_total[2] == "for få" and veto_total[3] == "for få"
    assert "1" not in veto_total[2:4]

    sheet = load_workbook(
        io.BytesIO(client.get(f"/kvalitet/klynge/{w.cluster.slug}/eksport.xlsx").content)
    ).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    veto_row = next(r for r in cells if r[0] == "Brug af veto" and r[1] == "Hele perioden")
    assert veto_row[2] == "for få"
    referral_row = next(r for r in cells if r[0] == "Henvisninger sendt" and r[1] == "Hele perioden")
    assert referral_row[2] == 7

    # The chart of a month with a single veto draws no point for it.
    svg = client.get(f"/kvalitet/klynge/{w.cluster.slug}/graf/referrals_rerouted.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<script" not in svg.content


def test_the_chart_is_an_svg_image_with_its_own_policy_and_no_script(client):
    w = Area(in_cluster=2, outside=0)
    verified_login(client, w.gp(w.practices[0]))
    response = client.get(f"/kvalitet/klynge/{w.cluster.slug}/graf/subacute_in_time.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'none'" in policy
    assert b"<svg" in response.content and b"<script" not in response.content
    # A figure that is not charted, or none at all: 404, not a 500.
    assert client.get(f"/kvalitet/klynge/{w.cluster.slug}/graf/vetoes.svg").status_code == 404
    assert client.get(f"/kvalitet/klynge/{w.cluster.slug}/graf/nothing.svg").status_code == 404
    # The page itself keeps the strict policy.
    page = client.get(f"/kvalitet/klynge/{w.cluster.slug}/")
    assert "style-src 'self'" in page["Content-Security-Policy"]
    assert "unsafe-inline" not in page["Content-Security-Policy"]


def test_the_index_lists_the_members_clusters_and_areas(client):
    w = Area(in_cluster=2, outside=0)
    verified_login(client, w.gp(w.practices[0]))
    page = client.get("/kvalitet/").content.decode()
    assert f"/kvalitet/klynge/{w.cluster.slug}/" in page
    assert f"/kvalitet/omraade/{w.area.slug}/" in page
    overview = client.get("/overblik/").content.decode()
    assert f"/kvalitet/klynge/{w.cluster.slug}/" in overview


def test_the_specialist_is_offered_no_cluster(client):
    w = Area(in_cluster=2, outside=0)
    verified_login(client, w.specialist)
    page = client.get("/kvalitet/").content.decode()
    assert "/kvalitet/klynge/" not in page and "/kvalitet/omraade/" not in page
    assert "/kvalitet/klynge/" not in client.get("/overblik/").content.decode()
