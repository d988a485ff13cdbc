"""The inbox's patient filter must not be a CPR oracle, and is for clinicians only."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from portal.audit.models import AccessLogEntry
from tests.accounts.factories import UserFactory
from tests.accounts.login import verified_login

from .factories import open_thread, world

pytestmark = pytest.mark.django_db

KNOWN = "0707614285"
UNKNOWN = "0101801234"


@pytest.fixture
def w():
    return world()


def _token(client, cpr):
    response = client.post(reverse("correspondence:patient_filter"), {"cpr": cpr, "visning": "organisation"})
    assert response.status_code == 302
    return parse_qs(urlparse(response["Location"]).query)["patient"][0]


def test_the_token_does_not_tell_a_known_patient_from_an_unknown_one(client, w):
    open_thread(w, patient_cpr=KNOWN)
    verified_login(client, w.gp)
    known, unknown = _token(client, KNOWN), _token(client, UNKNOWN)
    assert len(known) == len(unknown)
    for token in (known, unknown):
        # Once a signed value anyone could read (a real id, or -1 for an unknown patient).
        with pytest.raises(signing.BadSignature):
            signing.loads(token, salt="correspondence.inbox.patient")
        with pytest.raises(ValueError):
            signing.b64_decode(token.split(":")[0].encode()).decode("ascii")
    assert _token(client, KNOWN) != known  # randomised: equal patients are not linkable either


def test_the_token_filters_only_for_the_user_it_was_made_for(client, w):
    open_thread(w, patient_cpr=KNOWN, subject="Med patienten")
    open_thread(w, subject="Uden patient")
    verified_login(client, w.gp)
    token = _token(client, KNOWN)
    html = client.get(reverse("correspondence:inbox"), {"visning": "organisation", "patient": token}).content
    assert "Med patienten" in html.decode() and "Uden patient" not in html.decode()

    colleague_client = Client()
    verified_login(colleague_client, w.other_gp)
    response = colleague_client.get(reverse("correspondence:inbox"), {"patient": token})
    assert "alert-warning" in response.content.decode()  # refused, like an expired filter


@pytest.mark.parametrize("who", ["no_role", "secretary"])
def test_only_clinicians_may_look_a_patient_up(client, w, who):
    open_thread(w, patient_cpr=KNOWN)
    user = UserFactory() if who == "no_role" else w.secretary
    if who == "no_role":
        client.force_login(user)  # no role: no second factor required either
    else:
        verified_login(client, user)
    before = AccessLogEntry.objects.count()
    response = client.post(reverse("correspondence:patient_filter"), {"cpr": KNOWN})
    assert response.status_code == 404
    assert AccessLogEntry.objects.count() == before
    html = client.get(reverse("correspondence:inbox")).content.decode()
    assert "samspil-patient-filter" not in html
