"""The correspondence pages: inbox, new thread, thread page, actions, files, quality."""

import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portal.audit.models import AccessLogEntry
from portal.correspondence.models import Attachment, Category, Message, Thread, ThreadEvent
from portal.correspondence.services import message_send, thread_claim
from tests.accounts.login import verified_login

from .factories import open_thread, world

pytestmark = pytest.mark.django_db

# A real birth date that passes modulus 11, and one that does not (allowed, but hinted).
CPR = "0707614285"
CPR_NO_MOD11 = "0707614286"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def png(name="scanning.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def w():
    return world()


@pytest.fixture
def gp_client(client, w):
    verified_login(client, w.gp)
    return client


def thread_url(thread, name="thread"):
    return reverse(f"correspondence:{name}", kwargs={"public_id": thread.public_id})


def new_thread_data(w, **overrides):
    data = {
        "client_token": str(uuid.uuid4()),
        "sender_organisation": w.practice.pk,
        "recipient_kind": "speciale",
        "specialty": w.department.specialty.pk,
        "area": w.area.pk,
        "subject": "Patient med atrieflimren",
        "category": Category.HEALTHCARE,
        "body": "Skal **AK-behandling** startes?",
        "awaits_reply": "on",
    }
    data.update(overrides)
    return data


# --- Inbox -------------------------------------------------------------------------------


def test_the_inbox_needs_a_login(client):
    response = client.get(reverse("correspondence:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith("/log-ind/?next=")


def test_the_header_links_to_correspondence_for_logged_in_users(gp_client):
    response = gp_client.get(reverse("correspondence:inbox"))
    assert f'href="{reverse("correspondence:inbox")}"' in response.content.decode()


def test_inbox_lists_threads_without_cpr_and_marks_unread(client, w):
    thread = open_thread(w, patient_cpr=CPR, subject="Om en patient")
    verified_login(client, w.specialist)
    response = client.get(reverse("correspondence:inbox"), {"visning": "afventer-mig"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Om en patient" in html
    assert thread_url(thread) in html
    assert "070761" not in html and CPR not in html
    assert "samspil-thread-row--unread" in html
    client.get(thread_url(thread))
    html = client.get(reverse("correspondence:inbox"), {"visning": "afventer-mig"}).content.decode()
    assert "samspil-thread-row--unread" not in html


def test_the_tabs_sort_threads_by_whose_turn_it_is(gp_client, w):
    open_thread(w, subject="Venter på sygehuset")
    awaiting_them = gp_client.get(reverse("correspondence:inbox"), {"visning": "afventer-dem"})
    awaiting_me = gp_client.get(reverse("correspondence:inbox"), {"visning": "afventer-mig"})
    assert "Venter på sygehuset" in awaiting_them.content.decode()
    assert "Venter på sygehuset" not in awaiting_me.content.decode()


def test_overdue_threads_are_highlighted_in_the_overdue_view(gp_client, w):
    open_thread(w, subject="Gammelt spørgsmål", now=timezone.now() - timedelta(days=30))
    open_thread(w, subject="Nyt spørgsmål")
    html = gp_client.get(reverse("correspondence:inbox"), {"visning": "overskredet"}).content.decode()
    assert "Gammelt spørgsmål" in html and "Nyt spørgsmål" not in html
    assert "samspil-thread-row--overdue" in html


def test_filters_by_category_specialty_and_text(gp_client, w):
    open_thread(w, subject="Om medicin", category=Category.MEDICINE)
    open_thread(w, subject="Om udskrivelse", category=Category.DISCHARGE, body="Epikrisen mangler")
    inbox = reverse("correspondence:inbox")
    html = gp_client.get(inbox, {"visning": "organisation", "kategori": "medicine"}).content.decode()
    assert "Om medicin" in html and "Om udskrivelse" not in html
    html = gp_client.get(inbox, {"visning": "organisation", "q": "epikrisen"}).content.decode()
    assert "Om udskrivelse" in html and "Om medicin" not in html
    html = gp_client.get(inbox, {"visning": "organisation", "speciale": "geriatri"}).content.decode()
    assert "Om udskrivelse" not in html and "Om medicin" not in html


def test_malformed_inbox_parameters_are_errors_not_crashes(gp_client):
    response = gp_client.get(
        reverse("correspondence:inbox"),
        {
            "visning": "<script>",
            "kategori": "x" * 500,
            "speciale": "findes-ikke",
            "q": "x" * 5000,
            "side": "-1",
        },
    )
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()
    assert "form-error-message" in response.content.decode()


def test_patient_filter_takes_cpr_by_post_and_keeps_it_out_of_the_url(gp_client, w):
    with_patient = open_thread(w, patient_cpr=CPR, subject="Med patienten")
    open_thread(w, subject="Uden patient")
    before = AccessLogEntry.objects.count()
    response = gp_client.post(
        reverse("correspondence:patient_filter"), {"cpr": "070761-4285", "visning": "organisation"}
    )
    assert response.status_code == 302
    location = response["Location"]
    assert "0707" not in location and "4285" not in location
    assert AccessLogEntry.objects.count() == before + 1
    entry = AccessLogEntry.objects.latest("pk")
    assert entry.patient_index == with_patient.patient.cpr_index
    html = gp_client.get(location).content.decode()
    assert "Med patienten" in html and "Uden patient" not in html


def test_patient_filter_for_an_unknown_patient_finds_nothing(gp_client, w):
    open_thread(w, subject="Uden patient")
    response = gp_client.post(reverse("correspondence:patient_filter"), {"cpr": "0101801234"})
    html = gp_client.get(response["Location"]).content.decode()
    assert "Uden patient" not in html


def test_patient_filter_refuses_a_malformed_cpr_in_danish(gp_client):
    response = gp_client.post(reverse("correspondence:patient_filter"), {"cpr": "12345"})
    assert response.status_code == 400
    assert "Angiv CPR-nummeret" in response.content.decode() or "ti cifre" in response.content.decode()


def test_a_forged_patient_token_filters_nothing_and_says_so(gp_client, w):
    open_thread(w, subject="Uden patient")
    response = gp_client.get(
        reverse("correspondence:inbox"), {"visning": "organisation", "patient": "1:forged"}
    )
    assert response.status_code == 200
    assert "alert-warning" in response.content.decode()


def test_inbox_paginates_by_25(gp_client, w):
    for n in range(27):
        open_thread(w, subject=f"Tråd {n}")
    html = gp_client.get(reverse("correspondence:inbox"), {"visning": "organisation"}).content.decode()
    assert html.count('class="samspil-thread-row') == 25
    html = gp_client.get(
        reverse("correspondence:inbox"), {"visning": "organisation", "side": 2}
    ).content.decode()
    assert html.count('class="samspil-thread-row') == 2


# --- A new thread ----------------------------------------------------------------------------


def test_a_gp_opens_a_thread_to_a_specialty_with_a_patient(gp_client, w):
    response = gp_client.post(reverse("correspondence:new"), new_thread_data(w, cpr=CPR))
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == thread_url(thread)
    assert thread.recipient_organisation == w.department
    assert thread.patient is not None
    assert thread.messages.get().body == "Skal **AK-behandling** startes?"


def test_the_new_thread_form_renders(gp_client):
    response = gp_client.get(reverse("correspondence:new"))
    assert response.status_code == 200
    assert 'name="client_token"' in response.content.decode()


def test_a_secretary_cannot_open_threads(client, w):
    verified_login(client, w.secretary)
    assert client.get(reverse("correspondence:new")).status_code == 404


def test_a_specialist_writes_to_a_patients_practice(client, w):
    verified_login(client, w.specialist)
    data = new_thread_data(
        w, sender_organisation=w.department.pk, recipient_kind="praksis", practice=w.practice.pk, specialty=""
    )
    response = client.post(reverse("correspondence:new"), data)
    assert response.status_code == 302
    assert Thread.objects.get().recipient_organisation == w.practice


def test_a_gp_cannot_choose_a_practice_as_recipient(gp_client, w):
    data = new_thread_data(w, recipient_kind="praksis", practice=w.other_practice.pk)
    response = gp_client.post(reverse("correspondence:new"), data)
    assert response.status_code == 400
    assert not Thread.objects.exists()


def test_a_cpr_failing_modulus_11_is_hinted_and_needs_confirming(gp_client, w):
    data = new_thread_data(w, cpr=CPR_NO_MOD11)
    response = gp_client.post(reverse("correspondence:new"), data)
    assert response.status_code == 400
    assert "modulus 11" in response.content.decode()
    assert not Thread.objects.exists()
    response = gp_client.post(reverse("correspondence:new"), {**data, "cpr_checked": "on"})
    assert response.status_code == 302
    assert Thread.objects.get().patient is not None


def test_submitting_the_new_thread_form_twice_opens_one_thread(gp_client, w):
    data = new_thread_data(w)
    first = gp_client.post(reverse("correspondence:new"), data)
    second = gp_client.post(reverse("correspondence:new"), data)
    assert first["Location"] == second["Location"]
    assert Thread.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"category": Category.OTHER, "topic": ""}, "topic"),
        ({"priority": "urgent"}, "priority"),
        ({"subject": ""}, "subject"),
        ({"recipient_kind": "afdeling", "department": ""}, "department"),
        ({"cpr": "3213991234"}, "cpr"),
        ({"body": "x" * 1024 * 1024}, "body"),
        ({"body": "   "}, "body"),
        ({"specialty": "999999"}, "specialty"),
        ({"category": "<script>"}, "category"),
    ],
)
def test_bad_input_rerenders_the_form_with_the_draft_kept(gp_client, w, overrides, field):
    data = new_thread_data(w, **overrides)
    response = gp_client.post(reverse("correspondence:new"), data)
    assert response.status_code == 400
    assert not Thread.objects.exists() and not Message.objects.exists()
    form = response.context["form"]
    assert field in form.errors
    if field != "subject":
        assert data["subject"] in response.content.decode()


def test_the_1mb_body_is_kept_in_the_form(gp_client, w):
    body = "Lang tekst. " * 90_000
    response = gp_client.post(reverse("correspondence:new"), new_thread_data(w, body=body))
    assert response.status_code == 400
    assert "højst" in str(response.context["form"].errors["body"])  # Django's own Danish message
    assert response.content.decode().count("Lang tekst.") >= 90_000


def test_fifty_attachments_are_refused_in_danish(gp_client, w):
    data = new_thread_data(w, attachments=[png(f"fil{n}.png") for n in range(50)])
    response = gp_client.post(reverse("correspondence:new"), data)
    assert response.status_code == 400
    assert "Du kan højst vedhæfte" in response.content.decode()
    assert not Thread.objects.exists() and not Attachment.objects.exists()
    assert data["subject"] in response.content.decode()


def test_a_disallowed_file_type_is_refused_in_danish(gp_client, w):
    svg = SimpleUploadedFile("tegning.svg", b"<svg onload=alert(1)></svg>", content_type="image/svg+xml")
    response = gp_client.post(reverse("correspondence:new"), new_thread_data(w, attachments=[svg]))
    assert response.status_code == 400
    assert "tegning.svg" in response.content.decode()
    assert "form-error-message" in response.content.decode()
    assert not Thread.objects.exists()


def test_script_in_subject_and_body_renders_inert(client, w):
    thread = open_thread(
        w, subject="<script>alert('emne')</script>", body="<script>alert('tekst')</script><b>x</b>"
    )
    verified_login(client, w.specialist)
    for url in (thread_url(thread), reverse("correspondence:inbox") + "?visning=afventer-mig"):
        html = client.get(url).content.decode()
        assert "<script>alert(" not in html
        assert "&lt;script&gt;alert(&#x27;emne&#x27;)" in html


# --- The thread page ---------------------------------------------------------------------------


def test_the_thread_page_shows_header_messages_and_masked_cpr(client, w):
    thread = open_thread(w, patient_cpr=CPR, subject="Hjertesvigt")
    verified_login(client, w.specialist)
    html = client.get(thread_url(thread)).content.decode()
    assert "070761-XXXX" in html and "4285" not in html
    assert "Grete Lægesen" in html and "Praktiserende læge" in html and "70 10 20 30" in html
    assert "Kan I hjælpe med **dosis**?" in html  # the factory's body, as written (plain text)
    assert str(w.department) in html


def test_read_receipts_show_who_read_and_when(client, w):
    thread = open_thread(w)
    verified_login(client, w.specialist)
    client.get(thread_url(thread))
    verified_login(client, w.gp)
    html = client.get(thread_url(thread)).content.decode()
    assert "Sune Specialist" in html
    assert "samspil-receipt" in html


def test_a_reply_without_javascript_posts_and_redirects(client, w):
    thread = open_thread(w)
    verified_login(client, w.specialist)
    token = str(uuid.uuid4())
    data = {"body": "Ja, start behandling.", "client_token": token, "awaits_reply": ""}
    first = client.post(thread_url(thread, "reply"), data)
    second = client.post(thread_url(thread, "reply"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"].startswith(thread_url(thread) + "#besked-")
    assert thread.messages.count() == 2
    thread.refresh_from_db()
    assert thread.assignee == w.specialist


def test_a_reply_with_htmx_returns_the_message_and_a_fresh_form(client, w):
    thread = open_thread(w)
    verified_login(client, w.specialist)
    data = {"body": "Svar *inline*", "client_token": str(uuid.uuid4()), "awaits_reply": "on"}
    response = client.post(thread_url(thread, "reply"), data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="beskeder" class="samspil-messages" hx-swap-oob="true"' in html
    assert '<div id="traadhoved" hx-swap-oob="true">' in html
    assert "Svar *inline*" in html
    assert 'id="svar"' in html and data["client_token"] not in html
    assert "<html" not in html


def test_an_invalid_htmx_reply_comes_back_with_its_error_and_draft(client, w):
    thread = open_thread(w)
    verified_login(client, w.specialist)
    data = {"body": "x" * 20_001, "client_token": str(uuid.uuid4())}
    response = client.post(thread_url(thread, "reply"), data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 400
    assert "form-error-message" in html and "x" * 20_001 in html
    assert "hx-swap-oob" not in html
    assert thread.messages.count() == 1


def test_a_reply_with_a_bad_attachment_keeps_the_draft(client, w):
    thread = open_thread(w)
    verified_login(client, w.specialist)
    html_file = SimpleUploadedFile(
        "svar.pdf", b"<html><script>x</script></html>", content_type="application/pdf"
    )
    data = {"body": "Se vedhæftet", "client_token": str(uuid.uuid4()), "attachments": [html_file]}
    response = client.post(thread_url(thread, "reply"), data)
    assert response.status_code == 400
    assert "Se vedhæftet" in response.content.decode()
    assert thread.messages.count() == 1 and not Attachment.objects.exists()


def test_claim_assign_reroute_and_close(client, w):
    thread = open_thread(w)
    colleague = w.other_specialist
    verified_login(client, w.secretary)
    response = client.post(thread_url(thread, "assign"), {"assignee": w.specialist.pk})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.assignee == w.specialist
    response = client.post(thread_url(thread, "assign"), {"assignee": colleague.pk})
    assert response.status_code == 400 and "form-error-message" in response.content.decode()

    response = client.post(
        thread_url(thread, "reroute"), {"to_organisation": w.other_department.pk, "reason": ""}
    )
    assert response.status_code == 400 and "form-error-message" in response.content.decode()
    response = client.post(
        thread_url(thread, "reroute"),
        {"to_organisation": w.other_department.pk, "reason": "Geriatrisk patient"},
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.recipient_organisation == w.other_department

    verified_login(client, colleague)
    assert client.post(thread_url(thread, "claim")).status_code == 302
    thread.refresh_from_db()
    assert thread.assignee == colleague
    html = client.get(thread_url(thread)).content.decode()
    assert "Geriatrisk patient" in html

    response = client.post(thread_url(thread, "close"), {"summary": "AK startet hos egen læge."})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.status == Thread.Status.CLOSED
    verified_login(client, w.gp)
    html = client.get(thread_url(thread)).content.decode()
    assert "AK startet hos egen læge." in html
    kinds = list(thread.events.values_list("kind", flat=True))
    assert kinds == ["opened", "assigned", "rerouted", "claimed", "closed"]


def test_actions_without_permission_are_404(client, w):
    thread = open_thread(w)
    thread_claim(thread=thread, user=w.specialist)
    verified_login(client, w.gp)
    for name, data in [
        ("claim", {}),
        ("assign", {"assignee": w.gp.pk}),
        ("reroute", {"to_organisation": w.other_department.pk, "reason": "x"}),
    ]:
        assert client.post(thread_url(thread, name), data).status_code == 404
    verified_login(client, w.other_gp)
    for name in ("reply", "close", "claim"):
        assert client.post(thread_url(thread, name), {"body": "x", "summary": "x"}).status_code == 404
    assert thread.messages.count() == 1
    assert not ThreadEvent.objects.filter(kind="closed").exists()


def test_actions_only_accept_post(gp_client, w):
    thread = open_thread(w)
    assert gp_client.get(thread_url(thread, "close")).status_code == 405


@pytest.mark.parametrize(
    "path",
    [
        "/korrespondance/ikke-en-uuid/",
        "/korrespondance/00000000-0000-0000-0000-000000000000/",
        "/korrespondance/00000000-0000-0000-0000-000000000000/bilag/00000000-0000-0000-0000-000000000000/",
        "/korrespondance/123/svar/",
    ],
)
def test_unknown_or_malformed_ids_are_404(gp_client, path):
    assert gp_client.get(path).status_code == 404


# --- Attachments -----------------------------------------------------------------------------


def test_attachments_download_as_files_and_are_logged_with_a_patient(client, w):
    thread = open_thread(w, patient_cpr=CPR, attachments=[png()])
    attachment = Attachment.objects.get()
    url = reverse(
        "correspondence:attachment",
        kwargs={"public_id": thread.public_id, "attachment_id": attachment.public_id},
    )
    verified_login(client, w.specialist)
    before = AccessLogEntry.objects.count()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PNG
    assert AccessLogEntry.objects.count() == before + 1
    verified_login(client, w.other_gp)
    assert client.get(url).status_code == 404
    # The attachment under another thread's id is not found either.
    other = open_thread(w, subject="Anden")
    wrong = reverse(
        "correspondence:attachment",
        kwargs={"public_id": other.public_id, "attachment_id": attachment.public_id},
    )
    verified_login(client, w.gp)
    assert client.get(wrong).status_code == 404


# --- Access log ------------------------------------------------------------------------------


def test_every_view_of_a_thread_with_a_patient_writes_one_access_log_entry(client, w):
    thread = open_thread(w, patient_cpr=CPR)
    plain = open_thread(w, subject="Uden patient")
    verified_login(client, w.specialist)
    before = AccessLogEntry.objects.count()
    client.get(thread_url(thread))
    assert AccessLogEntry.objects.count() == before + 1
    entry = AccessLogEntry.objects.latest("pk")
    assert entry.action == AccessLogEntry.Action.VIEW and entry.actor == w.specialist
    client.get(thread_url(thread))
    assert AccessLogEntry.objects.count() == before + 2
    client.get(thread_url(plain))
    client.get(reverse("correspondence:inbox"))
    assert AccessLogEntry.objects.count() == before + 2


# --- Quality ---------------------------------------------------------------------------------


def test_the_quality_view_shows_reply_times_both_ways(client, w):
    sent = timezone.now() - timedelta(days=2)
    thread = open_thread(w, now=sent)
    message_send(thread=thread, author=w.specialist, body="Svar", now=sent + timedelta(hours=5))
    verified_login(client, w.other_gp)
    response = client.get(reverse("correspondence:quality"))
    html = response.content.decode()
    assert response.status_code == 200
    assert str(w.department) in html and str(w.practice) in html
    assert "5,0" in html
    assert client.get(reverse("correspondence:quality"), {"dage": "abc"}).status_code == 200
    assert client.get(reverse("correspondence:quality"), {"dage": "1"}).status_code == 200


# --- MedCom export -----------------------------------------------------------------------------


def _medcom_url(message, fmt):
    return reverse(
        f"correspondence:medcom_{fmt}",
        kwargs={"public_id": message.thread.public_id, "message_id": message.public_id},
    )


def test_a_message_exports_as_medcom_json_and_xml(client, w):
    w.practice.sor_code = "123456789012"
    w.practice.save()
    w.department.sor_code = "987654321098"
    w.department.save()
    thread = open_thread(w, patient_cpr=CPR)
    message = thread.messages.get()
    verified_login(client, w.specialist)
    assert 'medcom.json"' in client.get(thread_url(thread)).content.decode()
    before = AccessLogEntry.objects.filter(action=AccessLogEntry.Action.EXPORT).count()
    response = client.get(_medcom_url(message, "json"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.json()["resourceType"] == "Bundle"
    response = client.get(_medcom_url(message, "xml"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+xml")
    assert b"<Bundle" in response.content
    assert AccessLogEntry.objects.filter(action=AccessLogEntry.Action.EXPORT).count() == before + 2
    verified_login(client, w.other_gp)
    assert client.get(_medcom_url(message, "json")).status_code == 404


def test_a_thread_without_patient_is_not_offered_for_export_and_refused_with_a_reason(client, w):
    thread = open_thread(w)
    message = thread.messages.get()
    verified_login(client, w.specialist)
    assert "medcom.json" not in client.get(thread_url(thread)).content.decode()
    response = client.get(_medcom_url(message, "json"))
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "alert-error" in html


# --- The new-message form and form errors (issue 10) ----------------------------------------


def test_the_new_message_form_offers_one_way_to_address_and_plain_text(gp_client):
    html = gp_client.get(reverse("correspondence:new")).content.decode()
    assert 'data-recipient-kind="speciale"' in html and 'data-recipient-kind="afdeling"' in html
    assert "js/correspondence-new.js" in html
    assert "Markdown" not in html and "markdown" not in html
    assert "Linjeskift og dine signaturlinjer bevares" in html


@pytest.mark.parametrize("named", ["department", "practice"])
def test_a_specialty_and_a_named_recipient_at_once_is_refused_with_400_in_danish(client, w, named):
    verified_login(client, w.specialist)
    data = new_thread_data(
        w,
        sender_organisation=w.department.pk,
        specialty=w.other_department.specialty.pk,
        **{named: (w.other_department if named == "department" else w.practice).pk},
    )
    response = client.post(reverse("correspondence:new"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vælg modtageren på én måde" in html
    assert "samspil-recipient--all" in html  # every choice shows, to clear the one not meant
    assert data["body"] in html
    assert not Thread.objects.exists()


def test_the_chosen_way_alone_opens_the_thread(gp_client, w):
    data = new_thread_data(w, recipient_kind="afdeling", specialty="", department=w.other_department.pk)
    response = gp_client.post(reverse("correspondence:new"), data)
    assert response.status_code == 302
    assert Thread.objects.get().recipient_organisation == w.other_department


def test_signature_lines_and_markup_characters_are_kept_as_written(gp_client, w):
    body = (
        "Kære kolleger\n\n"
        "Dosis <i.v.> 5 mg *2 gange* dagligt?\n"
        "> citat fra epikrisen\n\n"
        "Med venlig hilsen  \n"
        "Grete Lægesen\n"
        "Praktiserende læge\n"
        "-- \n"
        "Tlf. 70 10 20 30"
    )
    response = gp_client.post(reverse("correspondence:new"), new_thread_data(w, body=body))
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.body == body
    html = gp_client.get(response["Location"]).content.decode()
    assert "Med venlig hilsen  <br>Grete Lægesen<br>Praktiserende læge<br>-- <br>Tlf. 70 10 20 30" in html
    assert "Dosis &lt;i.v.&gt; 5 mg *2 gange* dagligt?<br>&gt; citat fra epikrisen" in html


def test_every_form_that_comes_back_with_errors_answers_400(client, w):
    thread = open_thread(w)
    verified_login(client, w.secretary)
    assert client.post(thread_url(thread, "assign"), {"assignee": w.other_specialist.pk}).status_code == 400
    response = client.post(thread_url(thread, "reroute"), {"to_organisation": w.other_department.pk})
    assert response.status_code == 400
    verified_login(client, w.specialist)
    assert client.post(thread_url(thread, "close"), {"summary": ""}).status_code == 400
    assert client.post(thread_url(thread, "reply"), {"body": ""}).status_code == 400
    response = client.post(thread_url(thread, "reply"), {"body": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and 'id="svar"' in response.content.decode()
    thread.refresh_from_db()
    assert thread.is_open and thread.messages.count() == 1 and thread.assignee is None


def test_an_htmx_reply_brings_the_pages_parts_up_to_date(client, w):
    thread = open_thread(w)
    verified_login(client, w.specialist)
    data = {"body": "Svar", "client_token": str(uuid.uuid4()), "awaits_reply": "on"}
    html = client.post(thread_url(thread, "reply"), data, HTTP_HX_REQUEST="true").content.decode()
    assert '<div id="beskedfelt" hx-swap-oob="true"></div>' in html  # the old banner goes
    assert 'id="beskeder" class="samspil-messages" hx-swap-oob="true"' in html
    assert html.count("<article") == 2  # both messages, with their receipts as they are now
    assert 'id="traadside" hx-swap-oob="true"' in html
    assert "Sune Specialist overtog tråden" in html  # the reply made him responsible: history
    assert "/overtag/" not in html  # and there is nothing left to take on
