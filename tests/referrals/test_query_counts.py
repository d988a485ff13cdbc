"""The GP overview and the department worklist cost the same number of queries for 1 or 20 referrals."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts.login import verified_login

from .factories import refer, world

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who,url", [("gp", "referrals:overview"), ("specialist", "referrals:worklist")])
def test_constant_queries(client, who, url, django_assert_num_queries):
    w = world()
    refer(w)
    verified_login(client, getattr(w, who))
    # The first request fills the cached menus (five Wagtail queries); count from the second.
    client.get(reverse(url))
    one = _count(client, reverse(url))
    for _ in range(19):
        refer(w, basis="package", symptom_package=w.package, checklist_ticked=["EKG"], destination=None)
        refer(w)
    with django_assert_num_queries(one):
        client.get(reverse(url))
