"""The GP overview and the worklists come in pages of 50 rows (issue 12's 50 ms goal at 500,000
referrals): page 2 continues the order, the controls are Danish, and a page costs the same
number of queries however many referrals there are."""

import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.referrals.models import Referral
from portal.referrals.views import PAGE_SIZE
from tests.accounts.login import verified_login

from .factories import refer, world

pytestmark = pytest.mark.django_db

ROW = re.compile(
    r'samspil-referral-row samspil-referral-row--\w+">\s*<th scope="row"><a href="/henvisninger/([0-9a-f-]+)/"'
)


def _copies(referral: Referral, n: int, **fields) -> list[Referral]:
    """``n`` more referrals like ``referral``, one minute apart: rows to page through, made in one
    insert (referral_create encrypts a CPR number per call)."""
    base = timezone.now()
    copies = []
    for index in range(n):
        copy = Referral.objects.get(pk=referral.pk)
        copy.pk, copy.public_id = None, uuid.uuid4()
        copy.last_step_at = base - timedelta(minutes=index + 1)
        copy.decision_due_at = base + timedelta(days=1, minutes=index)
        for name, value in fields.items():
            setattr(copy, name, value)
        copies.append(copy)
    return Referral.objects.bulk_create(copies)


def _rows(response) -> list[str]:
    return ROW.findall(response.content.decode())


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who,name", [("gp", "referrals:overview"), ("specialist", "referrals:worklist")])
def test_a_page_holds_50_rows_and_page_2_the_rest_in_the_same_order(client, who, name):
    w = world()
    _copies(refer(w), PAGE_SIZE + 4)
    verified_login(client, getattr(w, who))
    url = reverse(name)

    first = client.get(url)
    second = client.get(url, {"side": 2})

    one, two = _rows(first), _rows(second)
    assert (len(one), len(two)) == (PAGE_SIZE, 5)
    assert not set(one) & set(two)
    html = first.content.decode()
    assert "Side 1 af 2" in html and "?side=2" in html and "Næste" in html
    assert "Forrige" in second.content.decode() and "Næste" not in second.content.decode()
    # The order runs on across the page break: the whole list read at once, then cut.
    if who == "gp":
        ordered = Referral.objects.filter(practice=w.practice).order_by("-last_step_at", "-pk")
    else:
        ordered = Referral.objects.filter(destination=w.department).order_by("decision_due_at", "pk")
    assert [str(r.public_id) for r in ordered] == one + two


def test_a_page_number_out_of_range_or_not_a_number_shows_a_page_not_an_error(client):
    w = world()
    _copies(refer(w), PAGE_SIZE + 1)
    verified_login(client, w.gp)
    url = reverse("referrals:overview")
    assert len(_rows(client.get(url, {"side": "x"}))) == PAGE_SIZE
    assert len(_rows(client.get(url, {"side": 99}))) == 2


def test_the_central_visitation_keeps_its_filter_on_page_2(client):
    w = world()
    central = refer(w, destination_kind=Referral.DestinationKind.CENTRAL_VISITATION, destination=w.central)
    _copies(central, PAGE_SIZE + 2)
    # Referrals to the same unit as a department, not through the central visitation: left out.
    _copies(refer(w, destination=w.central), 3, destination_kind=Referral.DestinationKind.DEPARTMENT)
    verified_login(client, w.visitator)

    second = client.get(reverse("referrals:central"), {"side": 2})

    central_ids = {
        str(p)
        for p in Referral.objects.filter(
            destination_kind=Referral.DestinationKind.CENTRAL_VISITATION
        ).values_list("public_id", flat=True)
    }
    assert len(_rows(second)) == 3 and set(_rows(second)) <= central_ids
    assert len(_rows(client.get(reverse("referrals:worklist"), {"side": 2}))) == 7


@pytest.mark.parametrize("who,name", [("gp", "referrals:overview"), ("specialist", "referrals:worklist")])
def test_a_page_costs_the_same_queries_for_2_or_200_referrals(client, who, name):
    w = world()
    first = refer(w)
    _copies(first, 1)
    verified_login(client, getattr(w, who))
    url = reverse(name)
    client.get(url)  # the first page after login fills per-session caches
    few = _queries(client, url)

    _copies(first, 200)

    assert _queries(client, url) == few
    assert _queries(client, f"{url}?side=3") == few
