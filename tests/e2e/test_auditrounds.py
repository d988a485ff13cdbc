"""Audit rounds in Chromium: a GP opens an audit kit, starts a round for her quality cluster from
it, registers her practice's counts, and sees the cluster's and the area's results anonymised:
"for få" where too few practices have registered, the area's figure where enough have.
axe-core checks each page."""

import re

import pytest
from playwright.sync_api import expect

from portal.auditrounds.models import AuditRound, IndicatorResult
from tests.accounts.factories import HealthCouncilAreaFactory
from tests.auditrounds.factories import cluster_of, guideline, kit, register_all, start, two_indicators
from tests.e2e.test_correspondence import _logged_in, _shot


@pytest.fixture
def slow_expect():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=None)


def test_a_gp_starts_an_audit_round_registers_and_sees_the_anonymised_results(
    chromium_browser, live_server, slow_expect, axe_check, settings
):
    settings.QUALITY_MIN_GROUP_SIZE = 5
    area = HealthCouncilAreaFactory(name="Sundhedsråd Midtby")
    the_kit = kit(audits=guideline(), indicators=two_indicators())
    cluster, practices, gps = cluster_of(2, area=area)
    # Five practices of another cluster in the area have run the same kit: enough for the area.
    other, other_practices, other_gps = cluster_of(5, area=area)
    register_all(start(other_gps[0], other, the_kit), other_practices, other_gps, numbers=(5, 10))

    context, page = _logged_in(chromium_browser, live_server, gps[0], the_kit.url)
    expect(page.locator(".samspil-audit-guideline")).to_contain_text("versionen fra")
    axe_check(page)
    page.locator(".samspil-audit-round-start a").click()
    expect(page.locator("select[name=kit]")).to_have_value(str(the_kit.pk))
    expect(page.locator("input[name=period_start]")).to_have_value("2026-09-01")
    axe_check(page)
    _shot(page, "auditrounds-01-start")
    page.locator(".samspil-auditround-start-form button[type=submit]").click()

    audit_round = AuditRound.objects.get(cluster=cluster)
    expect(page).to_have_url(re.compile(rf"/kvalitet/auditrunder/{audit_round.pk}/$"))
    expect(page.locator(".alert")).to_contain_text("Auditrunden er startet")
    page.locator(".samspil-auditround-register-links a").click()
    expect(page.locator(".samspil-no-patient-data")).to_contain_text("ingen navne, CPR-numre")
    axe_check(page)
    proportion, count = (i["id"] for i in audit_round.indicators)
    # A numerator above the denominator is refused, and nothing is saved.
    page.locator(f"input[name='{proportion}-numerator']").fill("12")
    page.locator(f"input[name='{proportion}-denominator']").fill("10")
    page.locator(f"input[name='{count}-count']").fill("40")
    page.locator(".samspil-auditround-register-form button[type=submit]").click()
    expect(page.locator(".form-error-message")).to_contain_text("Tælleren kan ikke være større end nævneren")
    assert not IndicatorResult.objects.filter(registration__audit_round=audit_round).exists()
    axe_check(page)
    page.locator(f"input[name='{proportion}-numerator']").fill("3")
    page.locator(".samspil-auditround-register-form button[type=submit]").click()

    expect(page.locator(".alert")).to_contain_text("resultater er gemt")
    results = page.locator(".samspil-auditround-results")
    expect(results).to_contain_text("30,0 % (3 af 10)")  # her own practice
    expect(page.locator(".samspil-cluster-figure").first).to_have_text("for få")  # one practice of two
    expect(page.locator(".samspil-area-figure").first).to_contain_text("46,7 %")  # (25 + 3) / (50 + 10)
    expect(results).not_to_contain_text(other_practices[0].name)
    axe_check(page)
    _shot(page, "auditrounds-02-results")
    context.close()
