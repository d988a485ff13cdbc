"""Write the typed model as a MedCom CareCommunication message bundle (FHIR R4 JSON or XML)."""

from __future__ import annotations

import base64
import json
from html import escape

from . import model as m
from .fhirxml import dict_to_xml

DEFAULT_BASE_URL = "https://medcomfhir.dk/ig/carecommunication"
XHTML = "http://www.w3.org/1999/xhtml"


def _meta(resource_type: str) -> dict:
    return {"profile": [m.PROFILES[resource_type]]}


def _narrative(summary: str, status: str = "generated") -> dict:
    return {"status": status, "div": f'<div xmlns="{XHTML}"><p>{escape(summary, quote=False)}</p></div>'}


def _ref(resource_type: str, rid: str) -> dict:
    return {"reference": f"{resource_type}/{rid}"}


def _resource(resource_type: str, rid: str, summary: str, status: str = "generated") -> dict:
    return {
        "resourceType": resource_type,
        "id": rid,
        "meta": _meta(resource_type),
        "text": _narrative(summary, status),
    }


def _coding(system: str | None, code: str | None) -> dict:
    out = {}
    if system:
        out["system"] = system
    if code:
        out["code"] = code
    return out


def _human_name(family: str | None, given: tuple[str, ...], use: str | None = None) -> list:
    name: dict = {}
    if use:
        name["use"] = use
    if family:
        name["family"] = family
    if given:
        name["given"] = list(given)
    return [name] if name else []


def _patient(p: m.Patient) -> dict:
    res = _resource("Patient", p.id, f"Patient {p.name}".strip())
    if p.identifiers:
        res["identifier"] = [{"system": s, "value": v} if s else {"value": v} for s, v in p.identifiers]
    name = _human_name(p.family, p.given, p.name_use)
    if name:
        res["name"] = name
    if p.deceased is not None:
        res["deceasedBoolean"] = p.deceased
    return res


def _organization(o: m.Organization) -> dict:
    res = _resource("Organization", o.id, f"Organization {o.name or o.sor or o.id}")
    identifiers = []
    if o.ean:
        identifiers.append({"system": m.EAN_SYSTEM, "value": o.ean})
    if o.sor:
        identifiers.append({"system": m.SOR_SYSTEM, "value": o.sor})
    if identifiers:
        res["identifier"] = identifiers
    if o.name:
        res["name"] = o.name
    return res


def _author_resources(a: m.Author) -> list[dict]:
    role = _resource(
        "PractitionerRole", a.role_id, f"PractitionerRole {a.role_code or a.role_text or ''}".strip()
    )
    if a.practitioner_id:
        role["practitioner"] = _ref("Practitioner", a.practitioner_id)
    if a.organization_id:
        role["organization"] = _ref("Organization", a.organization_id)
    code: dict = {}
    if a.role_code or a.role_system:
        code["coding"] = [_coding(a.role_system, a.role_code)]
    if a.role_text:
        code["text"] = a.role_text
    if code:
        role["code"] = [code]
    out = [role]
    if a.practitioner_id:
        practitioner = _resource("Practitioner", a.practitioner_id, f"Practitioner {a.name}".strip())
        name = _human_name(a.family, a.given)
        if name:
            practitioner["name"] = name
        out.append(practitioner)
    return out


def _careteam(t: m.CareTeam) -> dict:
    res = _resource("CareTeam", t.id, f"CareTeam {t.name or t.id}")
    if t.name:
        res["name"] = t.name
    if t.managing_organization_id:
        res["managingOrganization"] = [_ref("Organization", t.managing_organization_id)]
    return res


def _encounter(e: m.Encounter, patient_id: str) -> dict:
    res = _resource("Encounter", e.id, f"Encounter {e.id}")
    if e.status:
        res["status"] = e.status
    if e.class_code or e.class_system:
        res["class"] = _coding(e.class_system, e.class_code)
    res["subject"] = _ref("Patient", patient_id)
    if e.episode_of_care_value:
        ident = {"value": e.episode_of_care_value}
        if e.episode_of_care_system:
            ident = {"system": e.episode_of_care_system, **ident}
        res["episodeOfCare"] = [{"identifier": ident}]
    return res


def _party_ref(party: m.Author | m.CareTeam) -> dict:
    if isinstance(party, m.CareTeam):
        return _ref("CareTeam", party.id)
    return _ref("PractitionerRole", party.role_id)


def _payload(p: m.Payload) -> dict:
    extensions = []
    if p.timestamp:
        extensions.append({"url": m.EXT_DATETIME, "valueDateTime": p.timestamp})
    if p.identifier:
        ident: dict = {"value": p.identifier}
        if p.assigner_id:
            ident["assigner"] = _ref("Organization", p.assigner_id)
        extensions.append({"url": m.EXT_IDENTIFIER, "valueIdentifier": ident})
    if p.author:
        extensions.append({"url": m.EXT_AUTHOR, "valueReference": _ref("PractitionerRole", p.author.role_id)})
    if p.phone:
        extensions.append({"url": m.EXT_CONTACT, "valueContactPoint": {"system": "phone", "value": p.phone}})
    out: dict = {}
    if extensions:
        out["extension"] = extensions
    if p.text is not None:
        out["contentString"] = p.text
    elif p.attachment is not None:
        a = p.attachment
        att: dict = {}
        if a.content_type:
            att["contentType"] = a.content_type
        if a.data is not None:
            att["data"] = base64.b64encode(a.data).decode("ascii")
        if a.url:
            att["url"] = a.url
        if a.declared_size is not None:
            att["size"] = a.declared_size
        if a.title:
            att["title"] = a.title
        if a.creation:
            att["creation"] = a.creation
        out["contentAttachment"] = att
    return out


def _communication(c: m.Communication, patient_id: str) -> dict:
    res = _resource(
        "Communication", c.id, f"Communication {c.category}: {c.topic or ''}".strip(), "extensions"
    )
    if c.sender is not None:
        res["extension"] = [{"url": m.EXT_SENDER, "valueReference": _party_ref(c.sender)}]
    res["identifier"] = [{"value": c.identifier}]
    res["status"] = c.status
    res["category"] = [{"coding": [_coding(m.CATEGORY_SYSTEM, c.category)]}]
    if c.priority:
        res["priority"] = c.priority
    res["subject"] = _ref("Patient", patient_id)
    if c.topic:
        res["topic"] = {"text": c.topic}
    if c.encounter is not None:
        res["encounter"] = _ref("Encounter", c.encounter.id)
    if c.recipient is not None:
        res["recipient"] = [_party_ref(c.recipient)]
    res["payload"] = [_payload(p) for p in c.payloads]
    return res


def _provenance(p: m.Provenance) -> dict:
    res = _resource("Provenance", p.id, f"Provenance {p.activity or ''}".strip())
    if p.target_id:
        res["target"] = [_ref("MessageHeader", p.target_id)]
    if p.occurred:
        res["occurredDateTime"] = p.occurred
    if p.recorded:
        res["recorded"] = p.recorded
    if p.activity:
        res["activity"] = {"coding": [_coding(m.ACTIVITY_SYSTEM, p.activity)]}
    if p.agent_id:
        res["agent"] = [{"who": _ref("Organization", p.agent_id)}]
    entities = []
    for e in p.entities:
        what: dict = {}
        if e.reference:
            what["reference"] = e.reference
        if e.identifier:
            what["identifier"] = {"value": e.identifier}
        entity: dict = {"role": e.role} if e.role else {}
        entity["what"] = what
        entities.append(entity)
    if entities:
        res["entity"] = entities
    return res


def _header(msg: m.CareCommunicationMessage) -> dict:
    res = _resource("MessageHeader", msg.header_id, f"MessageHeader {msg.header_id}")
    res["eventCoding"] = _coding(m.EVENT_SYSTEM, m.EVENT_CODE)
    destination = {
        "extension": [
            {"url": m.EXT_DESTINATION_USE, "valueCoding": _coding(m.DESTINATION_USE_SYSTEM, "primary")},
        ],
        "endpoint": msg.destination_endpoint or f"{m.SOR_ENDPOINT}{msg.receiver.sor or ''}",
        "receiver": _ref("Organization", msg.receiver.id),
    }
    res["destination"] = [destination]
    res["sender"] = _ref("Organization", msg.sender.id)
    res["source"] = {"endpoint": msg.source_endpoint or f"{m.SOR_ENDPOINT}{msg.sender.sor or ''}"}
    res["focus"] = [_ref("Communication", msg.communication.id)]
    res["definition"] = m.MESSAGE_DEFINITION
    return res


def bundle_dict(msg: m.CareCommunicationMessage, base_url: str = DEFAULT_BASE_URL) -> dict:
    """The message as a JSON-shaped FHIR Bundle of type message."""
    comm = msg.communication
    resources = [_header(msg), _patient(msg.patient), _communication(comm, msg.patient.id)]
    seen: set[tuple[str, str]] = set()

    def add(res: dict) -> None:
        key = (res["resourceType"], res["id"])
        if key not in seen:
            seen.add(key)
            resources.append(res)

    # Newest message segment's author first, as in MedCom's examples.
    parties = [p.author for p in reversed(comm.payloads) if p.author]
    parties += [x for x in (comm.sender, comm.recipient) if x]
    for party in parties:
        if isinstance(party, m.Author):
            for res in _author_resources(party):
                add(res)
    for party in (comm.sender, comm.recipient):
        if isinstance(party, m.CareTeam):
            add(_careteam(party))
    if comm.encounter is not None:
        add(_encounter(comm.encounter, msg.patient.id))
    organizations = list(msg.organizations)
    for org in (msg.sender, msg.receiver):
        if all(o.id != org.id for o in organizations):
            organizations.append(org)
    for org in organizations:
        add(_organization(org))
    for prov in msg.provenance:
        add(_provenance(prov))

    bundle: dict = {"resourceType": "Bundle"}
    if msg.bundle_id:
        bundle["id"] = msg.bundle_id
    bundle["meta"] = _meta("Bundle")
    bundle["type"] = "message"
    if msg.timestamp:
        bundle["timestamp"] = msg.timestamp
    bundle["entry"] = [
        {"fullUrl": f"{base_url}/{res['resourceType']}/{res['id']}", "resource": res} for res in resources
    ]
    return bundle


def build_bundle(
    msg: m.CareCommunicationMessage, format: str = "json", base_url: str = DEFAULT_BASE_URL
) -> bytes:
    """Serialise the message as FHIR JSON (``format="json"``) or FHIR XML (``format="xml"``)."""
    bundle = bundle_dict(msg, base_url=base_url)
    if format == "json":
        return json.dumps(bundle, ensure_ascii=False, indent=2).encode("utf-8")
    if format == "xml":
        return dict_to_xml(bundle)
    raise ValueError(f"unknown format {format!r}: use 'json' or 'xml'")


def reply_or_forward(
    previous: m.CareCommunicationMessage,
    *,
    event: str,
    header_id: str,
    provenance_id: str,
    payload: m.Payload,
    sender: m.Organization,
    receiver: m.Organization,
    at: str,
    bundle_id: str | None = None,
) -> m.CareCommunicationMessage:
    """A reply or forward (``event``) of ``previous``, linked as MedCom links it.

    The new segment is appended to ``payload`` (chronological, as in MedCom's examples); the earlier
    segments and Provenance entries are kept; a new Provenance targets the new MessageHeader with
    activity reply-/forward-message, the new segment's identifier as ``source`` and the previous
    MessageHeader as ``revision``. A reply keeps the
    Communication identifier of the conversation.
    """
    if event not in ("reply", "forward"):
        raise ValueError("event must be 'reply' or 'forward'")
    provenance = m.Provenance(
        id=provenance_id,
        target_id=header_id,
        activity=m.EVENT_ACTIVITIES[event],
        occurred=at,
        recorded=at,
        agent_id=sender.id,
        entities=(
            m.ProvenanceEntity(role="source", identifier=payload.identifier),
            m.ProvenanceEntity(role="revision", reference=f"MessageHeader/{previous.header_id}"),
        ),
    )
    organizations = list(previous.organizations)
    for org in (sender, receiver):
        if all(o.id != org.id for o in organizations):
            organizations.append(org)
    comm = previous.communication
    communication = m.Communication(
        id=comm.id,
        identifier=comm.identifier,
        category=comm.category,
        topic=comm.topic,
        priority=comm.priority,
        payloads=(*comm.payloads, payload),
        encounter=comm.encounter,
        status=comm.status,
    )
    return m.CareCommunicationMessage(
        bundle_id=bundle_id,
        timestamp=at,
        header_id=header_id,
        event=event,
        sender=sender,
        receiver=receiver,
        patient=previous.patient,
        communication=communication,
        provenance=(*previous.provenance, provenance),
        organizations=tuple(organizations),
        source_endpoint=f"{m.SOR_ENDPOINT}{sender.sor}" if sender.sor else None,
        destination_endpoint=f"{m.SOR_ENDPOINT}{receiver.sor}" if receiver.sor else None,
    )
