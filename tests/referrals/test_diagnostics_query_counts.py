"""The practice's and the department's order lists and the catalogue cost the same number of
queries for 1 or 20 orders (and 1 or many investigations)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.referrals.models import InvestigationOrder, InvestigationType
from tests.accounts.login import verified_login

from .diagnostics_factories import diagnostics_world, order, with_result

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "who,url",
    [
        ("gp", "referrals:diagnostics_orders"),
        ("cardiologist", "referrals:diagnostics_department"),
        ("gp", "referrals:diagnostics_catalogue"),
    ],
)
def test_constant_queries(client, who, url, django_assert_num_queries):
    d = diagnostics_world()
    order(d)
    user = d.w.gp if who == "gp" else d.cardiologist
    verified_login(client, user)
    client.get(reverse(url))  # the session's first request sets it up; count from the second
    one = _count(client, reverse(url))
    for i in range(19):
        o = order(d, investigation=d.xray if i % 2 else d.holter)
        if i % 3 == 0 and not o.investigation_type.drop_in:
            o = with_result(d, o)
            InvestigationOrder.objects.filter(pk=o.pk).update(result_at=timezone.now() - timedelta(days=10))
    for i in range(5):
        InvestigationType.objects.create(name=f"Drop-in {i}", department=d.w.department, drop_in=True)
    assert InvestigationOrder.objects.count() == 20
    with django_assert_num_queries(one):
        client.get(reverse(url))
