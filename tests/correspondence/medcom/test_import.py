"""Importing MedCom CareCommunication bundles: MedCom's nine examples, replies, duplicates, refusals."""

import base64
import copy
import itertools
import json
import random

import pytest
from django.utils import translation

from portal.accounts.models import Organisation
from portal.audit.models import AccessLogEntry
from portal.correspondence.medcom.fhirxml import dict_to_xml
from portal.correspondence.medcom.importing import (
    DUPLICATE,
    IMPORTED,
    PURPOSE_IMPORT,
    REFUSED,
    carecommunication_import,
    plain_text_html,
)
from portal.correspondence.medcom.parsing import load_bundle_dict
from portal.correspondence.models import Attachment, Category, Message, Side, Thread, ThreadEvent
from portal.patients.models import PatientReference

from .test_carecommunication import EXAMPLES, TEST_CPR, _example

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("receivers")]

# The receiving practice of six of the examples, and the two departments of the reply (S-Tek-C).
OESTERBRO_SOR = "1017421000016003"


def served(sor: str, *, kind: str = Organisation.Kind.GENERAL_PRACTICE, name: str = "") -> Organisation:
    """An organisation the portal serves: known by its SOR code, with a clinician who reads its inbox."""
    from portal.accounts.roles import Role
    from tests.accounts.factories import HospitalFactory
    from tests.correspondence.factories import member

    found = Organisation.objects.filter(sor_code=sor).first()
    if found is not None:
        return found
    fields = {}
    if kind == Organisation.Kind.GENERAL_PRACTICE:
        fields["yder_number"] = sor[:6]
    elif kind == Organisation.Kind.DEPARTMENT:
        from tests.accounts.factories import specialty

        fields["parent"], fields["specialty"] = HospitalFactory(), specialty("geriatri")
    organisation = Organisation.objects.create(
        kind=kind, name=name or f"Modtager {sor}", sor_code=sor, **fields
    )
    member(organisation, Role.GP if kind == Organisation.Kind.GENERAL_PRACTICE else Role.HOSPITAL_SPECIALIST)
    return organisation


#: The receivers of MedCom's nine examples, as organisations the portal serves.
EXAMPLE_RECEIVERS = {
    "330461000016004": "Sundhedsplejen, Aabenraa kommune",
    OESTERBRO_SOR: "2100 Lægehuset Østerbro",
    "382871000016004": "Arden Lægehus",
    "325251000016005": "MedCom XDIS91",
}


@pytest.fixture
def receivers() -> dict[str, Organisation]:
    return {sor: served(sor, name=name) for sor, name in EXAMPLE_RECEIVERS.items()}


def _counts() -> dict:
    return {
        "threads": Thread.objects.count(),
        "messages": Message.objects.count(),
        "attachments": Attachment.objects.count(),
        "events": ThreadEvent.objects.count(),
        "organisations": Organisation.objects.count(),
        "patients": PatientReference.objects.count(),
        "log": AccessLogEntry.objects.count(),
    }


def _import_all(paths) -> list:
    return [carecommunication_import(p.read_bytes()) for p in paths]


def test_all_nine_examples_import():
    outcomes = _import_all(EXAMPLES)
    assert [o.status for o in outcomes] == [IMPORTED] * 9, [o.reason for o in outcomes]
    assert Thread.objects.count() == 9
    # S-B and S-D carry a text and an attachment each: one message with its attachment.
    # S-E (forward) and S-Tek-C (reply) carry the earlier segment too.
    assert Message.objects.count() == 11
    assert Attachment.objects.count() == 2
    assert ThreadEvent.objects.filter(kind=ThreadEvent.Kind.IMPORTED).count() == 9
    assert Message.objects.filter(author__isnull=False).count() == 0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_examples_import_in_any_order_and_again_as_duplicates(seed):
    paths = list(EXAMPLES)
    random.Random(seed).shuffle(paths)
    assert {o.status for o in _import_all(paths)} == {IMPORTED}
    before = _counts()
    again = _import_all(reversed(paths))
    assert {o.status for o in again} == {DUPLICATE}
    assert all(o.thread is not None for o in again)
    assert _counts() == before


def test_imported_thread_and_message_fields():
    outcome = carecommunication_import(_example("S-C").read_bytes())
    thread = outcome.thread
    assert str(thread.conversation_id) == "5fdc8520-7a2f-497c-97ed-fcca13f12f8b"
    assert thread.category == "examination-results"
    assert thread.subject == thread.topic == "Resultater fra hjemmesygeplejen"
    assert thread.priority == "" and thread.opened_by is None
    assert thread.sender_organisation.sor_code == "328081000016004"
    assert thread.sender_organisation.name == "Hjemmesygeplejen, Aalborg kommune"
    assert thread.sender_organisation.kind == Organisation.Kind.HOSPITAL
    assert thread.recipient_organisation.sor_code == OESTERBRO_SOR
    (message,) = thread.messages.all()
    assert message.medcom_message_id == "5a663fe8-c361-411d-876d-4f6b06749e59"
    assert message.medcom_payload_id == "urn:uuid:c75a51cf-dab7-4bf9-9b13-b81700c78b05"
    assert message.author is None
    assert message.author_name == "Michael Magnus Burns"
    assert message.author_title == "Sygeplejerske"
    assert message.author_phone == "004523232323"
    assert message.author_organisation_name == "Hjemmesygeplejen, Aalborg kommune"
    assert message.side == Side.SENDER and message.organisation == thread.sender_organisation
    assert message.created_at.isoformat() == "2024-09-11T13:20:00+00:00"
    assert message.body.startswith("Til rette vedkommende.")
    assert "Blodtryk normalt. <br>Hilsen Michael" in message.body_html  # line break and spaces kept
    # The last message awaits the other side, counted from when it reached the portal.
    assert thread.awaiting == Side.RECIPIENT
    assert thread.due_at == message.due_at and message.due_at > message.created_at
    assert message.answered_at is None
    assert thread.patient is not None


def test_import_matches_known_organisations_by_sor(receivers):
    practice = receivers[OESTERBRO_SOR]
    before = Organisation.objects.count()
    outcome = carecommunication_import(_example("S-C").read_bytes())
    assert outcome.thread.recipient_organisation == practice
    assert Organisation.objects.count() == before + 1  # only the unknown sender


def test_unknown_sor_without_name_gets_a_placeholder_name():
    carecommunication_import(_example("S-E").read_bytes())
    org = Organisation.objects.get(sor_code="1382601000016006")
    assert org.name == "Ukendt organisation (SOR 1382601000016006)"


def test_patient_is_found_by_cpr_and_the_access_is_logged_for_the_system():
    carecommunication_import(_example("S-C").read_bytes())
    carecommunication_import(_example("S-D").read_bytes())
    assert PatientReference.objects.count() == 1
    entries = list(AccessLogEntry.objects.order_by("at", "pk"))
    assert [e.action for e in entries] == [AccessLogEntry.Action.CREATE, AccessLogEntry.Action.VIEW]
    assert {e.purpose for e in entries} == {PURPOSE_IMPORT}
    assert {e.actor_id for e in entries} == {None}
    assert TEST_CPR not in {e.object_id for e in entries}


def test_import_with_an_actor_records_them():
    from tests.accounts.factories import UserFactory

    user = UserFactory(first_name="Ida", last_name="Importør")
    outcome = carecommunication_import(_example("S-C").read_bytes(), actor=user)
    event = outcome.thread.events.get(kind=ThreadEvent.Kind.IMPORTED)
    assert event.actor == user and event.actor_name == "Ida Importør"
    assert AccessLogEntry.objects.get().actor == user


def test_replacement_cpr_imports_without_a_patient_and_says_so():
    outcome = carecommunication_import(_example("S-Tek-CPR").read_bytes())
    assert outcome.status == IMPORTED
    assert outcome.thread.patient is None
    event = outcome.thread.events.get(kind=ThreadEvent.Kind.IMPORTED)
    assert "erstatnings-CPR" in event.reason and "Peter Hansen" in event.reason
    assert "0703921VJ6" not in event.reason
    # No topic: the subject is the category's (Danish) name.
    with translation.override("da"):
        assert outcome.thread.subject == str(Category.EXAMINATION_RESULTS.label)


def test_text_and_attachment_are_one_message_and_the_attachment_is_sniffed():
    outcome = carecommunication_import(_example("S-B").read_bytes())
    thread = outcome.thread
    assert thread.priority == "asap" and thread.category == "regarding-referral"
    (message,) = thread.messages.all()
    (attachment,) = message.attachments.all()
    # Declared image/png, but the bytes are a JPEG: what it is decides.
    assert attachment.content_type == "image/jpeg"
    assert attachment.filename == "madpyramiden.jpeg"
    assert attachment.size == 10334
    assert attachment.file.read(3) == b"\xff\xd8\xff"


def _image(fmt: str, **options) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(buffer, fmt, **options)
    return buffer.getvalue()


def _with_attachments(files: list[tuple[str, str, bytes]]) -> bytes:
    """MedCom's S-C with attachments appended to its message, as (declared type, title, bytes)."""
    bundle = _bundle()
    comm = _res(bundle, "Communication")
    for content_type, title, data in files:
        comm["payload"].append(
            {
                "extension": copy.deepcopy(comm["payload"][0]["extension"][:2]),
                "contentAttachment": {
                    "contentType": content_type,
                    "title": title,
                    "data": base64.b64encode(data).decode(),
                },
            }
        )
    return json.dumps(bundle).encode()


MEDCOM_IMAGES = [
    ("image/gif", "saar", "gif", lambda: _image("GIF")),
    ("image/tiff", "roentgen", "tif", lambda: _image("TIFF")),
    ("image/tiff", "roentgen-mm", "tif", lambda: _image("TIFF", big_endian=True)),
    ("image/bmp", "ekg", "bmp", lambda: _image("BMP")),
]


def test_gif_tiff_and_bmp_attachments_from_medcoms_value_set_are_imported_not_refused():
    served(OESTERBRO_SOR)
    files = [(declared, title, make()) for declared, title, _ext, make in MEDCOM_IMAGES]
    outcome = carecommunication_import(_with_attachments(files))
    assert outcome.status == IMPORTED, outcome.reason
    message = outcome.thread.messages.get()
    stored = list(message.attachments.order_by("pk"))
    assert [(a.content_type, a.filename) for a in stored] == [
        (declared, f"{title}.{ext}") for declared, title, ext, _make in MEDCOM_IMAGES
    ]
    assert [a.file.read() for a in stored] == [data for _d, _t, data in files]


def test_an_attachment_is_typed_by_its_bytes_not_its_declared_type():
    served(OESTERBRO_SOR)
    outcome = carecommunication_import(_with_attachments([("application/pdf", "scan", _image("BMP"))]))
    (attachment,) = outcome.thread.messages.get().attachments.all()
    assert (attachment.content_type, attachment.filename) == ("image/bmp", "scan.bmp")


@pytest.mark.parametrize(
    ("declared", "title", "ext", "make"), MEDCOM_IMAGES, ids=[i[1] for i in MEDCOM_IMAGES]
)
def test_imported_images_are_only_ever_served_as_a_download(client, declared, title, ext, make):
    from django.urls import reverse

    from tests.accounts.login import verified_login

    practice = served(OESTERBRO_SOR)
    outcome = carecommunication_import(_with_attachments([(declared, title, make())]))
    (attachment,) = outcome.thread.messages.get().attachments.all()
    verified_login(client, practice.memberships.get().user)
    page = client.get(reverse("correspondence:thread", args=[outcome.thread.public_id])).content.decode()
    url = reverse("correspondence:attachment", args=[outcome.thread.public_id, attachment.public_id])
    assert f'href="{url}" download' in page and "<img" not in page.split("samspil-attachments")[-1]
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == declared and response["X-Content-Type-Options"] == "nosniff"


def test_reply_carrying_an_unknown_earlier_message_creates_the_thread_with_both():
    outcome = carecommunication_import(_example("S-Tek-C").read_bytes())
    thread = outcome.thread
    first, reply = thread.messages.order_by("created_at")
    # The reply answers the receiver's (Arden Lægehus) message: the receiver opened the thread.
    assert thread.sender_organisation.name == "Arden Lægehus"
    assert thread.recipient_organisation.name == "Hjerteafdelingen på Herlev og Gentofte hospital"
    assert (first.side, reply.side) == (Side.SENDER, Side.RECIPIENT)
    assert first.author_name == "Michael Burns" and reply.author_name == "Emma Waters"
    assert first.medcom_message_id is None  # another system's id: not claimed (see module docstring)
    assert reply.medcom_message_id == "f927c454-ef3e-4f60-9640-6727961d6a1f"
    assert first.answered_at == reply.created_at
    assert first.answered_by_organisation == thread.recipient_organisation
    assert thread.awaiting == Side.SENDER and thread.due_at == reply.due_at


def test_forward_keeps_the_forwarded_segment_on_the_forwarders_side():
    outcome = carecommunication_import(_example("S-E").read_bytes())
    original, forward = outcome.thread.messages.order_by("created_at")
    assert original.side == forward.side == Side.SENDER
    assert original.author_organisation_name == "Sundhedsplejen, Aabenraa kommune"
    assert forward.medcom_message_id == "3dbffafe-ce3c-45b0-bca7-2c008c478e79"


def test_reply_id_colliding_with_another_conversations_header_still_imports_both():
    # MedCom's S-Tek-C cites S-A's MessageHeader id for its earlier segment, in another conversation.
    for order in itertools.permutations(["S-A", "S-Tek-C"]):
        Thread.objects.all().delete()
        outcomes = [carecommunication_import(_example(p).read_bytes()) for p in order]
        assert [o.status for o in outcomes] == [IMPORTED, IMPORTED]


@pytest.fixture
def s_c_sender_served() -> Organisation:
    """S-C's sender as an organisation the portal serves too, so that a reply to it can be delivered."""
    return served(
        "328081000016004", kind=Organisation.Kind.DEPARTMENT, name="Hjemmesygeplejen, Aalborg kommune"
    )


def _reply_bundle(
    original: dict, *, text: str = "Tak, vi ser på det.", n: int = 0, at: str = "2024-09-12T10:00:00+02:00"
) -> dict:
    """A reply to ``original`` (a bundle dict) as MedCom links it, built with building.reply_or_forward."""
    from portal.correspondence.medcom import build_bundle, parse_bundle
    from portal.correspondence.medcom import model as m
    from portal.correspondence.medcom.building import reply_or_forward

    previous = parse_bundle(json.dumps(original).encode())
    author = next(p.author for p in previous.communication.payloads if p.author)
    reply = reply_or_forward(
        previous,
        event="reply",
        header_id=f"7d1b8d0e-3b0e-4c5e-9a3e-5d0f6f3c2b1{n}",
        provenance_id=f"a6f1c0de-1111-4a2b-8c3d-4e5f6071829{n}",
        payload=m.Payload(
            identifier=f"urn:uuid:2f7c0e55-6f0a-4f0e-9d0e-0d9e3c1b8a1{n}",
            timestamp=at,
            text=text,
            author=author,
            phone="12345678",
            assigner_id=previous.receiver.id,
        ),
        sender=previous.receiver,
        receiver=previous.sender,
        at=at,
        bundle_id=f"b9a1c0de-2222-4a2b-8c3d-4e5f6071829{n}",
    )
    return json.loads(build_bundle(reply))


def test_reply_joins_the_thread_of_its_conversation_without_duplicating_segments(s_c_sender_served):
    original = load_bundle_dict(_example("S-C").read_bytes())
    first = carecommunication_import(_example("S-C").read_bytes())
    outcome = carecommunication_import(json.dumps(_reply_bundle(original)).encode())
    assert outcome.status == IMPORTED
    assert outcome.thread == first.thread
    assert Thread.objects.count() == 1
    question, answer = first.thread.messages.order_by("created_at")
    assert answer.side == Side.RECIPIENT and answer.body == "Tak, vi ser på det."
    assert question.answered_at == answer.created_at
    thread = Thread.objects.get()
    assert thread.awaiting == Side.SENDER
    assert carecommunication_import(json.dumps(_reply_bundle(original)).encode()).status == DUPLICATE


def test_reply_imported_before_its_original_makes_the_original_a_duplicate(s_c_sender_served):
    original = load_bundle_dict(_example("S-C").read_bytes())
    assert carecommunication_import(json.dumps(_reply_bundle(original)).encode()).status == IMPORTED
    before = _counts()
    assert carecommunication_import(_example("S-C").read_bytes()).status == DUPLICATE
    assert _counts() == before


def test_reply_about_another_patient_is_refused(s_c_sender_served):
    original = load_bundle_dict(_example("S-C").read_bytes())
    carecommunication_import(_example("S-C").read_bytes())
    reply = _reply_bundle(original)
    patient = next(e["resource"] for e in reply["entry"] if e["resource"]["resourceType"] == "Patient")
    patient["identifier"][0]["value"] = "0101801234"
    outcome = carecommunication_import(json.dumps(reply).encode())
    assert outcome.status == REFUSED and "patient" in outcome.reason
    assert Message.objects.count() == 1


def test_reply_to_a_closed_thread_reopens_it(s_c_sender_served):
    from django.utils import timezone

    original = load_bundle_dict(_example("S-C").read_bytes())
    thread = carecommunication_import(_example("S-C").read_bytes()).thread
    Thread.objects.filter(pk=thread.pk).update(status=Thread.Status.CLOSED, closed_at=timezone.now())
    carecommunication_import(json.dumps(_reply_bundle(original)).encode())
    thread.refresh_from_db()
    assert thread.is_open and thread.closed_at is None
    assert thread.events.filter(kind=ThreadEvent.Kind.REOPENED).exists()


# ---------------------------------------------------------------------------- plain text stays plain


def test_imported_text_renders_inert():
    text = (
        "<script>alert(1)</script> **fed** [klik](javascript:alert(1))\n"
        "# ikke en overskrift\n    ikke kode\n1. ikke en liste\n| a | b |\n<img src=x onerror=alert(1)>"
    )
    html = plain_text_html(text)
    for tag in ("<script", "<strong", "<a ", "<h1", "<pre", "<ol", "<table", "<img"):
        assert tag not in html
    assert "&lt;script&gt;" in html and "**fed**" in html and "# ikke en overskrift" in html


def test_hostile_text_in_a_bundle_is_stored_as_written_and_rendered_inert():
    bundle = load_bundle_dict(_example("S-C").read_bytes())
    comm = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Communication")
    comm["payload"][0]["contentString"] = "<b onmouseover=alert(1)>hej</b> _x_"
    message = carecommunication_import(json.dumps(bundle).encode()).thread.messages.get()
    assert message.body == "<b onmouseover=alert(1)>hej</b> _x_"
    assert "<b" not in message.body_html and "<em>" not in message.body_html
    assert "&lt;b onmouseover=alert(1)&gt;hej&lt;/b&gt; _x_" in message.body_html


# ---------------------------------------------------------------------------- refusals write nothing


def _bundle(prefix: str = "S-C") -> dict:
    return copy.deepcopy(load_bundle_dict(_example(prefix).read_bytes()))


def _res(bundle: dict, resource_type: str) -> dict:
    return next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == resource_type)


def _no_header(b):
    b["entry"] = [e for e in b["entry"] if e["resource"]["resourceType"] != "MessageHeader"]


def _wrong_profile(b):
    _res(b, "Patient")["meta"]["profile"] = ["http://example.org/some-other-patient"]


def _priority_outside_referral(b):
    _res(b, "Communication")["priority"] = "asap"


def _other_without_topic(b):
    comm = _res(b, "Communication")
    comm["category"][0]["coding"][0]["code"] = "other"
    del comm["topic"]


def _invalid_cpr(b):
    _res(b, "Patient")["identifier"][0]["value"] = "3213991234"


def _no_sor(b):
    for ident in list(_res(b, "Organization")["identifier"]):
        if ident["system"] == "urn:oid:1.2.208.176.1.1":
            _res(b, "Organization")["identifier"].remove(ident)


def _no_author_name(b):
    del _res(b, "Practitioner")["name"]


def _svg_attachment(b):
    _res(b, "Communication")["payload"].append(
        {
            "extension": copy.deepcopy(_res(b, "Communication")["payload"][0]["extension"][:2]),
            "contentAttachment": {
                "contentType": "image/svg+xml",
                "title": "tegning",
                "data": base64.b64encode(b"<svg onload='alert(1)'/>").decode(),
            },
        }
    )


def _not_a_uuid_conversation(b):
    _res(b, "Communication")["identifier"][0]["value"] = "samtale-1"


REFUSALS = [
    (_no_header, "MessageHeader"),
    (_wrong_profile, "profil"),
    (_priority_outside_referral, "regarding-referral"),
    (_other_without_topic, "'other'"),
    (_invalid_cpr, "CPR-nummer"),
    (_no_sor, "SOR-kode"),
    (_no_author_name, "forfatter"),
    (_svg_attachment, "Vedhæftet fil afvist"),
    (_not_a_uuid_conversation, "UUID"),
]


@pytest.mark.parametrize(("mutate", "reason"), REFUSALS, ids=[f.__name__.strip("_") for f, _r in REFUSALS])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_invalid_bundle_is_refused_with_its_reason_and_writes_nothing(mutate, reason, fmt):
    bundle = _bundle()
    mutate(bundle)
    data = json.dumps(bundle).encode() if fmt == "json" else dict_to_xml(bundle)
    before = _counts()
    outcome = carecommunication_import(data)
    assert outcome.status == REFUSED
    assert reason in outcome.reason
    assert TEST_CPR not in outcome.reason
    assert outcome.thread is None
    assert _counts() == before


GARBAGE = [
    (b"{not json", "Ugyldig JSON"),
    (b"", "Tom fil"),
    (
        b'<?xml version="1.0"?><!DOCTYPE Bundle [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<Bundle xmlns="http://hl7.org/fhir"><id value="&xxe;"/></Bundle>',
        "DTD",
    ),
    (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        b'<Bundle xmlns="http://hl7.org/fhir"><id value="&lol2;"/></Bundle>',
        "DTD",
    ),
]


@pytest.mark.parametrize(("data", "reason"), GARBAGE, ids=["badjson", "empty", "xxe", "entities"])
def test_garbage_is_refused_and_writes_nothing(data, reason):
    before = _counts()
    outcome = carecommunication_import(data)
    assert outcome.status == REFUSED and reason in outcome.reason
    assert _counts() == before


def test_header_id_reused_in_another_conversation_is_refused():
    carecommunication_import(_example("S-C").read_bytes())
    other = _bundle()
    _res(other, "Communication")["identifier"][0]["value"] = "urn:uuid:11111111-2222-4333-8444-555555555555"
    outcome = carecommunication_import(json.dumps(other).encode())
    assert outcome.status == REFUSED and "anden samtale" in outcome.reason


# ---------------------------------------------------------------------------- undelivered: dead letters

UNSERVED_SOR = "441211000016000"  # S-A's sender, a hospital clinic the portal does not serve


def _addressed_to(sor: str, name: str = "Klinik for Ældresygdomme, AUH, Skejby") -> bytes:
    """MedCom's S-C with its receiver replaced by ``sor``."""
    bundle = _bundle()
    receiver = next(
        o for o in _resources(bundle, "Organization") for i in o["identifier"] if i["value"] == OESTERBRO_SOR
    )
    for ident in receiver["identifier"]:
        if ident["system"] == "urn:oid:1.2.208.176.1.1":
            ident["value"] = sor
    receiver["name"] = name
    return json.dumps(bundle).encode()


def _resources(bundle: dict, resource_type: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == resource_type]


def _memberless(sor):
    Organisation.objects.create(
        kind=Organisation.Kind.GENERAL_PRACTICE, name="Tom praksis", sor_code=sor, yder_number="999999"
    )


def _a_hospital(sor):
    from tests.accounts.factories import HospitalFactory

    hospital = HospitalFactory(sor_code=sor)
    served_member_of(hospital)


def served_member_of(organisation):
    from portal.accounts.roles import Role
    from tests.correspondence.factories import member

    return member(organisation, Role.HOSPITAL_SPECIALIST)


UNSERVED = [
    (lambda sor: None, "SOR-koden er ukendt"),
    (_memberless, "ingen aktive medlemmer"),
    (_a_hospital, "hverken en almen praksis eller en hospitalsafdeling"),
]


@pytest.mark.parametrize(("setup", "reason"), UNSERVED, ids=["unknown", "memberless", "hospital"])
def test_a_bundle_for_an_organisation_the_portal_does_not_serve_is_kept_not_delivered(setup, reason):
    from portal.correspondence.medcom.importing import DEAD_LETTERED
    from portal.correspondence.models import DeadLetter
    from portal.correspondence.services import dead_letter_bundle

    setup(UNSERVED_SOR)
    data = _addressed_to(UNSERVED_SOR)
    before = _counts()
    outcome = carecommunication_import(data)
    assert outcome.status == DEAD_LETTERED and not outcome.delivered
    assert reason in outcome.reason and UNSERVED_SOR in outcome.reason
    # Nothing delivered, no patient looked up, no thread nobody can see.
    assert {k: v for k, v in _counts().items() if k != "organisations"} == {
        k: v for k, v in before.items() if k != "organisations"
    }
    assert not Organisation.objects.filter(sor_code="328081000016004").exists()  # not even the sender
    letter = DeadLetter.objects.get()
    assert letter == outcome.dead_letter and letter.status == DeadLetter.Status.WAITING
    assert (letter.sender_sor, letter.sender_name) == ("328081000016004", "Hjemmesygeplejen, Aalborg kommune")
    assert letter.receiver_sor == UNSERVED_SOR and letter.header_id == "5a663fe8-c361-411d-876d-4f6b06749e59"
    assert letter.reason == outcome.reason and letter.attempts == 1
    assert dead_letter_bundle(letter) == data
    # The CPR number is only inside the encrypted bundle.
    shown = " ".join(
        str(getattr(letter, f.name)) for f in DeadLetter._meta.fields if f.name != "bundle_encrypted"
    )
    assert TEST_CPR not in shown and TEST_CPR not in letter.bundle_encrypted


def test_the_same_undelivered_bundle_again_is_one_dead_letter_with_two_attempts():
    from portal.correspondence.medcom.importing import DEAD_LETTERED
    from portal.correspondence.models import DeadLetter

    data = _addressed_to(UNSERVED_SOR)
    assert [carecommunication_import(data).status for _ in range(2)] == [DEAD_LETTERED] * 2
    assert DeadLetter.objects.get().attempts == 2


def test_a_dead_letter_is_delivered_on_retry_once_the_organisation_is_served():
    from portal.correspondence.medcom.importing import DEAD_LETTERED, dead_letter_retry
    from portal.correspondence.models import DeadLetter

    letter = carecommunication_import(_addressed_to(UNSERVED_SOR)).dead_letter
    still = dead_letter_retry(dead_letter=letter)
    assert still.status == DEAD_LETTERED
    assert (letter.status, letter.attempts) == (DeadLetter.Status.WAITING, 2)

    clinic = served(UNSERVED_SOR, kind=Organisation.Kind.DEPARTMENT, name="Klinik for Ældresygdomme")
    outcome = dead_letter_retry(dead_letter=letter)
    assert outcome.status == IMPORTED
    assert outcome.thread.recipient_organisation == clinic
    assert (letter.status, letter.thread) == (DeadLetter.Status.DELIVERED, outcome.thread)
    # Delivered once: the bundle again is a duplicate, and the letter stays delivered.
    assert dead_letter_retry(dead_letter=letter).status == DUPLICATE
    assert DeadLetter.objects.get().status == DeadLetter.Status.DELIVERED


# ---------------------------------------------------------------------------- attribution by Provenance


def _conversation_of_three() -> list[bytes]:
    """S-C (Hjemmesygeplejen to Østerbro), Østerbro's reply, and Hjemmesygeplejen's answer to it."""
    original = load_bundle_dict(_example("S-C").read_bytes())
    reply = _reply_bundle(original, text="Hvad var pulsen?", n=1, at="2024-09-12T10:00:00+02:00")
    answer = _reply_bundle(reply, text="Puls 72.", n=2, at="2024-09-13T09:00:00+02:00")
    return [json.dumps(b).encode() for b in (original, reply, answer)]


def _attribution(thread: Thread) -> list[tuple]:
    return [
        (m.side, m.organisation.sor_code, m.author_organisation_name, m.body[:20])
        for m in thread.messages.select_related("organisation").order_by("created_at")
    ]


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))), ids=str)
def test_arrival_order_never_changes_who_wrote_what_or_the_threads_direction(s_c_sender_served, order):
    bundles = _conversation_of_three()
    outcomes = [carecommunication_import(bundles[i]) for i in order]
    assert {o.status for o in outcomes} <= {IMPORTED, DUPLICATE}, [o.reason for o in outcomes]
    thread = Thread.objects.get()
    # Hjemmesygeplejen opened the conversation (S-C's new-message Provenance), whatever came first.
    assert thread.sender_organisation.sor_code == "328081000016004"
    assert thread.recipient_organisation.sor_code == OESTERBRO_SOR
    assert _attribution(thread) == [
        (Side.SENDER, "328081000016004", "Hjemmesygeplejen, Aalborg kommune", "Til rette vedkommend"),
        (Side.RECIPIENT, OESTERBRO_SOR, "2100 Lægehuset Østerbro", "Hvad var pulsen?"),
        (Side.SENDER, "328081000016004", "Hjemmesygeplejen, Aalborg kommune", "Puls 72."),
    ]
    # The newest message (Hjemmesygeplejen's) awaits Østerbro.
    assert thread.awaiting == Side.RECIPIENT


def test_a_forwarded_original_is_attributed_to_its_author_not_the_forwarder(receivers):
    from portal.correspondence.medcom.exporting import message_bundle

    outcome = carecommunication_import(_example("S-E").read_bytes())
    original, forward = outcome.thread.messages.select_related("organisation").order_by("created_at")
    forwarder = outcome.thread.sender_organisation
    assert forwarder.sor_code == "1382601000016006" and forward.organisation == forwarder
    # Written by Nancy Nielsen at Sundhedsplejen, Aabenraa; the forwarder only passed it on.
    assert original.author_name == "Nancy Nielsen"
    assert original.organisation.sor_code == "330461000016004"
    assert original.author_organisation_name == "Sundhedsplejen, Aabenraa kommune"
    # Forwarded content awaits nobody: only the forward itself asks the receiver for an answer.
    assert original.due_at is None and forward.due_at is not None
    # And the export says the same: the original's Provenance names its own organisation.
    reader = receivers[OESTERBRO_SOR].memberships.get().user
    exported = parse_bundle_bytes(message_bundle(forward, actor=reader))
    agents = {p.target_id: p.agent_id for p in exported.provenance}
    orgs = {o.id: o.sor for o in exported.organizations}
    assert orgs[agents[original.medcom_message_id or str(original.public_id)]] == "330461000016004"


def parse_bundle_bytes(data: bytes):
    from portal.correspondence.medcom import parse_bundle

    return parse_bundle(data)
