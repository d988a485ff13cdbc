"""MedCom CareCommunication bundles: MedCom's nine send examples parse, validate, rebuild and round-trip."""

import copy
import json
from pathlib import Path

import pytest

from portal.correspondence.medcom import InvalidBundle, build_bundle, parse_bundle
from portal.correspondence.medcom import model as m
from portal.correspondence.medcom.building import bundle_dict
from portal.correspondence.medcom.parsing import load_bundle_dict

# MedCom's own examples, vendored so that the tests run from any clone (see examples/README.md).
EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("Bundle-*"))
TEST_CPR = "2509479989"


def _example(prefix: str) -> Path:
    (path,) = [p for p in EXAMPLES if p.name.startswith(f"Bundle-{prefix}-")]
    return path


def _ids(path: Path) -> str:
    return path.name.split("-", 1)[1][:30]


def _signature(bundle: dict) -> set:
    return {(e["resource"]["resourceType"], tuple(e["resource"]["meta"]["profile"])) for e in bundle["entry"]}


def _without_narrative(value):
    if isinstance(value, dict):
        return {k: _without_narrative(v) for k, v in value.items() if k != "text"}
    if isinstance(value, list):
        return [_without_narrative(v) for v in value]
    return value


def _by_key(bundle: dict) -> dict:
    return {
        (e["resource"]["resourceType"], e["resource"]["id"]): (
            e["fullUrl"],
            _without_narrative(e["resource"]),
        )
        for e in bundle["entry"]
    }


def test_all_nine_examples_are_present():
    assert len(EXAMPLES) == 9
    assert {p.suffix for p in EXAMPLES} == {".json", ".xml"}


@pytest.mark.parametrize("path", EXAMPLES, ids=_ids)
def test_example_parses(path):
    msg = parse_bundle(path.read_bytes())
    assert msg.event in {"new", "reply", "forward"}
    assert msg.header_id and msg.bundle_id == path.stem.removeprefix("Bundle-")
    assert msg.sender.sor and msg.receiver.sor and msg.sender.ean
    assert msg.communication.category in m.CATEGORIES
    assert msg.communication.identifier.startswith("urn:uuid:")
    assert msg.patient.identifiers and msg.patient.family
    texts = [p for p in msg.communication.payloads if p.text]
    assert texts
    for payload in texts:
        assert payload.author is not None and payload.author.name and payload.author.family
        assert payload.author.role_code or payload.author.role_text
        assert payload.phone and payload.timestamp and payload.identifier
    assert msg.current_provenance is not None


@pytest.mark.parametrize("path", EXAMPLES, ids=_ids)
def test_cpr_is_kept_out_of_repr(path):
    msg = parse_bundle(path.read_bytes())
    for cpr in (value for _system, value in msg.patient.identifiers):
        assert cpr not in repr(msg)
        assert cpr not in str(msg.patient)


@pytest.mark.parametrize("path", EXAMPLES, ids=_ids)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_round_trip_gives_equal_model(path, fmt):
    msg = parse_bundle(path.read_bytes())
    built = build_bundle(msg, format=fmt)
    assert built.lstrip()[:1] == (b"{" if fmt == "json" else b"<")
    assert parse_bundle(built) == msg


@pytest.mark.parametrize("path", EXAMPLES, ids=_ids)
def test_built_bundle_has_the_examples_structure(path):
    original = load_bundle_dict(path.read_bytes())
    built = json.loads(build_bundle(parse_bundle(path.read_bytes())))
    assert _signature(built) == _signature(original)
    assert built["meta"] == original["meta"] and built["type"] == "message"
    assert built["entry"][0]["resource"]["resourceType"] == "MessageHeader"
    # Same resources, fullUrls, references and values, apart from the generated narrative.
    assert _by_key(built) == _by_key(original)
    for entry in built["entry"]:
        assert entry["resource"]["text"]["div"].startswith('<div xmlns="http://www.w3.org/1999/xhtml">')


def test_built_xml_is_fhir_xml():
    msg = parse_bundle(_example("S-B").read_bytes())
    xml = build_bundle(msg, format="xml")
    assert b'<Bundle xmlns="http://hl7.org/fhir">' in xml
    assert (
        b'<extension url="http://medcomfhir.dk/ig/core/StructureDefinition/medcom-core-datetime-extension">'
        in xml
    )
    assert parse_bundle(xml) == msg


def test_unknown_format_is_refused():
    msg = parse_bundle(_example("S-C").read_bytes())
    with pytest.raises(ValueError, match="unknown format"):
        build_bundle(msg, format="yaml")


def test_priority_with_regarding_referral_and_attachment_metadata():
    msg = parse_bundle(_example("S-B").read_bytes())
    assert msg.communication.category == "regarding-referral"
    assert msg.communication.priority == "asap"
    (attachment,) = [p.attachment for p in msg.communication.payloads if p.attachment]
    assert attachment.content_type == "image/png"
    assert attachment.title == "madpyramiden"
    assert isinstance(attachment.data, bytes) and attachment.size == len(attachment.data) > 1000
    assert "data=" not in repr(attachment)


def test_reply_is_linked_to_the_message_it_answers():
    original = parse_bundle(_example("S-A").read_bytes())
    reply = parse_bundle(_example("S-Tek-C").read_bytes())
    assert original.event == "new" and original.previous_message_id is None
    assert reply.event == "reply"
    assert reply.previous_message_id == original.message_id == "0ebb6284-eb20-45eb-8113-6620d2d08608"
    # The reply carries the earlier segment too, with a new-message Provenance for it.
    activities = {p.activity for p in reply.provenance}
    assert activities == {"new-message", "reply-message"}
    assert len(reply.communication.payloads) == 2


def test_forward_is_linked_to_the_forwarded_message():
    forward = parse_bundle(_example("S-E").read_bytes())
    assert forward.event == "forward"
    assert forward.previous_message_id == "42fa2844-5020-45dd-bd5f-77137ba5ca1f"
    assert forward.current_provenance.activity == "forward-message"
    assert forward.patient.deceased is True


def test_replacement_cpr_identifiers_are_kept():
    msg = parse_bundle(_example("S-Tek-CPR").read_bytes())
    assert msg.patient.cpr is None
    assert [system for system, _value in msg.patient.identifiers] == [
        "urn:oid:1.2.208.176.1.6.1.1",
        "urn:oid:1.2.208.176.1.6.1.3",
    ]


def test_episode_of_care_and_careteam_are_read():
    eoc = parse_bundle(_example("S-Tek-B").read_bytes())
    assert eoc.communication.encounter.episode_of_care_value.startswith("urn:uuid:")
    team = parse_bundle(_example("S-A").read_bytes())
    assert isinstance(team.communication.sender, m.CareTeam)
    assert isinstance(team.communication.recipient, m.Author)


# ---------------------------------------------------------------------------- refusals


def _base(prefix: str = "S-A") -> dict:
    return load_bundle_dict(_example(prefix).read_bytes())


def _resource(bundle: dict, resource_type: str) -> dict:
    return next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == resource_type)


def _drop_bundle_profile(b):
    b["meta"]["profile"] = []


def _drop_communication_profile(b):
    del _resource(b, "Communication")["meta"]


def _wrong_category(b):
    _resource(b, "Communication")["category"][0]["coding"][0]["code"] = "gossip"


def _priority_with_wrong_category(b):
    _resource(b, "Communication")["priority"] = "asap"


def _other_without_topic(b):
    comm = _resource(b, "Communication")
    comm["category"][0]["coding"][0]["code"] = "other"
    del comm["topic"]


def _not_a_message(b):
    b["type"] = "collection"


def _not_a_bundle(b):
    b["resourceType"] = "Patient"


def _header_not_first(b):
    b["entry"].insert(0, b["entry"].pop(1))


def _no_patient(b):
    b["entry"] = [e for e in b["entry"] if e["resource"]["resourceType"] != "Patient"]


def _no_communication(b):
    b["entry"] = [e for e in b["entry"] if e["resource"]["resourceType"] != "Communication"]


INVALID = [
    (_drop_bundle_profile, "profile missing"),
    (_drop_communication_profile, "Communication.meta.profile"),
    (_wrong_category, "not in the ValueSet"),
    (_priority_with_wrong_category, "priority only with category regarding-referral"),
    (_other_without_topic, "'other' requires a topic"),
    (_not_a_message, "not a Bundle of type message"),
    (_not_a_bundle, "not a Bundle of type message"),
    (_header_not_first, "first entry is not a MessageHeader"),
    (_no_patient, "Patient"),
    (_no_communication, "no Communication"),
]


@pytest.mark.parametrize(("mutate", "reason"), INVALID, ids=[f.__name__.strip("_") for f, _ in INVALID])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_invalid_bundle_is_refused_with_reason(mutate, reason, fmt):
    bundle = copy.deepcopy(_base())
    mutate(bundle)
    if fmt == "json":
        data = json.dumps(bundle).encode()
    else:
        from portal.correspondence.medcom.fhirxml import dict_to_xml

        data = dict_to_xml(bundle)
    with pytest.raises(InvalidBundle) as excinfo:
        parse_bundle(data)
    assert reason in excinfo.value.reason
    assert TEST_CPR not in excinfo.value.reason


def test_priority_is_accepted_with_regarding_referral():
    bundle = _base("S-C")
    comm = _resource(bundle, "Communication")
    comm["category"][0]["coding"][0]["code"] = "regarding-referral"
    comm["priority"] = "asap"
    assert parse_bundle(json.dumps(bundle).encode()).communication.priority == "asap"


def test_other_with_topic_is_accepted():
    bundle = _base("S-C")
    _resource(bundle, "Communication")["category"][0]["coding"][0]["code"] = "other"
    assert parse_bundle(json.dumps(bundle).encode()).communication.category == "other"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Bundle xmlns="http://hl7.org/fhir"><id value="&lol3;"/><type value="message"/></Bundle>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE Bundle [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Bundle xmlns="http://hl7.org/fhir"><id value="&xxe;"/><type value="message"/></Bundle>"""

DTD_ONLY = b"""<?xml version="1.0"?>
<!DOCTYPE Bundle SYSTEM "http://example.invalid/bundle.dtd">
<Bundle xmlns="http://hl7.org/fhir"><type value="message"/></Bundle>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY, DTD_ONLY], ids=["bomb", "xxe", "dtd"])
def test_xml_with_dtd_or_entities_is_refused(data):
    with pytest.raises(InvalidBundle, match="DTD"):
        parse_bundle(data)


@pytest.mark.parametrize(
    "data",
    [b"", b"   ", b"hello", b"{not json", b"[1, 2]", b"<Bundle><unclosed>", b"<Bundle xmlns='urn:other'/>"],
    ids=["empty", "blank", "text", "badjson", "jsonlist", "badxml", "wrongns"],
)
def test_garbage_is_refused(data):
    with pytest.raises(InvalidBundle):
        parse_bundle(data)


def test_bundle_dict_rebuilds_sender_and_receiver_endpoints():
    msg = parse_bundle(_example("S-D").read_bytes())
    header = bundle_dict(msg)["entry"][0]["resource"]
    assert header["destination"][0]["endpoint"] == f"{m.SOR_ENDPOINT}{msg.receiver.sor}"
    assert header["source"]["endpoint"] == f"{m.SOR_ENDPOINT}{msg.sender.sor}"
    assert header["focus"] == [{"reference": f"Communication/{msg.communication.id}"}]


@pytest.mark.parametrize("event", ["reply", "forward"])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_built_reply_or_forward_links_to_previous(event, fmt):
    from portal.correspondence.medcom.building import reply_or_forward

    previous = parse_bundle(_example("S-A").read_bytes())
    author = next(p.author for p in previous.communication.payloads if p.author)
    payload = m.Payload(
        identifier="urn:uuid:2f7c0e55-6f0a-4f0e-9d0e-0d9e3c1b8a11",
        timestamp="2024-09-06T10:00:00+02:00",
        text="Svar: tak, vi ser på det.",
        author=author,
        phone="12345678",
        assigner_id=previous.receiver.id,
    )
    built = reply_or_forward(
        previous,
        event=event,
        header_id="7d1b8d0e-3b0e-4c5e-9a3e-5d0f6f3c2b10",
        provenance_id="a6f1c0de-1111-4a2b-8c3d-4e5f60718293",
        payload=payload,
        sender=previous.receiver,
        receiver=previous.sender,
        at="2024-09-06T10:00:00+02:00",
        bundle_id="b9a1c0de-2222-4a2b-8c3d-4e5f60718293",
    )
    parsed = parse_bundle(build_bundle(built, format=fmt))
    assert parsed == built
    assert parsed.event == event
    assert parsed.previous_message_id == previous.message_id
    assert parsed.conversation_id == previous.conversation_id
    assert parsed.communication.payloads[-1].text == "Svar: tak, vi ser på det."
    assert {p.activity for p in parsed.provenance} == {"new-message", f"{event}-message"}


def test_reply_or_forward_rejects_other_events():
    from portal.correspondence.medcom.building import reply_or_forward

    previous = parse_bundle(_example("S-C").read_bytes())
    with pytest.raises(ValueError, match="reply"):
        reply_or_forward(
            previous,
            event="new",
            header_id="x",
            provenance_id="y",
            payload=previous.communication.payloads[0],
            sender=previous.sender,
            receiver=previous.receiver,
            at="2024-09-06T10:00:00+02:00",
        )
