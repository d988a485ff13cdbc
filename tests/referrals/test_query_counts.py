"""The GP overview and the department worklist cost the same number of queries for 1 or 20 referrals."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.bookings.models import Resource
from portal.bookings.services import resource_create, slot_publish
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
    # The first page after login fills per-session caches (menus, memberships): not per row.
    client.get(reverse(url))
    one = _count(client, reverse(url))
    resource = resource_create(
        actor=w.specialist, organisation=w.department, kind=Resource.Kind.SUBACUTE_OUTPATIENT, name="Subakut"
    )
    for index in range(19):
        refer(w, basis="package", symptom_package=w.package, checklist_ticked=["EKG"], destination=None)
        starts = (timezone.now() + timedelta(hours=2 + index)).replace(second=0, microsecond=0)
        slot = slot_publish(
            actor=w.specialist, resource=resource, starts_at=starts, ends_at=starts + timedelta(minutes=30)
        )
        # Rows with a booked time cost no extra query either.
        refer(w, urgency="subacute", slot=slot)
    with django_assert_num_queries(one):
        client.get(reverse(url))
