"""Exporting portal threads as MedCom CareCommunication bundles, and importing them back."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.audit.models import AccessLogEntry
from portal.correspondence.medcom import model as m
from portal.correspondence.medcom import parse_bundle
from portal.correspondence.medcom.exporting import PURPOSE_EXPORT, message_bundle
from portal.correspondence.medcom.importing import DUPLICATE, IMPORTED, carecommunication_import
from portal.correspondence.medcom.parsing import load_bundle_dict
from portal.correspondence.models import Category, Message, Priority, Side, Thread
from portal.correspondence.services import message_send
from tests.correspondence.factories import open_thread, world

from .test_carecommunication import TEST_CPR, _example, _signature

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def w():
    w = world()
    for org, sor in ((w.practice, "123451000016007"), (w.department, "265161000016000")):
        org.sor_code = sor
        org.save(update_fields=["sor_code"])
    return w


@pytest.fixture
def conversation(w):
    thread = open_thread(w, patient_cpr=TEST_CPR, body="Kan I se på **dosis**?\nMvh Grete")
    question = thread.messages.get()
    answer, _created = message_send(
        thread=thread,
        author=w.specialist,
        body="Ja, halver den.",
        attachments=[SimpleUploadedFile("ekg.png", PNG, content_type="image/png")],
        now=question.created_at + timedelta(hours=2),
    )
    return thread, question, answer


def _resources(bundle: dict, resource_type: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == resource_type]


def _as_dict(data: bytes) -> dict:
    return load_bundle_dict(data)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_first_message_exports_as_a_new_message_with_the_examples_structure(w, conversation, fmt):
    thread, question, _answer = conversation
    data = message_bundle(question, actor=w.gp, format=fmt)
    assert data.lstrip()[:1] == (b"{" if fmt == "json" else b"<")
    msg = parse_bundle(data)
    bundle = _as_dict(data)
    # Same resource types with the same MedCom profiles as MedCom's plain new message (S-C).
    assert _signature(bundle) == _signature(_as_dict(_example("S-C").read_bytes()))
    assert bundle["meta"]["profile"] == [m.MESSAGE_PROFILE]
    for entry in bundle["entry"]:
        resource = entry["resource"]
        assert resource["meta"]["profile"] == [m.PROFILES[resource["resourceType"]]]
        assert entry["fullUrl"].endswith(f"/{resource['resourceType']}/{resource['id']}")
    assert bundle["entry"][0]["resource"]["resourceType"] == "MessageHeader"

    assert msg.event == "new" and msg.previous_message_id is None
    assert msg.header_id == str(question.public_id)
    assert msg.conversation_id == f"urn:uuid:{thread.conversation_id}"
    assert msg.patient.cpr == TEST_CPR
    assert msg.sender.sor == "123451000016007" and msg.receiver.sor == "265161000016000"
    comm = msg.communication
    assert comm.category == thread.category and comm.priority is None
    (payload,) = comm.payloads
    assert payload.text == "Kan I se på **dosis**?\nMvh Grete"
    assert payload.author.family == "Lægesen" and payload.author.given == ("Grete",)
    assert payload.author.role_text == "Praktiserende læge"
    assert payload.phone == "70 10 20 30"  # the practice's: the GP has no direct phone
    assert payload.identifier == f"urn:uuid:{question.public_id}"
    (provenance,) = msg.provenance
    assert provenance.activity == "new-message" and provenance.target_id == msg.header_id
    assert [e.identifier for e in provenance.entities] == [payload.identifier]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_reply_exports_every_segment_linked_as_medcom_links_replies(w, conversation, fmt):
    thread, question, answer = conversation
    first = parse_bundle(message_bundle(question, actor=w.gp, format=fmt))
    reply = parse_bundle(message_bundle(answer, actor=w.specialist, format=fmt))
    assert reply.event == "reply"
    assert reply.conversation_id == first.conversation_id == f"urn:uuid:{thread.conversation_id}"
    assert reply.previous_message_id == first.header_id
    assert reply.sender.sor == "265161000016000" and reply.receiver.sor == "123451000016007"
    earlier = first.communication.payloads[0].identifier
    text, attachment = [p for p in reply.communication.payloads if p.identifier != earlier]
    assert [p.text for p in reply.communication.payloads if p.text] == [
        "Kan I se på **dosis**?\nMvh Grete",
        "Ja, halver den.",
    ]
    assert text.author.role_code == "overlaege" and text.phone == "78 45 00 00"
    assert attachment.attachment.data == PNG
    assert attachment.attachment.content_type == "image/png" and attachment.attachment.title == "ekg.png"
    activities = {p.target_id: p.activity for p in reply.provenance}
    assert activities == {first.header_id: "new-message", reply.header_id: "reply-message"}
    current = reply.current_provenance
    assert {e.identifier for e in current.entities if e.role == "source"} == {
        text.identifier,
        attachment.identifier,
    }
    # The earlier message's Provenance is the one it was sent with.
    assert first.provenance[0] in reply.provenance
    bundle = _as_dict(message_bundle(answer, actor=w.specialist, format=fmt))
    assert {e["resource"]["resourceType"] for e in bundle["entry"]} == {
        "MessageHeader",
        "Patient",
        "Communication",
        "PractitionerRole",
        "Practitioner",
        "Organization",
        "Provenance",
    }
    assert len(_resources(bundle, "Practitioner")) == 2


def test_export_stores_the_ids_a_later_reply_links_to(w, conversation):
    _thread, question, answer = conversation
    assert question.medcom_message_id is None
    message_bundle(answer, actor=w.specialist)
    question.refresh_from_db()
    assert question.medcom_message_id == str(question.public_id)
    assert question.medcom_payload_id == f"urn:uuid:{question.public_id}"
    # The same message exports to the same bundle.
    assert message_bundle(answer, actor=w.specialist) == message_bundle(answer, actor=w.specialist)


def test_priority_is_exported_only_with_regarding_referral(w):
    thread = open_thread(
        w, patient_cpr=TEST_CPR, category=Category.REGARDING_REFERRAL, priority=Priority.ASAP
    )
    msg = parse_bundle(message_bundle(thread.messages.get(), actor=w.gp))
    assert msg.communication.category == "regarding-referral" and msg.communication.priority == "asap"


def test_topic_is_exported(w):
    thread = open_thread(w, patient_cpr=TEST_CPR, category=Category.OTHER, topic="Hjælpemidler")
    msg = parse_bundle(message_bundle(thread.messages.get(), actor=w.gp))
    assert msg.communication.category == "other" and msg.communication.topic == "Hjælpemidler"


def test_export_writes_one_export_entry_in_the_access_log(w, conversation):
    _thread, question, _answer = conversation
    before = AccessLogEntry.objects.count()
    message_bundle(question, actor=w.gp)
    assert AccessLogEntry.objects.count() == before + 1
    entry = AccessLogEntry.objects.order_by("-at", "-pk").first()
    assert entry.action == AccessLogEntry.Action.EXPORT
    assert entry.actor == w.gp and entry.purpose == PURPOSE_EXPORT
    assert TEST_CPR not in (entry.object_id + entry.purpose)


def test_thread_without_a_patient_is_not_exported(w):
    thread = open_thread(w)
    before = AccessLogEntry.objects.count()
    with pytest.raises(ValidationError, match="patient"):
        message_bundle(thread.messages.get(), actor=w.gp)
    assert AccessLogEntry.objects.count() == before
    assert thread.messages.get().medcom_message_id is None


def test_organisation_without_sor_code_is_not_exported(w):
    w.department.sor_code = ""
    w.department.save(update_fields=["sor_code"])
    thread = open_thread(w, patient_cpr=TEST_CPR)
    with pytest.raises(ValidationError, match="SOR"):
        message_bundle(thread.messages.get(), actor=w.gp)


def test_someone_outside_the_thread_cannot_export_it(w, conversation):
    _thread, question, _answer = conversation
    before = AccessLogEntry.objects.count()
    with pytest.raises(PermissionDenied):
        message_bundle(question, actor=w.other_gp)
    assert AccessLogEntry.objects.count() == before


def test_unknown_format_is_refused(w, conversation):
    with pytest.raises(ValueError, match="unknown format"):
        message_bundle(conversation[1], actor=w.gp, format="yaml")


# ---------------------------------------------------------------------------- round trip


def _fresh_database():
    """What another Samspil (same organisations, none of our threads) would hold."""
    Thread.objects.all().delete()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_export_import_round_trip_into_a_fresh_database(w, conversation, fmt):
    thread, question, answer = conversation
    first = message_bundle(question, actor=w.gp, format=fmt)
    reply = message_bundle(answer, actor=w.specialist, format=fmt)
    conversation_id = thread.conversation_id
    _fresh_database()

    outcome = carecommunication_import(reply)
    assert outcome.status == IMPORTED
    imported = outcome.thread
    assert imported.conversation_id == conversation_id
    assert imported.sender_organisation == w.practice and imported.recipient_organisation == w.department
    assert imported.patient.cpr_index == thread.patient.cpr_index
    assert imported.category == thread.category
    q, a = imported.messages.order_by("created_at")
    assert (q.side, a.side) == (Side.SENDER, Side.RECIPIENT)
    assert q.body == question.body and a.body == answer.body
    assert q.author_name == "Grete Lægesen" and a.author_name == answer.author_name
    assert a.author_title == "Overlæge"
    assert q.created_at == question.created_at.replace(microsecond=0)
    assert a.medcom_message_id == str(answer.public_id)
    (attachment,) = a.attachments.all()
    assert attachment.content_type == "image/png" and attachment.file.read() == PNG
    assert q.answered_at == a.created_at and imported.awaiting == Side.SENDER

    counts = (Thread.objects.count(), Message.objects.count())
    assert carecommunication_import(first).status == DUPLICATE
    assert carecommunication_import(reply).status == DUPLICATE
    assert (Thread.objects.count(), Message.objects.count()) == counts


def test_round_trip_in_message_order(w, conversation):
    _thread, question, answer = conversation
    first = message_bundle(question, actor=w.gp)
    reply = message_bundle(answer, actor=w.specialist)
    _fresh_database()
    assert carecommunication_import(first).status == IMPORTED
    assert carecommunication_import(reply).status == IMPORTED
    assert Thread.objects.count() == 1 and Message.objects.count() == 2
    assert carecommunication_import(first).status == DUPLICATE


def test_own_export_imported_back_is_a_duplicate(w, conversation):
    _thread, _question, answer = conversation
    data = message_bundle(answer, actor=w.specialist)
    assert carecommunication_import(data).status == DUPLICATE


def test_exported_json_keeps_line_breaks_and_markdown_source(w, conversation):
    _thread, question, _answer = conversation
    bundle = json.loads(message_bundle(question, actor=w.gp))
    (comm,) = _resources(bundle, "Communication")
    assert comm["payload"][0]["contentString"] == "Kan I se på **dosis**?\nMvh Grete"
