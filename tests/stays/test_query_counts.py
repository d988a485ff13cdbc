"""The coordinator's pages cost the same number of queries for 1 or 12 needs and offers (a page
is warmed once first: the first request of a session fills per-session caches)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.stays import planning
from portal.stays.models import MatchingRun
from tests.accounts.factories import PracticeFactory
from tests.accounts.login import verified_login

from .factories import member, need, offer, world

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    client.get(url)  # warm up
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _urls(w) -> dict[str, str]:
    run = MatchingRun.objects.first()
    region = {"region": w.region.slug}
    return {
        "home": reverse("stays:home"),
        "region": reverse("stays:region", kwargs=region),
        "run": reverse("stays:run", kwargs={**region, "public_id": run.public_id}),
        "objectives": reverse("stays:objectives"),
    }


def test_constant_queries_on_the_coordinators_pages(client):
    w = world()
    offer(w)
    need(w)
    planning.matching_run(actor=w.coordinator, region=w.region, time_limit_s=5)
    verified_login(client, w.coordinator)
    few = {name: _count(client, url) for name, url in _urls(w).items()}
    for index in range(11):
        practice = PracticeFactory(health_council_area=w.area)
        offer(w, practice=practice, gp=member(practice, "gp"))
        need(w, trainee=member(w.department, "trainee"), length=1 + index % 2)
    run = planning.matching_run(actor=w.coordinator, region=w.region, time_limit_s=10)
    assert run.assignments.count() == 12
    many = {name: _count(client, url) for name, url in _urls(w).items()}
    assert many == few, (few, many)
    assert max(few.values()) <= 25, few
