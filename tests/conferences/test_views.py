"""The conference pages over HTTP: dashboard, who is on duty, requests, the conference, the overview."""

import re

import pytest
from django.urls import reverse

from portal.audit.models import AccessLogEntry
from portal.conferences import services
from portal.conferences.models import Conference, ConferenceNote, OverviewDiagnosis, PatientOverview
from tests.accounts.login import verified_login

from .factories import on_duty, request_from_gp, request_from_hospital, world

pytestmark = pytest.mark.django_db


def _conference_url(conference, name="conference"):
    return reverse(f"conferences:{name}", kwargs={"public_id": conference.public_id})


def _open(w, **kwargs):
    on_duty(w)
    conference = request_from_gp(w, **kwargs)
    return services.conference_accept(conference=conference, user=w.specialist)


def test_who_is_on_now_names_the_specialist_with_phone_and_video(client):
    w = world()
    on_duty(w)
    verified_login(client, w.gp)
    response = client.get(reverse("conferences:on_duty") + "?speciale=geriatri")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gerda Geriater" in html
    assert "78 45 12 34" in html
    assert "https://video.example.dk/geriatri" in html
    assert "/konferencer/ny/?speciale=geriatri" in html


def test_where_nobody_is_on_the_next_one_and_correspondence_are_offered(client):
    w = world()
    on_duty(w, w.next_specialist, hours_ago=-3, hours_ahead=5)
    verified_login(client, w.gp)
    html = client.get(reverse("conferences:on_duty") + "?speciale=geriatri").content.decode()
    assert "samspil-nobody-on-duty" in html
    assert "Niels Næste" in html
    assert reverse("correspondence:new") in html


def test_an_unknown_specialty_is_a_danish_400(client):
    w = world()
    verified_login(client, w.gp)
    response = client.get(reverse("conferences:on_duty") + "?speciale=findes-ikke")
    assert response.status_code == 400
    assert "Marker en gyldig valgmulighed" in response.content.decode()


def test_a_gp_requests_a_conference_and_the_specialist_sees_it(client):
    w = world()
    on_duty(w)
    verified_login(client, w.gp)
    page = client.get(reverse("conferences:new") + "?speciale=geriatri").content.decode()
    token = re.search(r'name="client_token" value="([^"]+)"', page).group(1)
    data = {
        "practice": w.practice.pk,
        "specialty": "geriatri",
        "topic": "Skrøbelig 88-årig",
        "urgency": "today",
        "mode": "video",
        "cpr": "070761-4285",
        "client_token": token,
    }
    response = client.post(reverse("conferences:new"), data)
    conference = Conference.objects.get()
    assert response.status_code == 302 and response["Location"] == _conference_url(conference)
    client.post(reverse("conferences:new"), data)  # twice: still one
    assert Conference.objects.count() == 1
    verified_login(client, w.specialist)
    dashboard = client.get(reverse("conferences:dashboard")).content.decode()
    assert "Skrøbelig 88-årig" in dashboard
    page = client.get(_conference_url(conference)).content.decode()
    assert "070761-XXXX" in page and "4285" not in page
    assert client.post(_conference_url(conference, "accept")).status_code == 302
    conference.refresh_from_db()
    assert conference.is_open


@pytest.mark.parametrize(
    "change, field",
    [
        ({"topic": ""}, "topic"),
        ({"topic": "x" * 201}, "topic"),
        ({"urgency": "igaar"}, "urgency"),
        ({"cpr": "320199-1234"}, "cpr"),
        ({"specialty": "urologi"}, "specialty"),  # nobody on duty in urology
    ],
)
def test_bad_request_input_is_a_danish_400_and_nothing_saved(client, change, field):
    w = world()
    on_duty(w)
    verified_login(client, w.gp)
    data = {
        "practice": w.practice.pk,
        "specialty": "geriatri",
        "topic": "Emne",
        "urgency": "today",
        "mode": "phone",
    }
    response = client.post(reverse("conferences:new"), {**data, **change})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert "Anmodningen blev ikke sendt" in response.content.decode()
    assert Conference.objects.count() == 0


def test_a_hospital_doctor_asks_a_practice_before_discharge(client):
    w = world()
    verified_login(client, w.specialist)
    assert client.get(reverse("conferences:new_hospital")).status_code == 200
    data = {
        "department": w.department.pk,
        "kind": "discharge",
        "practice": w.practice.pk,
        "cpr": "0707614285",
        "topic": "Udskrivelse efter 6 ugers indlæggelse",
        "urgency": "planned",
        "mode": "video",
        "discharge__plan": "Genoptræning i hjemmet",
        "discharge__gp_tasks": "Blodprøver om en uge",
    }
    response = client.post(reverse("conferences:new_hospital"), data)
    assert response.status_code == 400  # the third question is unanswered
    assert Conference.objects.count() == 0
    response = client.post(
        reverse("conferences:new_hospital"), {**data, "discharge__follow_up": "Kontrol om 4 uger"}
    )
    assert response.status_code == 302
    conference = Conference.objects.get()
    assert conference.template_answers["follow_up"] == "Kontrol om 4 uger"
    verified_login(client, w.gp_colleague)
    assert "Kontrol om 4 uger" in client.get(_conference_url(conference)).content.decode()
    assert client.get(reverse("conferences:new_hospital")).status_code == 404  # GPs ask through the roster


def test_the_overview_is_shown_edited_and_logged_with_no_store(client):
    w = world()
    conference = _open(w)
    verified_login(client, w.gp)
    url = _conference_url(conference, "overview")
    before = AccessLogEntry.objects.count()
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert AccessLogEntry.objects.count() == before + 1
    client.get(url)
    assert AccessLogEntry.objects.count() == before + 2  # every view
    data = {
        "diagnose-TOTAL_FORMS": "3",
        "diagnose-INITIAL_FORMS": "0",
        "diagnose-0-code": "j44.1",
        "diagnose-0-text": "KOL",
        "treatment_level": "no_resuscitation",
        "frailty_score": "6",
        "medication": "Spiriva",
        "note": "<b>fed</b>",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "J44.1" in html and "&lt;b&gt;fed&lt;/b&gt;" in html


@pytest.mark.parametrize(
    "change",
    [
        {"diagnose-0-code": "KOL"},
        {"frailty_score": "10"},
        {"diagnose-TOTAL_FORMS": "500"},
        {"medication": "x" * 4001},
        {"diagnose-TOTAL_FORMS": "x"},
    ],
)
def test_bad_overview_input_is_a_4xx_and_changes_nothing(client, change):
    w = world()
    conference = _open(w)
    verified_login(client, w.specialist)
    data = {
        "diagnose-TOTAL_FORMS": "1",
        "diagnose-INITIAL_FORMS": "0",
        "diagnose-0-code": "I48",
        "diagnose-0-text": "AF",
    }
    response = client.post(_conference_url(conference, "overview"), {**data, **change})
    assert 400 <= response.status_code < 500
    assert OverviewDiagnosis.objects.count() == 0


def test_the_overview_answers_404_from_the_instant_of_close(client):
    w = world()
    conference = _open(w)
    services.overview_update(conference=conference, actor=w.gp, diagnoses=[("I48", "Atrieflimren")])
    verified_login(client, w.gp)
    url = _conference_url(conference, "overview")
    assert client.get(url).status_code == 200
    services.conference_close(conference=conference, actor=w.specialist)
    response = client.get(url)
    assert response.status_code == 404
    assert "Atrieflimren" not in response.content.decode()
    assert not PatientOverview.objects.exists() and not OverviewDiagnosis.objects.exists()
    assert client.post(url, {"diagnose-TOTAL_FORMS": "0", "diagnose-INITIAL_FORMS": "0"}).status_code == 404


def test_a_request_racing_the_close_sees_the_conference_closed_or_the_overview_whole(client):
    """The close's transaction changes the status and deletes the rows together: a request
    served after it (here: inside the same transaction, before commit) finds nothing."""
    from django.db import transaction

    w = world()
    conference = _open(w)
    services.overview_update(conference=conference, actor=w.gp, diagnoses=[("I48", "Atrieflimren")])
    verified_login(client, w.gp)
    url = _conference_url(conference, "overview")
    with transaction.atomic():
        services.conference_close(conference=conference, actor=w.specialist)
        assert client.get(url).status_code == 404
        transaction.set_rollback(True)
    # Rolled back: the conference is open again and so is the overview.
    assert client.get(url).status_code == 200


def test_notes_after_the_conference(client):
    w = world()
    conference = _open(w)
    verified_login(client, w.specialist)
    assert client.post(_conference_url(conference, "close")).status_code == 302
    response = client.post(_conference_url(conference, "note"), {"text": ""})
    assert response.status_code == 400
    assert (
        client.post(_conference_url(conference, "note"), {"text": "Aftalt: seponer <b>"}).status_code == 302
    )
    # The GP may not write the specialist's note; the specialist may not write the résumé.
    assert client.post(_conference_url(conference, "resume"), {"text": "x"}).status_code == 404
    verified_login(client, w.gp)
    assert client.post(_conference_url(conference, "note"), {"text": "x"}).status_code == 404
    page = client.get(_conference_url(conference)).content.decode()
    assert "Aftalt: seponer &lt;b&gt;" in page
    assert client.post(_conference_url(conference, "resume"), {"text": "Résumé"}).status_code == 302
    assert ConferenceNote.objects.count() == 2


def test_an_oversized_note_is_refused(client):
    w = world()
    conference = _open(w)
    verified_login(client, w.specialist)
    response = client.post(_conference_url(conference, "note"), {"text": "x" * 4001})
    assert response.status_code == 400
    assert not ConferenceNote.objects.exists()


def test_the_pages_are_a_patient_area_and_in_the_header(client, settings):
    assert "/konferencer/" in settings.PATIENT_AREA_PREFIXES
    w = world()
    verified_login(client, w.gp)
    html = client.get(reverse("conferences:dashboard")).content.decode()
    assert 'class="function-link samspil-nav-conferences"' in html


def test_a_hospital_request_is_seen_by_the_practice_until_one_gp_accepts(client):
    w = world()
    conference = request_from_hospital(w)
    verified_login(client, w.gp_colleague)
    assert client.get(_conference_url(conference)).status_code == 200
    assert client.post(_conference_url(conference, "accept")).status_code == 302
    verified_login(client, w.gp)
    assert client.get(_conference_url(conference)).status_code == 404
