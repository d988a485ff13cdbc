"""A closed conference proposed as an anonymised FAQ draft by a participant (issue 15): the topic
and the template's answers as the question, the specialist's note as the answer; participants
only, closed only; the read logged; CPR-shaped text refused with nothing saved."""

import pytest
from django.test import Client
from django.urls import reverse

from content.models import FaqPage
from content.services import FAQ_SECTION_SLUG, section_ensure, site_home_ensure
from portal.audit.models import AccessLogEntry
from portal.conferences import services
from tests.accounts.factories import UserFactory
from tests.accounts.login import verified_login
from tests.authz import assert_authorisation_matrix, http_ok, perm
from tests.patients.anonymised import shows

from .factories import CPR, on_duty, request_from_gp, world

pytestmark = pytest.mark.django_db

NOTE = "Grete Lægesen spurgte 2.3.2026. Seponér diuretika fra 5.3.2026; CPR 070761-4285. Gerda Geriater"


@pytest.fixture
def arranged():
    section_ensure(home=site_home_ensure(title="Samspil"), slug=FAQ_SECTION_SLUG, title="Spørgsmål og svar")
    w = world()
    on_duty(w)
    conference = request_from_gp(w, topic="Fald hos 88-årig, Grete Lægesens patient")
    services.conference_accept(conference=conference, user=w.specialist)
    services.conference_close(conference=conference, actor=w.specialist)
    services.conference_note_write(conference=conference, author=w.specialist, text=NOTE)
    conference.refresh_from_db()
    return w, conference


def _url(conference) -> str:
    return reverse("conferences:propose_faq", kwargs={"public_id": conference.public_id})


def _client(user) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def test_a_participant_gets_the_topic_and_the_note_anonymised_and_the_read_is_logged(arranged):
    w, conference = arranged
    logged = AccessLogEntry.objects.count()
    response = _client(w.gp).get(_url(conference), HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 200
    initial = response.context["form"].initial
    text = initial["question"] + initial["answer"]
    assert "Fald hos 88-årig" in initial["question"] and "Seponér diuretika" in initial["answer"]
    for secret in ("Grete", "Lægesen", "Gerda", "Geriater", "070761", "2.3.2026", "5.3.2026"):
        assert not shows(text, secret), secret
    changes = response.context["changes"]
    assert (changes.cpr_numbers, changes.names, changes.dates) == (1, 3, 2)
    assert AccessLogEntry.objects.count() == logged + 1
    assert AccessLogEntry.objects.order_by("-pk").first().actor == w.gp
    page = _client(w.gp).get(reverse("conferences:conference", kwargs={"public_id": conference.public_id}))
    assert _url(conference) in page.content.decode()


def test_sending_makes_an_unpublished_draft_and_cpr_is_refused(arranged):
    w, conference = arranged
    refused = {"question": "Fald?", "answer": f"Se {CPR}", "confirmed": "on"}
    response = _client(w.specialist).post(_url(conference), refused, HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 400 and "ligner et CPR-nummer" in response.content.decode()
    assert not FaqPage.objects.exists()
    data = {
        "question": "Hvornår seponeres diuretika efter fald?",
        "answer": "Ved ortostatisme.",
        "confirmed": "on",
    }
    assert _client(w.specialist).post(_url(conference), data).status_code == 302
    page = FaqPage.objects.get()
    assert not page.live and str(conference.public_id) not in str(page.latest_revision.content)


def test_an_open_conference_cannot_be_proposed():
    w = world()
    on_duty(w)
    conference = request_from_gp(w)
    services.conference_accept(conference=conference, user=w.specialist)
    assert _client(w.gp).get(_url(conference)).status_code == 404


def test_the_matrix_only_the_participants_of_the_closed_conference(arranged):
    w, conference = arranged
    users = {
        "gp": w.gp,
        "gp_colleague": w.gp_colleague,
        "other_gp": w.other_gp,
        "specialist": w.specialist,
        "colleague": w.colleague,
        "secretary": w.secretary,
        "no_membership": UserFactory(),
    }
    allowed = {(role, "closed", action) for role in ("gp", "specialist") for action in ("rule", "open")}
    cells = assert_authorisation_matrix(
        users=users,
        objects={"closed": conference},
        actions={"rule": perm("conferences.propose_faq_conference"), "open": http_ok(Client, _url)},
        allowed=allowed,
    )
    assert cells == 8 * 2
