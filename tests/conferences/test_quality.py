"""/konferencer/kvalitet/: notes and résumés missing, and time to each, per department and practice."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.conferences import selectors, services
from tests.accounts.login import verified_login

from .factories import on_duty, request_from_gp, world

pytestmark = pytest.mark.django_db

H = timedelta(hours=1)


def _conference(w, start, *, note_after=None, resume_after=None, close_after=H, **kwargs):
    """A conference accepted at ``start`` and closed ``close_after`` later; each note written
    the given time after ``start`` (None: never written)."""
    conference = request_from_gp(w, now=start, **kwargs)
    services.conference_accept(conference=conference, user=w.specialist, now=start)
    writes = [(close_after, "close")]
    if note_after is not None:
        writes.append((note_after, "note"))
    if resume_after is not None:
        writes.append((resume_after, "resume"))
    for after, what in sorted(writes, key=lambda write: write[0]):
        at = start + after
        if what == "close":
            services.conference_close(conference=conference, actor=w.specialist, now=at)
        elif what == "note":
            services.conference_note_write(conference=conference, author=w.specialist, text="Notat", now=at)
        else:
            gp = kwargs.get("requester", w.gp)
            services.conference_resume_write(conference=conference, author=gp, text="Resumé", now=at)
    return conference


@pytest.fixture
def w():
    w = world()
    start = timezone.now() - timedelta(days=2)
    long_ago = timezone.now() - timedelta(days=200)  # outside the default 90 days
    on_duty(w, now=start)
    on_duty(w, now=long_ago)
    _conference(w, start, note_after=3 * H, resume_after=5 * H)  # both: 2 h and 4 h after the close
    _conference(w, start, resume_after=2 * H)  # no note; résumé 1 h after the close
    _conference(w, start, note_after=11 * H)  # no résumé; note 10 h after the close
    # The other practice: a note written during the conference counts from the accept (0.5 h).
    _conference(
        w,
        start,
        note_after=H / 2,
        resume_after=7 * H,
        practice=w.other_practice,
        requester=w.other_gp,
        patient_cpr="",
    )
    open_one = request_from_gp(w, now=start)  # still open: not counted
    services.conference_accept(conference=open_one, user=w.specialist, now=start)
    _conference(w, long_ago)
    return w


def test_the_figures_per_department_and_practice(w):
    rows = {
        row.organisation: row
        for row in selectors.conference_note_quality(since=timezone.now() - timedelta(days=90))
    }
    assert set(rows) == {w.department, w.practice, w.other_practice}
    department, practice, other = rows[w.department], rows[w.practice], rows[w.other_practice]
    assert (department.closed, department.notes_missing, department.resumes_missing) == (4, 1, 1)
    assert department.note_stats == {"count": 3, "median": 2 * H, "p90": 10 * H}
    assert department.resume_stats == {"count": 3, "median": 4 * H, "p90": 6 * H}
    assert (practice.closed, practice.notes_missing, practice.resumes_missing) == (3, 1, 1)
    assert practice.note_stats == {"count": 2, "median": 6 * H, "p90": 10 * H}
    assert practice.resume_stats == {"count": 2, "median": 2.5 * H, "p90": 4 * H}
    assert (other.closed, other.notes_missing, other.resumes_missing) == (1, 0, 0)
    assert other.note_stats == {"count": 1, "median": H / 2, "p90": H / 2}


def test_the_page_shows_them_without_topics_or_patients(client, w):
    verified_login(client, w.other_gp)
    response = client.get(reverse("conferences:quality"))
    html = response.content.decode()
    assert response.status_code == 200
    assert str(w.department) in html and str(w.practice) in html and str(w.other_practice) in html
    assert "Notater efter konferencer" in html and "Lukkede" in html and "90 dage" in html  # Danish
    assert "2,0" in html and "10,0" in html and "2,5" in html  # Danish decimals, hours
    assert "Skrøbelig" not in html  # the topic
    assert "070761" not in html and "0707614285" not in html
    assert response["Cache-Control"].startswith("max-age=0")
    # The period: a year back brings in the conference from 200 days ago.
    wider = client.get(reverse("conferences:quality"), {"dage": "365"}).context["sections"][0][1][0]
    assert wider["closed"] == 5
    # Bad input falls back to the default period, never a 500.
    for bad in ("abc", "0", "100000"):
        response = client.get(reverse("conferences:quality"), {"dage": bad})
        assert response.status_code == 200 and response.context["days"] == 90


def test_the_dashboard_links_to_it(client, w):
    verified_login(client, w.gp)
    assert reverse("conferences:quality") in client.get(reverse("conferences:dashboard")).content.decode()


def test_signed_in_users_only_as_with_correspondence(client, w):
    response = client.get(reverse("conferences:quality"))
    assert response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    client.force_login(w.specialist)  # not past the second factor
    response = client.get(reverse("conferences:quality"))
    assert response.status_code == 302 and not response["Location"].startswith(reverse("conferences:quality"))
    assert client.post(reverse("conferences:quality")).status_code in (302, 405)


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("conferences:quality"))
    assert response.status_code == 200
    return len(captured)


def test_the_same_queries_for_1_or_20_conferences(client, django_assert_num_queries):
    w = world()
    start = timezone.now() - timedelta(days=2)
    on_duty(w, now=start)
    _conference(w, start, note_after=3 * H, resume_after=5 * H)
    verified_login(client, w.gp)
    _queries(client)  # warm the session
    with_one = _queries(client)
    for i in range(19):
        _conference(w, start, note_after=(2 + i) * H, resume_after=None if i % 2 else 4 * H)
    assert _queries(client) == with_one
    with django_assert_num_queries(3):  # counts grouped in SQL, the note times, the organisations
        rows = selectors.conference_note_quality(since=start - timedelta(days=1))
    assert rows[0].closed == 20
