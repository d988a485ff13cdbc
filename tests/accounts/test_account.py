"""Min konto: one's details, organisations and roles, second factor, notifications."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.roles import Role

from .factories import DepartmentFactory, MembershipFactory, PracticeFactory, UserFactory
from .login import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def specialist():
    user = UserFactory(first_name="Peter", last_name="Juhl", title="Overlæge", phone="+45 78 45 00 00")
    MembershipFactory(
        user=user, organisation=DepartmentFactory(name="Geriatri"), role=Role.HOSPITAL_SPECIALIST
    )
    return user


def test_the_account_page_shows_details_roles_factor_and_notifications(client, specialist):
    verified_login(client, specialist)
    html = client.get("/konto/").content.decode()
    assert "Min konto" in html
    assert 'value="Overlæge"' in html and 'value="+45 78 45 00 00"' in html
    assert "Geriatri, Regionshospital" in html and ": Speciallæge på sygehus</li>" in html
    assert 'href="/konto/2fa/gendannelseskoder/"' in html and 'href="/konto/2fa/opret/"' in html
    assert specialist.email in html
    assert 'action="/log-ud/"' in html


def test_details_are_saved(client, specialist):
    verified_login(client, specialist)
    response = client.post(
        "/konto/",
        {
            "first_name": "Peter",
            "last_name": "Juhl",
            "title": "Specialeansvarlig overlæge",
            "phone": "+45 12 34 56 78",
        },
    )
    assert response.status_code == 302
    specialist.refresh_from_db()
    assert specialist.title == "Specialeansvarlig overlæge" and specialist.phone == "+45 12 34 56 78"


@pytest.mark.parametrize(
    "data",
    [
        {"first_name": "", "last_name": "Juhl", "title": "", "phone": ""},
        {"first_name": "Peter", "last_name": "Juhl", "title": "x" * 151, "phone": ""},
        {"first_name": "Peter", "last_name": "Juhl", "title": "", "phone": "ring til mig"},
        {"first_name": "P" * 10_000, "last_name": "Juhl", "title": "", "phone": ""},
    ],
)
def test_bad_details_are_a_danish_400_and_nothing_changes(client, specialist, data):
    verified_login(client, specialist)
    response = client.post("/konto/", data)
    assert response.status_code == 400
    assert 'class="form-error-message"' in response.content.decode()
    specialist.refresh_from_db()
    assert (
        specialist.first_name == "Peter"
        and specialist.title == "Overlæge"
        and specialist.phone == "+45 78 45 00 00"
    )


def test_a_gp_without_a_device_is_sent_to_enrol_first(client):
    user = UserFactory()
    MembershipFactory(user=user, organisation=PracticeFactory(), role=Role.GP)
    client.force_login(user)
    assert client.get("/konto/")["Location"].startswith("/konto/2fa/opret/")
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_the_account_page_needs_a_login(client):
    assert client.get("/konto/")["Location"] == "/log-ind/?next=/konto/"


def test_informational_emails_can_be_switched_off_and_on(client, specialist):
    verified_login(client, specialist)
    html = client.get("/konto/").content.decode()
    assert 'name="informational_emails"' in html and " checked" in html  # on by default
    response = client.post("/konto/beskeder/", {})  # an unticked box is absent from the post
    assert response.status_code == 302
    specialist.refresh_from_db()
    assert not specialist.informational_emails
    client.post("/konto/beskeder/", {"informational_emails": "on"})
    specialist.refresh_from_db()
    assert specialist.informational_emails
    assert client.get("/konto/beskeder/").status_code == 405


def test_a_closed_thread_tells_only_those_who_want_to_know(django_capture_on_commit_callbacks):
    from django.core import mail

    from portal.correspondence.services import message_send, thread_close
    from tests.correspondence.factories import open_thread, world

    w = world()

    def answered_thread():
        thread = open_thread(w)
        message_send(thread=thread, author=w.specialist, body="Start DOAK.")
        mail.outbox.clear()
        return thread

    thread = answered_thread()
    with django_capture_on_commit_callbacks(execute=True):
        thread_close(thread=thread, actor=w.gp, summary="Afklaret telefonisk.")
    assert [m.to for m in mail.outbox if "lukket" in m.subject] == [[w.specialist.email]]  # by default
    w.specialist.informational_emails = False
    w.specialist.save(update_fields=["informational_emails"])
    thread = answered_thread()
    with django_capture_on_commit_callbacks(execute=True):
        thread_close(thread=thread, actor=w.gp, summary="Afklaret telefonisk.")
    assert [m.to for m in mail.outbox if "lukket" in m.subject] == []


def test_a_conference_note_tells_the_gp_unless_she_switched_it_off(django_capture_on_commit_callbacks):
    from django.core import mail

    from portal.conferences import services
    from tests.conferences.factories import on_duty, request_from_gp, world

    w = world()
    on_duty(w)

    def note_for_the_gp() -> list:
        conference = request_from_gp(w, topic="Svimmelhed")
        services.conference_accept(conference=conference, user=w.specialist)
        services.conference_close(conference=conference, actor=w.specialist)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.conference_note_write(conference=conference, author=w.specialist, text="Notat.")
        return [m for m in mail.outbox if w.gp.email in m.to]

    assert len(note_for_the_gp()) == 1  # by default
    w.gp.informational_emails = False
    w.gp.save(update_fields=["informational_emails"])
    assert note_for_the_gp() == []
