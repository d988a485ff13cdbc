"""Drop-in hours: publishing, the calendar on /konferencer/, the session page, signing up and
joining, who is there, the authorisation matrix, query counts, and the iCal feed parsed back."""

from datetime import UTC, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from portal.accounts.models import CalendarFeedToken
from portal.conferences import drop_in_services as services
from portal.conferences.drop_in_selectors import drop_in_calendar
from portal.conferences.models import DropInAttendance, DropInHour
from tests.accounts.factories import HealthCouncilAreaFactory, PracticeFactory, UserFactory
from tests.accounts.login import verified_login
from tests.authz import assert_authorisation_matrix, http_ok, perm

from .factories import drop_in_hour, member, world

pytestmark = pytest.mark.django_db


def _url(drop_in, name="drop_in"):
    return reverse(f"conferences:{name}", kwargs={"public_id": drop_in.public_id})


def _far_gp():
    """A GP of a practice in another health council area."""
    from portal.accounts.roles import Role

    return member(
        PracticeFactory(health_council_area=HealthCouncilAreaFactory()), Role.GP, first_name="Fjern"
    )


# --- Publishing -------------------------------------------------------------------------------


def test_a_specialist_publishes_a_drop_in_hour_of_60_minutes_in_the_department_area():
    w = world()
    drop_in = drop_in_hour(w)
    assert drop_in.duration_minutes == 60
    assert drop_in.ends_at - drop_in.starts_at == timedelta(hours=1)
    assert drop_in.specialty == w.department.specialty
    assert drop_in.health_council_area == w.area


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"video_url": "http://video.example.dk/x"}, "video_url"),
        ({"video_url": "javascript:alert(1)"}, "video_url"),
        ({"duration_minutes": 5}, "duration_minutes"),
        ({"duration_minutes": 600}, "duration_minutes"),
    ],
)
def test_bad_drop_in_hours_are_refused_with_nothing_saved(changes, field):
    w = world()
    with pytest.raises(ValidationError) as refused:
        drop_in_hour(w, **changes)
    assert field in refused.value.error_dict
    assert DropInHour.objects.count() == 0


def test_a_start_in_the_past_is_refused():
    w = world()
    with pytest.raises(ValidationError):
        services.drop_in_publish(
            host=w.specialist,
            department=w.department,
            starts_at=timezone.now() - timedelta(hours=1),
            video_url="https://video.example.dk/x",
        )


def test_only_a_specialist_of_the_department_publishes():
    w = world()
    for user in (w.gp, w.secretary, UserFactory(is_superuser=True, is_staff=True)):
        with pytest.raises(PermissionDenied):
            drop_in_hour(w, host=user)
    assert DropInHour.objects.count() == 0


def test_publishing_over_http_with_the_default_length(client):
    w = world()
    verified_login(client, w.specialist)
    starts = timezone.localtime() + timedelta(days=2)
    response = client.post(
        reverse("conferences:drop_in_new"),
        {
            "department": w.department.pk,
            "title": "Fald",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "60",
            "video_url": "https://video.example.dk/fald",
        },
    )
    drop_in = DropInHour.objects.get()
    assert response.status_code == 302 and response["Location"] == _url(drop_in)
    assert timezone.localtime(drop_in.starts_at).strftime("%Y-%m-%d %H:%M") == starts.strftime(
        "%Y-%m-%d %H:%M"
    )


def test_publishing_with_an_http_link_is_a_400_in_danish(client):
    w = world()
    verified_login(client, w.specialist)
    response = client.post(
        reverse("conferences:drop_in_new"),
        {
            "department": w.department.pk,
            "starts_at": (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "60",
            "video_url": "http://video.example.dk/fald",
        },
    )
    assert response.status_code == 400
    assert "https://" in response.content.decode()
    assert DropInHour.objects.count() == 0


# --- The calendar and the session -------------------------------------------------------------


def test_gps_of_the_area_see_the_calendar_on_the_dashboard_others_do_not(client):
    w = world()
    drop_in = drop_in_hour(w, starts_in_minutes=120)
    over = drop_in_hour(w, starts_in_minutes=-90)  # 60 minutes, ended half an hour ago
    assert drop_in_calendar(w.gp) == [drop_in]
    assert over not in drop_in_calendar(w.gp)
    assert drop_in_calendar(_far_gp()) == []
    assert drop_in_calendar(w.specialist) == [drop_in]  # the host's own
    verified_login(client, w.gp)
    html = client.get(reverse("conferences:dashboard")).content.decode()
    assert _url(drop_in) in html and _url(over) not in html


def test_signing_up_and_joining_are_recorded_once_and_join_sends_to_the_link(client):
    w = world()
    drop_in = drop_in_hour(w, starts_in_minutes=5)
    verified_login(client, w.gp)
    assert client.post(_url(drop_in, "drop_in_sign_up")).status_code == 302
    assert client.post(_url(drop_in, "drop_in_sign_up")).status_code == 302
    response = client.get(_url(drop_in, "drop_in_join"))
    assert response.status_code == 302 and response["Location"] == "https://video.example.dk/drop-in"
    attendance = DropInAttendance.objects.get()
    assert attendance.gp == w.gp and attendance.signed_up_at and attendance.joined_at
    # Joining without signing up is joining only.
    services.drop_in_join(drop_in=drop_in, gp=w.gp_colleague)
    walk_in = DropInAttendance.objects.get(gp=w.gp_colleague)
    assert walk_in.joined_at and walk_in.signed_up_at is None


def test_joining_before_the_room_opens_says_when(client):
    w = world()
    drop_in = drop_in_hour(w, starts_in_minutes=180)
    verified_login(client, w.gp)
    response = client.get(_url(drop_in, "drop_in_join"), follow=True)
    assert "åbner" in response.content.decode()
    assert not DropInAttendance.objects.filter(joined_at__isnull=False).exists()


def test_an_ended_drop_in_hour_takes_no_one():
    w = world()
    drop_in = drop_in_hour(w, starts_in_minutes=-61)
    with pytest.raises(PermissionDenied):
        services.drop_in_join(drop_in=drop_in, gp=w.gp)


def test_who_is_there_is_shown_by_name_to_the_host_and_participants_only(client):
    w = world()
    drop_in = drop_in_hour(w, starts_in_minutes=0)
    services.drop_in_sign_up(drop_in=drop_in, gp=w.gp_colleague)
    services.drop_in_join(drop_in=drop_in, gp=w.other_gp)
    for user, sees in ((w.specialist, True), (w.gp_colleague, True), (w.other_gp, True), (w.gp, False)):
        verified_login(client, user)
        html = client.get(_url(drop_in)).content.decode()
        assert ("Kaj Kollega" in html and "Ole Andenlæge" in html) is sees, user
    services.drop_in_sign_up(drop_in=drop_in, gp=w.gp)
    verified_login(client, w.gp)
    assert "Ole Andenlæge" in client.get(_url(drop_in)).content.decode()


# --- Authorisation ----------------------------------------------------------------------------


@pytest.fixture
def arranged():
    w = world()
    upcoming = drop_in_hour(w, starts_in_minutes=30)
    services.drop_in_sign_up(drop_in=upcoming, gp=w.gp_colleague)
    over = drop_in_hour(w, starts_in_minutes=-120)
    users = {
        "gp": w.gp,
        "participant": w.gp_colleague,
        "far_gp": _far_gp(),
        "host": w.specialist,
        "colleague": w.colleague,
        "secretary": w.secretary,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    return users, {"upcoming": upcoming, "over": over}


def test_the_drop_in_matrix_by_rule(arranged):
    users, objects = arranged
    area_gps = ("gp", "participant")
    allowed = {(u, o, "view") for u in (*area_gps, "host") for o in objects}
    allowed |= {(u, "upcoming", "attend") for u in area_gps}
    allowed |= {("host", o, "attendees") for o in objects} | {("participant", "upcoming", "attendees")}
    cells = assert_authorisation_matrix(
        users=users,
        objects=objects,
        actions={
            "view": perm("conferences.view_dropinhour"),
            "attend": perm("conferences.attend_dropinhour"),
            "attendees": perm("conferences.view_dropinattendance"),
        },
        allowed=allowed,
    )
    assert cells == 7 * 2 * 3


def test_the_drop_in_matrix_over_http(arranged):
    users, objects = arranged
    allowed = {(u, o, "open") for u in ("gp", "participant", "host") for o in objects}
    cells = assert_authorisation_matrix(
        users=users, objects=objects, actions={"open": http_ok(Client, _url)}, allowed=allowed
    )
    assert cells == 7 * 2


def test_sign_up_and_join_outside_the_area_are_404_and_record_nothing(arranged):
    users, objects = arranged
    client = Client()
    for role in ("superuser", "far_gp", "host", "colleague", "secretary"):
        verified_login(client, users[role])
        assert client.post(_url(objects["upcoming"], "drop_in_sign_up")).status_code == 404, role
        assert client.get(_url(objects["upcoming"], "drop_in_join")).status_code == 404, role
    assert list(DropInAttendance.objects.values_list("gp", flat=True)) == [users["participant"].pk]


def test_publishing_is_for_hospital_specialists_only():
    w = world()
    client = Client()
    for user, expected in (
        (w.specialist, 200),
        (w.colleague, 200),
        (w.gp, 404),
        (w.secretary, 404),
        (UserFactory(is_superuser=True, is_staff=True), 404),
    ):
        verified_login(client, user)
        assert client.get(reverse("conferences:drop_in_new")).status_code == expected, user


# --- Query counts -----------------------------------------------------------------------------


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_session_page_and_the_calendar_do_not_grow_with_attendees_or_sessions(client):
    from portal.accounts.roles import Role

    w = world()
    drop_in = drop_in_hour(w, starts_in_minutes=0)
    verified_login(client, w.specialist)
    _queries(client, _url(drop_in))  # warm the session and the menu's cache
    page, dashboard = _queries(client, _url(drop_in)), _queries(client, reverse("conferences:dashboard"))
    for n in range(8):
        services.drop_in_join(drop_in=drop_in, gp=member(w.practice, Role.GP, first_name=f"Læge{n}"))
        drop_in_hour(w, starts_in_minutes=60 * (n + 2))
    assert _queries(client, _url(drop_in)) == page
    assert _queries(client, reverse("conferences:dashboard")) == dashboard


# --- The iCal feed ----------------------------------------------------------------------------


def _feed_url(client, user, w) -> str:
    verified_login(client, user)
    client.post(reverse("conferences:calendar_links"))
    token = CalendarFeedToken.objects.get(user=user, feed="drop_in").token
    return reverse(
        "conferences:drop_in_feed",
        kwargs={"token": token, "specialty": w.department.specialty.slug, "area": w.area.slug},
    )


def test_the_feed_is_a_calendar_a_parser_reads_back_with_stable_uids_in_utc(client):
    w = world()
    first = drop_in_hour(w, starts_in_minutes=60 * 24, title="Demens")
    second = drop_in_hour(w, starts_in_minutes=60 * 48, duration_minutes=90, title="")
    url = _feed_url(client, w.gp, w)
    # Nothing but a random secret identifies the subscriber: no user id, no e-mail, no CPR.
    token = CalendarFeedToken.objects.get(user=w.gp, feed="drop_in").token
    assert url == f"/konferencer/drop-in/kalender/{token}/geriatri/{w.area.slug}.ics"
    assert len(token) >= 40
    client.logout()  # calendar programs do not log in
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("DTSTART"))
    assert [str(e["UID"]) for e in events] == [f"{d.public_id}@drop-in.samspil.dk" for d in (first, second)]
    for event, drop_in in zip(events, (first, second), strict=True):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert start.tzinfo is not None and start.utcoffset() == timedelta(0)
        assert start == drop_in.starts_at.replace(microsecond=0).astimezone(UTC)
        assert end - start == timedelta(minutes=drop_in.duration_minutes)
        assert str(event["LOCATION"]) == drop_in.video_url
        assert str(event["URL"]).endswith(_url(drop_in))
        assert drop_in.specialty.name in str(event["SUMMARY"])
    assert "Demens" in str(events[0]["SUMMARY"])
    # Stable: the same UIDs on the next download.
    again = Calendar.from_ical(client.get(url).content)
    assert sorted(str(e["UID"]) for e in again.walk("VEVENT")) == sorted(str(e["UID"]) for e in events)


def test_the_feed_answers_404_for_a_wrong_token_a_renewed_one_or_another_area(client):
    w = world()
    drop_in_hour(w)
    url = _feed_url(client, w.gp, w)
    assert client.get(url.replace("/kalender/", "/kalender/x")).status_code == 404
    other = HealthCouncilAreaFactory()
    assert client.get(url.replace(f"/{w.area.slug}.ics", f"/{other.slug}.ics")).status_code == 404
    client.post(reverse("conferences:calendar_links"), {"action": "renew"})
    assert client.get(url).status_code == 404
    w.gp.is_active = False
    w.gp.save()
    fresh = reverse(
        "conferences:drop_in_feed",
        kwargs={
            "token": CalendarFeedToken.objects.get(user=w.gp, feed="drop_in").token,
            "specialty": "geriatri",
            "area": w.area.slug,
        },
    )
    assert client.get(fresh).status_code == 404


def test_the_calendar_links_page_lists_a_link_per_specialty_and_area(client):
    w = world()
    drop_in_hour(w)
    url = _feed_url(client, w.gp, w)
    html = client.get(reverse("conferences:calendar_links")).content.decode()
    assert url in html
    verified_login(client, w.secretary)
    assert client.get(reverse("conferences:calendar_links")).status_code == 404
