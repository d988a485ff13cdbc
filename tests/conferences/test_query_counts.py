"""Rosters, the dashboard and the conference pages cost the same queries for 1 or 20 rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.conferences import selectors, services
from tests.accounts.login import verified_login

from .factories import member, on_duty, request_from_gp, request_from_hospital, world

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _conferences(w, n, *, start=0):
    """n conferences in every state for the GP and the specialist: requested, open, closed."""
    for i in range(start, start + n):
        conference = request_from_gp(w, topic=f"Konference {i}", patient_cpr="0707614285" if i % 2 else "")
        if i % 3:
            services.conference_accept(conference=conference, user=w.specialist)
        if i % 3 == 2:
            services.conference_close(conference=conference, actor=w.specialist)
        request_from_hospital(w, topic=f"Fra sygehuset {i}", requester=w.next_specialist)


@pytest.mark.parametrize("who", ["gp", "specialist"])
def test_the_dashboard_does_not_grow_with_conferences(client, who):
    w = world()
    on_duty(w)
    verified_login(client, getattr(w, who))
    url = reverse("conferences:dashboard")
    _conferences(w, 1)
    _queries(client, url)  # warm the session and the content-type cache
    with_one = _queries(client, url)
    _conferences(w, 19, start=1)
    assert _queries(client, url) == with_one


def _fresh(user):
    """The user as a new request sees it: memberships not yet read."""
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize("who", ["gp", "specialist"])
def test_the_dashboard_selector_is_five_queries_for_1_or_20_conferences(django_assert_num_queries, who):
    w = world()
    on_duty(w)
    _conferences(w, 1)
    user = _fresh(getattr(w, who))
    # The memberships once, the requested and open conferences, one page of tasks, then the
    # names of their organisations and of their people.
    with django_assert_num_queries(5):
        selectors.dashboard(user)
    _conferences(w, 20, start=1)
    user = _fresh(getattr(w, who))
    with django_assert_num_queries(5):
        board = selectors.dashboard(user)
    assert board.waiting_for_me and board.open and board.tasks
    assert bool(board.sent) == (who == "gp")  # the GP's own requests, not yet accepted
    with django_assert_num_queries(0):
        [(c.practice_name, c.department, c.gp_name, c.specialist_name) for c in board.open]


def test_every_page_of_tasks_costs_the_same(client, monkeypatch):
    monkeypatch.setattr(selectors, "TASKS_PER_PAGE", 3)
    w = world()
    on_duty(w)
    verified_login(client, w.specialist)
    url = reverse("conferences:dashboard")
    _conferences(w, 3)  # one closed: one task
    _queries(client, url)
    with_one = _queries(client, url)
    _conferences(w, 12, start=3)  # five tasks: two pages
    assert selectors.dashboard(w.specialist).more_tasks
    assert _queries(client, url) == with_one
    assert _queries(client, url + "?opgaver=2") == with_one


def test_who_is_on_now_is_one_query_for_1_or_20_specialists(django_assert_num_queries):
    w = world()
    now = timezone.now()
    on_duty(w, now=now)
    with django_assert_num_queries(1):
        one = [
            (p.specialist.get_full_name(), str(p.department))
            for p in selectors.on_duty(specialty=w.department.specialty, area=w.area, at=now)
        ]
    for i in range(19):
        specialist = member(w.department, "hospital_specialist", conference_specialist=True)
        on_duty(w, specialist, hours_ago=1 + i, now=now)
        on_duty(w, specialist, hours_ago=-20 - i, hours_ahead=50, now=now)  # later: not on now
    with django_assert_num_queries(1):
        twenty = [
            (p.specialist.get_full_name(), str(p.department))
            for p in selectors.on_duty(specialty=w.department.specialty, area=w.area, at=now)
        ]
    assert len(one) == 1 and len(twenty) == 20
    assert selectors.next_on_duty(
        specialty=w.department.specialty, area=w.area, at=now
    ).starts_at == now + timedelta(hours=20)


def test_the_on_duty_page_does_not_grow_with_specialists(client):
    w = world()
    now = timezone.now()
    on_duty(w, now=now)
    verified_login(client, w.gp)
    url = reverse("conferences:on_duty") + "?speciale=geriatri"
    _queries(client, url)
    with_one = _queries(client, url)
    for _i in range(19):
        on_duty(w, member(w.department, "hospital_specialist", conference_specialist=True), now=now)
    assert _queries(client, url) == with_one


def test_the_conference_page_does_not_grow_with_its_history(client):
    from portal.conferences.models import ConferenceEvent

    w = world()
    on_duty(w)
    conference = services.conference_accept(conference=request_from_gp(w), user=w.specialist)
    verified_login(client, w.gp)
    url = reverse("conferences:conference", kwargs={"public_id": conference.public_id})
    _queries(client, url)
    with_few = _queries(client, url)
    for _i in range(20):
        ConferenceEvent.objects.create(conference=conference, kind="escalated", specialist=w.next_specialist)
    assert _queries(client, url) == with_few


def test_the_dashboard_page_reads_no_permission_tables_and_writes_no_session(client):
    """Every dashboard load used to save the session and read the permission tables twice
    (the editors' bar on a page that is not Wagtail's); issue 11's speed goal needs neither."""
    w = world()
    on_duty(w)
    verified_login(client, w.gp)
    url = reverse("conferences:dashboard")
    _conferences(w, 3)
    client.get(url)  # warm up: menus, content types
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    sql = [q["sql"] for q in captured]
    assert not [s for s in sql if "auth_permission" in s]
    assert not [s for s in sql if s.startswith("UPDATE") and "django_session" in s]


@pytest.mark.parametrize("who", ["gp", "specialist"])
def test_the_badge_count_is_one_query_and_agrees_with_the_dashboard(django_assert_num_queries, who):
    w = world()
    on_duty(w)
    _conferences(w, 7)
    user = _fresh(getattr(w, who))
    board = selectors.dashboard(user)
    listed = len(board.waiting_for_me) + sum(task.own_note_missing(user.pk) for task in board.tasks)
    assert listed > 0
    user = _fresh(getattr(w, who))
    with django_assert_num_queries(2):  # the memberships, the count
        assert selectors.waiting_count(user) == listed
