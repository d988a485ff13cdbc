"""Revealing a thread's full CPR number: a POST by a clinician of the thread, logged, shown once."""

import pytest
from django.test import Client
from django.urls import reverse

from portal.audit.models import AccessLogEntry
from tests.accounts.factories import UserFactory
from tests.accounts.login import verified_login

from .factories import open_thread, world

pytestmark = pytest.mark.django_db

CPR = "0707614285"


@pytest.fixture
def w():
    return world()


def _reveal_url(thread):
    return reverse("correspondence:reveal_cpr", kwargs={"public_id": thread.public_id})


def _thread_url(thread):
    return reverse("correspondence:thread", kwargs={"public_id": thread.public_id})


def test_the_specialist_reveals_the_cpr_number_once_and_it_is_logged(client, w):
    thread = open_thread(w, patient_cpr=CPR)
    verified_login(client, w.specialist)
    page = client.get(_thread_url(thread)).content.decode()
    assert "070761-XXXX" in page and "070761-4285" not in page
    assert _reveal_url(thread) in page  # the action is offered on the thread page

    response = client.post(_reveal_url(thread), {"reason": "Opslag i journalen"})
    assert response.status_code == 200
    assert "070761-4285" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    entry = AccessLogEntry.objects.filter(action=AccessLogEntry.Action.REVEAL).get()
    assert entry.actor == w.specialist
    assert entry.patient_index == thread.patient.cpr_index
    assert "Opslag i journalen" in entry.purpose

    # The next view of the thread is masked again.
    assert "070761-4285" not in client.get(_thread_url(thread)).content.decode()


def test_the_reason_is_optional(client, w):
    thread = open_thread(w, patient_cpr=CPR)
    verified_login(client, w.gp)
    response = client.post(_reveal_url(thread))
    assert response.status_code == 200 and "070761-4285" in response.content.decode()
    assert AccessLogEntry.objects.filter(action=AccessLogEntry.Action.REVEAL).count() == 1


def test_a_too_long_reason_is_a_danish_400_without_revealing(client, w):
    thread = open_thread(w, patient_cpr=CPR)
    verified_login(client, w.specialist)
    response = client.post(_reveal_url(thread), {"reason": "x" * 151})
    assert response.status_code == 400
    assert "070761-4285" not in response.content.decode()
    assert "form-error-message" in response.content.decode()
    assert not AccessLogEntry.objects.filter(action=AccessLogEntry.Action.REVEAL).exists()


@pytest.mark.parametrize("who", ["secretary", "other_gp", "other_specialist", "superuser"])
def test_everyone_else_gets_404_and_no_reveal_is_logged(client, w, who):
    thread = open_thread(w, patient_cpr=CPR)
    user = UserFactory(is_superuser=True, is_staff=True) if who == "superuser" else getattr(w, who)
    verified_login(client, user)
    response = client.post(_reveal_url(thread))
    assert response.status_code == 404
    assert "070761-4285" not in response.content.decode()
    assert not AccessLogEntry.objects.filter(action=AccessLogEntry.Action.REVEAL).exists()


def test_the_secretary_is_not_offered_the_action(client, w):
    thread = open_thread(w, patient_cpr=CPR)
    verified_login(client, w.secretary)
    assert _reveal_url(thread) not in client.get(_thread_url(thread)).content.decode()


def test_only_post_and_only_threads_with_a_patient(w):
    client = Client()
    verified_login(client, w.specialist)
    with_patient, without = open_thread(w, patient_cpr=CPR), open_thread(w)
    assert client.get(_reveal_url(with_patient)).status_code == 405
    assert client.post(_reveal_url(without)).status_code == 404
