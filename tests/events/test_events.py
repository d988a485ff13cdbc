"""Meetings between the sectors (issue 15): an agenda for both sectors, registration with a
seat limit and a waiting list, a calendar file, reminders, the organisers' attendance list,
and a "tænk klogt" review drafted from a meeting."""

import csv
import io
from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from content.models import EventPage, ThinkSmartReviewPage
from portal.accounts.models import Membership, Organisation
from portal.accounts.roles import Role
from portal.events import services
from portal.events.models import Registration
from portal.outbox.models import OutboxEmail
from tests.accounts.factories import PracticeFactory, UserFactory
from tests.accounts.login import verified_login
from tests.authz import assert_authorisation_matrix, http_ok, perm
from tests.content.factories import section

from .factories import EventPageFactory, agenda

pytestmark = pytest.mark.django_db
Status = Registration.Status


def login(client, user):
    verified_login(client, user)
    return client


def url(name, event):
    return reverse(f"events:{name}", kwargs={"page_id": event.pk})


def gp(name="Lars"):
    user = UserFactory(first_name=name)
    Membership.objects.create(user=user, organisation=PracticeFactory(name=f"Lægehuset {name}"), role=Role.GP)
    return user


@pytest.mark.parametrize(
    ("sectors", "ok"),
    [
        (("almen-praksis", "sygehus"), True),
        (("almen-praksis", "begge", "sygehus"), True),
        (("sygehus", "sygehus", "begge"), False),  # the hospital lecturing
        (("almen-praksis", "begge"), False),
    ],
)
def test_an_agenda_must_give_both_sectors_their_part(sectors, ok):
    event = EventPageFactory()
    event.agenda = agenda(*sectors)
    with translation.override("da"):
        if ok:
            event.full_clean()
        else:
            with pytest.raises(ValidationError) as refused:
                event.full_clean()
            assert "begge sektorer" in str(refused.value.message_dict["agenda"])


def test_a_meeting_ends_after_it_starts_and_registration_closes_before():
    event = EventPageFactory()
    event.ends_at = event.starts_at - timedelta(minutes=1)
    event.registration_closes_at = event.starts_at + timedelta(hours=1)
    with pytest.raises(ValidationError) as refused:
        event.full_clean()
    assert {"ends_at", "registration_closes_at"} <= set(refused.value.message_dict)


def test_seats_then_the_waiting_list_then_a_freed_seat_goes_to_the_first(
    client, django_capture_on_commit_callbacks
):
    event = EventPageFactory(seats=2)
    first, second, third, fourth = (gp(n) for n in ("Anne", "Bo", "Carl", "Dora"))
    with django_capture_on_commit_callbacks(execute=True):
        for user in (first, second, third, fourth):
            login(client, user)
            assert client.post(url("register", event)).status_code == 302
    statuses = dict(Registration.objects.values_list("user__first_name", "status"))
    assert statuses == {"Anne": "registered", "Bo": "registered", "Carl": "waiting", "Dora": "waiting"}
    login(client, third)
    assert "nummer 1" in client.get(url("registration", event)).content.decode()
    login(client, first)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("cancel", event)).status_code == 302
    statuses = dict(Registration.objects.values_list("user__first_name", "status"))
    assert statuses == {"Anne": "cancelled", "Bo": "registered", "Carl": "registered", "Dora": "waiting"}
    subjects = Counter(e.subject.split(":")[0] for e in OutboxEmail.objects.all())
    assert subjects == {"Du er tilmeldt": 2, "Du er på ventelisten": 2, "En plads er din": 1}
    promoted = OutboxEmail.objects.get(subject__startswith="En plads er din")
    assert promoted.to == [third.email]


def test_cancelling_a_waiting_place_frees_no_seat():
    event = EventPageFactory(seats=1)
    a, b, c = gp("A"), gp("B"), gp("C")
    services.event_register(event=event, user=a)
    waiting_b = services.event_register(event=event, user=b)
    services.event_register(event=event, user=c)
    services.event_cancel(registration=waiting_b, actor=b)
    assert dict(Registration.objects.values_list("user__first_name", "status")) == {
        "A": "registered",
        "B": "cancelled",
        "C": "waiting",
    }


def test_registering_twice_keeps_the_place_and_again_after_cancelling_goes_to_the_back():
    event = EventPageFactory(seats=1)
    a, b, c = gp("A"), gp("B"), gp("C")
    services.event_register(event=event, user=a)
    first = services.event_register(event=event, user=b)
    assert services.event_register(event=event, user=b).pk == first.pk
    services.event_register(event=event, user=c)
    services.event_cancel(registration=first, actor=b)
    again = services.event_register(event=event, user=b)
    assert again.pk == first.pk and again.status == Status.WAITING
    assert again.queued_at > Registration.objects.get(user=c).queued_at


def test_registration_closes_with_a_danish_400(client):
    event = EventPageFactory(registration_closes_at=timezone.now() + timedelta(days=1))
    event.registration_closes_at = timezone.now() - timedelta(minutes=1)
    event.save()
    login(client, gp())
    response = client.post(url("register", event))
    assert response.status_code == 400
    assert "Tilmeldingen til mødet er lukket" in response.content.decode()
    assert not Registration.objects.exists()


def test_only_live_meetings_take_registrations(client):
    draft = EventPageFactory(live=False)
    login(client, gp())
    assert client.post(url("register", draft)).status_code == 404
    assert client.get(url("registration", draft)).status_code == 404
    assert client.get(reverse("events:registration", kwargs={"page_id": 999999})).status_code == 404


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_people_racing_for_the_last_seat_give_one_seat():
    from tests.concurrency import race

    event = EventPageFactory(seats=3)
    for name in ("A", "B"):
        services.event_register(event=event, user=gp(name))
    racers = [gp(f"R{i}") for i in range(10)]
    outcomes = Counter(race(lambda i: services.event_register(event=event, user=racers[i]).status, 10))
    assert outcomes == {Status.REGISTERED: 1, Status.WAITING: 9}
    assert Registration.objects.filter(event=event, status=Status.REGISTERED).count() == 3


def _organised(organiser, **kwargs):
    event = EventPageFactory(**kwargs)
    event.organisers.add(organiser)
    event.save_revision().publish()
    return event


def test_the_organisers_list_and_attendance(client):
    organiser = UserFactory(first_name="Olga", last_name="Organisator")
    event = _organised(organiser, starts_at=timezone.now() - timedelta(hours=1))
    came, stayed_away = gp("Kom"), gp("Udeblev")
    for user in (came, stayed_away):
        Registration.objects.create(
            event=event, user=user, status=Status.REGISTERED, registered_at=timezone.now()
        )
    login(client, organiser)
    page = client.get(url("attendance", event)).content.decode()
    assert "Lægehuset Kom" in page and "Lægehuset Udeblev" in page
    reg = Registration.objects.get(user=came)
    assert client.post(url("attendance", event), {"attended": [str(reg.pk)]}).status_code == 302
    assert dict(Registration.objects.values_list("user__first_name", "attended")) == {
        "Kom": True,
        "Udeblev": False,
    }
    # Someone not registered, or not a number: a Danish 400 and nothing changed.
    stranger = Registration.objects.create(
        event=EventPageFactory(), user=gp("Fremmed"), status=Status.REGISTERED, registered_at=timezone.now()
    )
    for bad in ([str(stranger.pk)], ["1; DROP TABLE"]):
        response = client.post(url("attendance", event), {"attended": bad})
        assert response.status_code == 400
        assert "Intet er gemt" in response.content.decode()
    assert dict(Registration.objects.filter(event=event).values_list("user__first_name", "attended")) == {
        "Kom": True,
        "Udeblev": False,
    }


def test_attendance_waits_for_the_meeting_to_start(client):
    organiser = UserFactory()
    event = _organised(organiser)
    reg = Registration.objects.create(
        event=event, user=gp(), status=Status.REGISTERED, registered_at=timezone.now()
    )
    login(client, organiser)
    assert client.post(url("attendance", event), {"attended": [str(reg.pk)]}).status_code == 400
    assert Registration.objects.get().attended is None


def test_the_attendance_csv_is_for_a_spreadsheet_and_safe(client):
    organiser = UserFactory()
    event = _organised(organiser)
    sly = UserFactory(first_name="=HYPERLINK(1)", last_name="")
    Registration.objects.create(event=event, user=sly, status=Status.REGISTERED, registered_at=timezone.now())
    login(client, organiser)
    response = client.get(url("attendance", event) + "?format=csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "Navn" and rows[1][0] == "'=HYPERLINK(1)"


def test_authorisation_matrix(client):
    organiser, participant, other = UserFactory(), gp("Deltager"), gp("Anden")
    event = _organised(organiser)
    services.event_register(event=event, user=participant)
    cells = assert_authorisation_matrix(
        users={"organiser": organiser, "participant": participant, "other": other},
        objects={"event": event},
        actions={
            "attendance": perm("events.view_attendance"),
            "open_list": http_ok(lambda: client.__class__(), lambda e: url("attendance", e)),
        },
        allowed={("organiser", "event", "attendance"), ("organiser", "event", "open_list")},
    )
    assert cells == 4 * 1 * 2


def test_the_list_costs_the_same_queries_for_two_or_twenty(client):
    organiser = UserFactory()
    event = _organised(organiser)
    for i in range(2):
        services.event_register(event=event, user=gp(f"P{i}"))
    login(client, organiser)
    client.get(url("attendance", event))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("attendance", event)).status_code == 200
        return len(captured)

    few = queries()
    for i in range(18):
        services.event_register(event=event, user=gp(f"Q{i}"))
    assert queries() == few


def test_the_calendar_file_says_what_the_page_says_and_nobody_who_comes(client):
    event = EventPageFactory(title="Fyraftensmøde om hjertesvigt")
    services.event_register(event=event, user=gp("Hemmelig"))
    response = client.get(url("ics", event))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Fyraftensmøde om hjertesvigt"
    assert vevent.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    assert b"Hemmelig" not in response.content


def test_the_public_page_shows_the_agenda_by_sector_and_no_participant(client):
    event = EventPageFactory(agenda=agenda("almen-praksis", "sygehus"))
    services.event_register(event=event, user=gp("Hemmelig"))
    body = client.get(event.url).content.decode()
    assert "Almen praksis" in body and "Sygehus" in body
    assert url("registration", event) in body and url("ics", event) in body
    assert "Hemmelig" not in body


def test_a_reminder_the_day_before_once(django_capture_on_commit_callbacks):
    event = EventPageFactory(starts_at=timezone.now() + timedelta(hours=20))
    later = EventPageFactory(starts_at=timezone.now() + timedelta(days=3))
    coming, waiting = gp("Kommer"), gp("Venter")
    Registration.objects.create(
        event=event, user=coming, status=Status.REGISTERED, registered_at=timezone.now()
    )
    Registration.objects.create(
        event=event,
        user=waiting,
        status=Status.WAITING,
        registered_at=timezone.now(),
        queued_at=timezone.now(),
    )
    Registration.objects.create(
        event=later, user=coming, status=Status.REGISTERED, registered_at=timezone.now()
    )
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("events_remind", stdout=io.StringIO())
    reminders = OutboxEmail.objects.filter(subject__startswith="I morgen")
    assert [e.to for e in reminders] == [[coming.email]]


def test_an_organiser_who_edits_drafts_a_think_smart_review_from_the_minutes(client):
    reviews = section("taenk-klogt", "Tænk klogt")
    editor = UserFactory(is_staff=True)
    editors = Group.objects.get(name="Moderators")
    editor.groups.add(editors)
    # Wagtail's Moderators may add pages anywhere under the root, the sections included.
    secretariat, _ = Organisation.objects.get_or_create(kind="secretariat", name="KAP-sekretariatet")
    Membership.objects.create(user=editor, organisation=secretariat, role=Role.EDITOR)
    event = _organised(
        editor,
        starts_at=timezone.now() - timedelta(days=1),
        minutes=[("markdown", "Vi stopper rutinemæssig D-vitaminmåling.")],
    )
    login(client, editor)
    response = client.post(url("review_from_event", event))
    review = ThinkSmartReviewPage.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "wagtailadmin_pages:edit", args=(review.pk,)
    )
    assert not review.live and review.source_event_id == event.pk
    assert review.get_parent().pk == reviews.pk
    assert "D-vitaminmåling" in str(review.current_practice.raw_data)
    # A participant who does not edit cannot.
    other = gp()
    login(client, other)
    assert client.post(url("review_from_event", event)).status_code == 404
    assert ThinkSmartReviewPage.objects.count() == 1


def test_my_meetings(client):
    event = EventPageFactory(title="Møde jeg skal til")
    user = gp()
    services.event_register(event=event, user=user)
    login(client, user)
    assert "Møde jeg skal til" in client.get(reverse("events:mine")).content.decode()


def test_the_demo_meetings_load_twice_without_duplicates_and_are_valid(client):
    from content.management.commands.load_demo_content import SECTIONS  # noqa: F401 -- the demo's home
    from portal.events.demo import demo_events_load
    from tests.content.factories import home

    home()
    first = demo_events_load()
    assert demo_events_load() == first == 2
    for event in EventPage.objects.all():
        event.full_clean()
    menu = client.get("/").content.decode()
    assert 'href="/moeder/"' in menu


def test_an_organisers_meetings_show_their_counts(client):
    organiser = UserFactory()
    event = _organised(organiser, seats=1, title="Mit eget møde")
    services.event_register(event=event, user=gp("A"))
    services.event_register(event=event, user=gp("B"))
    login(client, organiser)
    body = client.get(reverse("events:mine")).content.decode()
    assert "Mit eget møde" in body and "1 / 1" in body


def test_coming_meetings_are_on_mit_overblik(client):
    event = EventPageFactory(title="Mødet på overblikket", seats=0)
    user = gp()
    services.event_register(event=event, user=user)
    login(client, user)
    body = client.get(reverse("overview")).content.decode()
    assert "Mødet på overblikket" in body and "På venteliste" in body
