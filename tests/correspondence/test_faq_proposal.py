"""A closed thread proposed as an anonymised FAQ draft by a participant (issue 15).

Only the people in the thread, only once it is closed; the proposal is read like any read of the
patient's data (logged); what the anonymiser changed is shown; a CPR-shaped number left in the
submitted text is refused with nothing saved; the draft is unpublished, knows nothing of the
thread or the patient, and the editors get an e-mail with a link to the admin only.
"""

import pytest
from django.test import Client
from django.urls import reverse

from content.models import FaqPage
from content.services import FAQ_SECTION_SLUG, section_ensure, site_home_ensure
from portal.accounts.models import Organisation
from portal.accounts.roles import Role
from portal.audit.models import AccessLogEntry
from portal.correspondence import services
from portal.outbox.models import OutboxEmail
from tests.accounts.factories import UserFactory
from tests.accounts.login import verified_login
from tests.authz import assert_authorisation_matrix, http_ok, perm
from tests.patients.anonymised import shows

from .factories import member, open_thread, world

pytestmark = pytest.mark.django_db

CPR = "0707614285"
QUESTION = "Kære Sune Specialist. Min patient (0707614285), set 3.4.2026, har hjertesvigt. Øge furosemid?"
REPLY = "Kære Grete Lægesen. Ja, øg dosis fra 10.4.2026 og kontrollér kalium. Mvh Sune"


@pytest.fixture
def faq_section():
    return section_ensure(
        home=site_home_ensure(title="Samspil"), slug=FAQ_SECTION_SLUG, title="Spørgsmål og svar"
    )


@pytest.fixture
def arranged(faq_section):
    w = world()
    thread = open_thread(w, patient_cpr=CPR, body=QUESTION)
    services.message_send(thread=thread, author=w.specialist, body=REPLY, awaits_reply=False)
    services.thread_close(thread=thread, actor=w.gp, summary="Afklaret")
    thread.refresh_from_db()
    secretariat = Organisation.objects.create(kind=Organisation.Kind.SECRETARIAT, name="Sekretariatet")
    editor = member(secretariat, Role.EDITOR, first_name="Rita", last_name="Redaktør")
    return w, thread, editor


def _url(thread) -> str:
    return reverse("correspondence:propose_faq", kwargs={"public_id": thread.public_id})


def _client(user) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def test_a_participant_sees_an_anonymised_proposal_with_what_was_changed_and_the_read_is_logged(arranged):
    w, thread, _editor = arranged
    logged = AccessLogEntry.objects.count()
    response = _client(w.gp).get(_url(thread), HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    form = response.context["form"]
    question, answer = form.initial["question"], form.initial["answer"]
    for secret in (CPR, "070761", "Sune", "Specialist", "Grete", "Lægesen", "3.4.2026", "10.4.2026"):
        assert not shows(question + answer, secret), secret
    assert "[CPR-nummer]" in question and "hjertesvigt" in question and "kalium" in answer
    changes = response.context["changes"]
    assert (changes.cpr_numbers, changes.names, changes.dates) == (1, 3, 2)
    html = response.content.decode()
    assert "1 CPR-nummer erstattet" in html and "3 navne erstattet" in html and "2 datoer flyttet" in html
    entry = AccessLogEntry.objects.order_by("-pk").first()
    assert AccessLogEntry.objects.count() == logged + 1
    assert entry.actor == w.gp and entry.action == AccessLogEntry.Action.VIEW and "FAQ" in entry.purpose
    # The thread page offers the proposal to a participant of a closed thread.
    page = _client(w.gp).get(reverse("correspondence:thread", kwargs={"public_id": thread.public_id}))
    assert _url(thread) in page.content.decode()


def test_sending_makes_an_unpublished_draft_without_a_trace_of_the_thread_and_tells_the_editors(
    arranged, django_capture_on_commit_callbacks
):
    w, thread, editor = arranged
    data = {
        "question": "Skal furosemid øges ved hjertesvigt?",
        "answer": "Ja, og kontrollér kalium.",
        "confirmed": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(w.specialist).post(_url(thread), data)
    assert response.status_code == 302
    page = FaqPage.objects.get()
    assert not page.live and page.owner == w.specialist
    assert page.items[0].value["question"] == "Skal furosemid øges ved hjertesvigt?"
    revision = page.latest_revision.content
    text = str(revision) + str(page.items.raw_data)
    for trace in (str(thread.public_id), CPR, thread.patient.cpr_index, "Grete", "Sune"):
        assert trace not in text, trace
    assert not [key for key in revision if "thread" in key or "patient" in key or "conference" in key]
    email = OutboxEmail.objects.get(key=f"content.faq-proposal:{page.pk}")
    assert email.to == [editor.email]
    assert f"/admin/pages/{page.pk}/edit/" in email.body and "furosemid" not in email.body + email.subject


def test_a_cpr_number_left_in_the_text_is_refused_in_danish_and_nothing_is_saved(arranged):
    w, thread, _editor = arranged
    for question, answer in (("Patient 070761-4285?", "Svar"), ("Spørgsmål", "Se 0707614285")):
        data = {"question": question, "answer": answer, "confirmed": "on"}
        response = _client(w.gp).post(_url(thread), data, HTTP_ACCEPT_LANGUAGE="da")
        assert response.status_code == 400
        assert "ligner et CPR-nummer" in response.content.decode()
    assert (
        not FaqPage.objects.exists()
        and not OutboxEmail.objects.filter(key__startswith="content.faq").exists()
    )


def test_the_participant_must_confirm(arranged):
    w, thread, _editor = arranged
    response = _client(w.gp).post(_url(thread), {"question": "Spørgsmål?", "answer": "Svar."})
    assert response.status_code == 400 and not FaqPage.objects.exists()


def test_an_open_thread_cannot_be_proposed(faq_section):
    w = world()
    thread = open_thread(w, patient_cpr=CPR)
    assert _client(w.gp).get(_url(thread)).status_code == 404
    data = {"question": "Spørgsmål?", "answer": "Svar.", "confirmed": "on"}
    assert _client(w.gp).post(_url(thread), data).status_code == 404
    assert not FaqPage.objects.exists()


def test_the_matrix_only_participants_of_the_closed_thread(arranged):
    """Colleagues who see the thread through their organisation, other GPs and superusers: 404."""
    w, thread, _editor = arranged
    users = {
        "gp": w.gp,
        "gp_colleague": member(w.practice, Role.GP),
        "other_gp": w.other_gp,
        "specialist": w.specialist,
        "secretary": w.secretary,
        "other_department": w.other_specialist,
        "no_membership": UserFactory(),
    }
    allowed = {
        (role, "closed_thread", action) for role in ("gp", "specialist") for action in ("rule", "open")
    }
    cells = assert_authorisation_matrix(
        users=users,
        objects={"closed_thread": thread},
        actions={"rule": perm("correspondence.propose_faq_thread"), "open": http_ok(Client, _url)},
        allowed=allowed,
    )
    assert cells == 8 * 1 * 2


def test_a_non_participant_post_is_404_and_saves_nothing(arranged):
    w, thread, _editor = arranged
    data = {"question": "Spørgsmål?", "answer": "Svar.", "confirmed": "on"}
    admin = UserFactory(is_superuser=True, is_staff=True)
    for user in (w.secretary, w.other_gp, admin):
        assert _client(user).post(_url(thread), data).status_code == 404
    assert not FaqPage.objects.exists()
