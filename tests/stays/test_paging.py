"""At national scale a region has hundreds of needs, offers and stays: the board shows the first
rows of each (the rule form, a page of its own, offers them all), the run's proposal and the report's practices
come a page at a time, in the same number of queries on every page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.stays import planning, selectors
from tests.accounts.factories import PracticeFactory
from tests.accounts.login import verified_login

from .factories import member, need, offer, world

pytestmark = pytest.mark.django_db


def test_board_run_and_report_show_a_page_at_a_time(client, monkeypatch):
    monkeypatch.setattr(selectors, "BOARD_ROWS", 2)
    monkeypatch.setattr(selectors, "RUN_PAGE_ROWS", 2)
    w = world()
    for index in range(5):
        practice = PracticeFactory(health_council_area=w.area, name=f"Praksis {index}")
        offer(w, practice=practice, gp=member(practice, "gp"))
        need(w, trainee=member(w.department, "trainee", first_name=f"Læge{index}"))
    run = planning.matching_run(actor=w.coordinator, region=w.region, time_limit_s=10)
    assert run.assignments.count() == 5
    verified_login(client, w.coordinator)
    board = client.get(reverse("stays:region", kwargs={"region": w.region.slug})).content.decode()
    assert board.count("samspil-stays-offers") == 1 and "De første 2 af 5 vises" in board
    assert "Praksis 4" not in board
    # The rule form, a page of its own, offers every practice and every open need.
    rule_page = client.get(reverse("stays:rule_add", kwargs={"region": w.region.slug})).content.decode()
    assert all(f"Praksis {i}" in rule_page for i in range(5))
    url = reverse("stays:run", kwargs={"region": w.region.slug, "public_id": run.public_id})
    rows = []
    counts = []
    for page in (1, 2, 3):
        client.get(f"{url}?side={page}")
        with CaptureQueriesContext(connection) as queries:
            html = client.get(f"{url}?side={page}").content.decode()
        counts.append(len(queries))
        rows.append(html.count("samspil-proposal-row"))
    assert rows == [2, 2, 1] and len(set(counts)) == 1, counts
    assert "5 af 5 behov" in html or "5 af 5" in html
