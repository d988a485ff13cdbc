"""Feedback on knowledge pages (issue 15's knowledge loop): a reader's remark reaches the owner
of the sector variant it is about, with a deadline in working days; the owner answers and the
sender reads the answer; feedback past its deadline is in the editors' report."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Membership, Organisation
from portal.accounts.roles import Role
from portal.core.deadlines import reply_due
from portal.feedback import services
from portal.feedback.models import PageFeedback
from portal.outbox.models import OutboxEmail
from tests.accounts.factories import UserFactory
from tests.accounts.login import verified_login
from tests.authz import assert_authorisation_matrix, http_ok, perm
from tests.content.factories import FaqPageFactory, GuidelinePageFactory

pytestmark = pytest.mark.django_db

TEXT = "Afsnittet om CRP-grænser passer ikke til almen praksis: vi har ikke\n  samme <b>laboratorie</b>tider."


def editor():
    user = UserFactory(first_name="Rikke", last_name="Redaktør")
    secretariat, _ = Organisation.objects.get_or_create(kind="secretariat", name="Samspils redaktion")
    Membership.objects.create(user=user, organisation=secretariat, role=Role.EDITOR)
    return user


@pytest.fixture
def world():
    class W:
        gp_owner = UserFactory(first_name="Grethe", last_name="Almen")
        hospital_owner = UserFactory(first_name="Sven", last_name="Sygehus")
        page_owner = UserFactory(first_name="Pia", last_name="Sideejer")
        sender = UserFactory(first_name="Lars", last_name="Læge")
        other = UserFactory(first_name="Otto", last_name="Anden")

    w = W()
    w.guideline = GuidelinePageFactory(
        title="Forhøjet CRP",
        owner=w.page_owner,
        general_practice_owner="Grethe Almen, DSAM",
        general_practice_owner_account=w.gp_owner,
        hospital_owner_account=w.hospital_owner,
    )
    return w


def login(client, user):
    verified_login(client, user)
    return client


def new_url(page, about=""):
    return reverse("feedback:new", kwargs={"page_id": page.pk}) + (f"?om={about}" if about else "")


def send(client, page, *, variant="side", text=TEXT, **extra):
    return client.post(new_url(page), {"variant": variant, "text": text, **extra})


def detail_url(feedback):
    return reverse("feedback:detail", kwargs={"public_id": feedback.public_id})


def answer_url(feedback):
    return reverse("feedback:answer", kwargs={"public_id": feedback.public_id})


def test_feedback_on_a_variant_goes_to_its_owner_with_a_working_day_deadline(
    client, world, django_capture_on_commit_callbacks
):
    login(client, world.sender)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, world.guideline, variant="almen-praksis")
    feedback = PageFeedback.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(feedback)
    assert feedback.owner == world.gp_owner
    assert feedback.text == TEXT  # exactly as written: not stripped, not sanitised
    assert feedback.page_title == "Forhøjet CRP"
    assert feedback.due_at == reply_due(sent_at=feedback.sent_at, working_days=10)
    assert feedback.due_at - before >= timedelta(days=12)  # two working weeks
    email = OutboxEmail.objects.get()
    assert email.to == [world.gp_owner.email]
    assert "Forhøjet CRP" in email.subject
    assert "laboratorie" not in email.body and "CRP-grænser" not in email.body  # a link, not the words
    assert detail_url(feedback) in email.body


@pytest.mark.parametrize(
    ("variant", "owner"),
    [("sygehus", "hospital_owner"), ("almen-praksis", "gp_owner"), ("side", "page_owner")],
)
def test_each_variant_is_routed_to_its_own_owner(client, world, variant, owner):
    login(client, world.sender)
    assert send(client, world.guideline, variant=variant).status_code == 302
    assert PageFeedback.objects.get().owner == getattr(world, owner)


def test_an_inactive_named_owner_passes_the_feedback_to_the_page_owner(client, world):
    world.hospital_owner.is_active = False
    world.hospital_owner.save()
    login(client, world.sender)
    send(client, world.guideline, variant="sygehus")
    assert PageFeedback.objects.get().owner == world.page_owner


def test_without_any_owner_the_editors_receive_and_answer_it(
    client, world, django_capture_on_commit_callbacks
):
    page = FaqPageFactory(title="Spørgsmål om henvisning", owner=None)
    first, second = editor(), editor()
    login(client, world.sender)
    with django_capture_on_commit_callbacks(execute=True):
        assert send(client, page).status_code == 302
    feedback = PageFeedback.objects.get()
    assert feedback.owner is None
    assert sorted(e.to[0] for e in OutboxEmail.objects.all()) == sorted([first.email, second.email])
    login(client, second)
    assert client.get(detail_url(feedback)).status_code == 200
    assert client.post(answer_url(feedback), {"answer": "Tak, vi retter det."}).status_code == 302
    feedback.refresh_from_db()
    assert feedback.answered_by == second


def test_the_owner_answers_and_the_sender_reads_the_answer(client, world, django_capture_on_commit_callbacks):
    feedback = services.feedback_send(sender=world.sender, page=world.guideline, variant="sygehus", text=TEXT)
    login(client, world.hospital_owner)
    page = client.get(detail_url(feedback))
    assert page.status_code == 200 and "CRP-grænser" in page.content.decode()
    assert "&lt;b&gt;laboratorie&lt;/b&gt;" in page.content.decode()  # escaped, not stripped
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            answer_url(feedback), {"answer": "Godt set. Afsnittet opdateres i næste version."}
        )
    assert response.status_code == 302
    login(client, world.sender)
    body = client.get(detail_url(feedback)).content.decode()
    assert "Afsnittet opdateres i næste version." in body
    assert "Besvaret af Sven Sygehus" in body
    answered = OutboxEmail.objects.filter(to=[world.sender.email]).get()
    assert "besvaret" in answered.subject and "opdateres" not in answered.body


def test_an_answer_is_given_once(client, world):
    feedback = services.feedback_send(sender=world.sender, page=world.guideline, variant="sygehus", text=TEXT)
    services.feedback_answer(feedback=feedback, actor=world.hospital_owner, answer="Første svar.")
    # A second tab's form, posted after the answer was given: refused with why, nothing changed.
    login(client, world.hospital_owner)
    response = client.post(answer_url(feedback), {"answer": "Andet svar."})
    assert response.status_code == 400
    assert "allerede besvaret" in response.content.decode()
    feedback.refresh_from_db()
    assert feedback.answer == "Første svar."
    assert "Andet svar" not in client.get(detail_url(feedback)).content.decode()


def test_authorisation_matrix(client, world):
    feedback = services.feedback_send(sender=world.sender, page=world.guideline, variant="sygehus", text=TEXT)
    cells = assert_authorisation_matrix(
        users={
            "sender": world.sender,
            "owner": world.hospital_owner,
            "other_variant_owner": world.gp_owner,
            "page_owner": world.page_owner,
            "editor": editor(),
            "other": world.other,
        },
        objects={"feedback": feedback},
        actions={
            "view": perm("feedback.view_pagefeedback"),
            "answer": perm("feedback.answer_pagefeedback"),
            "open": http_ok(lambda: client.__class__(), detail_url),
        },
        allowed={
            ("sender", "feedback", "view"),
            ("sender", "feedback", "open"),
            ("owner", "feedback", "view"),
            ("owner", "feedback", "open"),
            ("owner", "feedback", "answer"),
        },
    )
    assert cells == 7 * 1 * 3


def test_a_stranger_cannot_answer_and_nothing_changes(client, world):
    feedback = services.feedback_send(sender=world.sender, page=world.guideline, variant="sygehus", text=TEXT)
    for user in (world.other, world.sender, UserFactory(is_superuser=True, is_staff=True)):
        login(client, user)
        assert client.post(answer_url(feedback), {"answer": "Ikke mit svar."}).status_code == 404
    feedback.refresh_from_db()
    assert not feedback.is_answered


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"variant": "side", "text": "   "}, "Skriv din tilbagemelding"),
        ({"variant": "side", "text": "x" * 4001}, "4000"),
        ({"variant": "side", "text": "Patienten 010190-1234 fik for høj dosis."}, "CPR-nummer"),
        ({"variant": "bagdoer", "text": TEXT}, "gyldig valgmulighed"),
        ({"variant": "side", "text": TEXT, "client_token": "ikke-et-uuid"}, "UUID"),
    ],
)
def test_bad_input_is_a_danish_400_and_nothing_is_saved(client, world, data, message):
    login(client, world.sender)
    response = client.post(new_url(world.guideline), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PageFeedback.objects.exists() and not OutboxEmail.objects.exists()


def test_a_faq_has_no_sector_variants_to_choose(client, world):
    page = FaqPageFactory(owner=world.page_owner)
    login(client, world.sender)
    assert send(client, page, variant="sygehus").status_code == 400
    assert send(client, page, variant="side").status_code == 302


@pytest.mark.parametrize("which", ["home", "draft", "missing"])
def test_only_live_knowledge_pages_take_feedback(client, world, which):
    if which == "home":
        page_id = world.guideline.get_parent().get_parent().pk
    elif which == "draft":
        draft = GuidelinePageFactory(live=False)
        page_id = draft.pk
    else:
        page_id = 999999
    login(client, world.sender)
    url = reverse("feedback:new", kwargs={"page_id": page_id})
    assert client.get(url).status_code == 404
    assert client.post(url, {"variant": "side", "text": TEXT}).status_code == 404
    assert not PageFeedback.objects.exists()


def test_a_double_submitted_form_stores_one_feedback(client, world):
    login(client, world.sender)
    token = "5b0f0a57-7c1e-4c4e-9b55-0d6a1c9f8e21"
    first = send(client, world.guideline, client_token=token)
    second = send(client, world.guideline, client_token=token)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert PageFeedback.objects.count() == 1 and OutboxEmail.objects.count() == 1


def test_a_visitor_is_asked_to_log_in(client, world):
    response = client.get(new_url(world.guideline))
    assert response.status_code == 302 and "/log-ind/" in response["Location"]


def test_every_knowledge_page_links_to_feedback_and_a_guideline_per_variant(client, world):
    body = client.get(world.guideline.url).content.decode()
    assert new_url(world.guideline) in body
    assert new_url(world.guideline, "almen-praksis") in body and new_url(world.guideline, "sygehus") in body
    faq = FaqPageFactory()
    assert new_url(faq) in client.get(faq.url).content.decode()


def test_the_form_names_who_will_answer(client, world):
    login(client, world.sender)
    body = client.get(new_url(world.guideline, "sygehus")).content.decode()
    assert "Sven Sygehus svarer for siden" in body


def test_the_lists_cost_the_same_queries_for_one_or_many(client, world):
    login(client, world.hospital_owner)
    services.feedback_send(sender=world.sender, page=world.guideline, variant="sygehus", text=TEXT)
    client.get(reverse("feedback:index"))  # warm the session

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("feedback:index")).status_code == 200
        return len(captured)

    one = queries()
    for _ in range(15):
        services.feedback_send(sender=world.other, page=world.guideline, variant="sygehus", text=TEXT)
    assert queries() == one


def test_overdue_feedback_is_in_the_editors_report_without_its_words(client, world):
    sent = timezone.now() - timedelta(days=40)
    late = services.feedback_send(
        sender=world.sender, page=world.guideline, variant="sygehus", text=TEXT, now=sent
    )
    services.feedback_send(
        sender=world.sender, page=world.guideline, variant="almen-praksis", text="Ny og i tide."
    )
    the_editor = editor()
    the_editor.is_staff = True
    the_editor.save()
    from django.contrib.auth.models import Group

    the_editor.groups.add(Group.objects.get(name="Moderators"))
    login(client, the_editor)
    body = client.get(reverse("feedback_overdue")).content.decode()
    assert "Forhøjet CRP" in body and "Sven Sygehus" in body
    assert "CRP-grænser" not in body and "Ny og i tide" not in body
    export = client.get(reverse("feedback_overdue") + "?export=csv")
    assert export.status_code == 200
    rows = b"".join(export.streaming_content if export.streaming else [export.content]).decode()
    assert "Forhøjet CRP" in rows and rows.count("\n") == 2  # heading and the one late feedback
    overview = client.get(reverse("overview")).content.decode()
    assert "Tilbagemeldinger over fristen" in overview
    assert late.due_at < timezone.now()


def test_the_report_is_for_editors_only(client, world):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    login(client, admin_user)
    assert client.get(reverse("feedback_overdue")).status_code in (302, 403)


def test_the_owner_sees_feedback_waiting_on_mit_overblik(client, world):
    services.feedback_send(sender=world.sender, page=world.guideline, variant="sygehus", text=TEXT)
    login(client, world.hospital_owner)
    body = client.get(reverse("overview")).content.decode()
    assert reverse("feedback:index") in body and "Til dig at besvare" in body
