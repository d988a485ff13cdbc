"""Read a MedCom CareCommunication message bundle (FHIR R4 JSON or XML) into the typed model.

Every refusal raises :class:`InvalidBundle` with a reason fit to show an operator. Reasons never
contain CPR numbers or message text.
"""

from __future__ import annotations

import base64
import binascii
import json

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from django.utils import translation

from . import model as m
from .fhirxml import XmlError, xml_to_dict


class InvalidBundle(ValueError):
    """The bundle is not an acceptable MedCom CareCommunication message."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def load_bundle_dict(data: bytes) -> dict:
    """Decode FHIR JSON or XML (decided by the first non-space byte) into a JSON-shaped dict."""
    stripped = data.lstrip(b" \t\r\n\xef\xbb\xbf")
    if not stripped:
        raise InvalidBundle("Tom fil: ingen FHIR-ressource (empty input).")
    if stripped[:1] == b"{":
        try:
            doc = json.loads(stripped.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InvalidBundle(f"Ugyldig JSON (invalid JSON): {exc.__class__.__name__}") from None
    elif stripped[:1] == b"<":
        try:
            doc = xml_to_dict(stripped)
        except DefusedXmlException as exc:
            raise InvalidBundle(
                f"XML med DTD/entiteter afvist (DTD or entity declarations refused): {exc.__class__.__name__}"
            ) from None
        except (ParseError, XmlError) as exc:
            raise InvalidBundle(f"Ugyldig FHIR XML (invalid FHIR XML): {exc}") from None
    else:
        raise InvalidBundle("Hverken FHIR JSON eller XML (neither FHIR JSON nor XML).")
    if not isinstance(doc, dict):
        raise InvalidBundle("Ikke en FHIR-ressource (not a FHIR resource).")
    return doc


def parse_bundle(data: bytes) -> m.CareCommunicationMessage:
    """Parse and validate a CareCommunication message bundle given as FHIR JSON or XML bytes."""
    return parse_bundle_dict(load_bundle_dict(data))


# ---------------------------------------------------------------------------- helpers


def _profiles(resource: dict) -> list:
    meta = resource.get("meta")
    profiles = meta.get("profile") if isinstance(meta, dict) else None
    return profiles if isinstance(profiles, list) else []


def _split_ref(ref: dict | None) -> tuple[str | None, str | None]:
    if not isinstance(ref, dict) or not isinstance(ref.get("reference"), str):
        return None, None
    value = ref["reference"]
    if value.startswith("urn:uuid:"):
        return None, value[len("urn:uuid:") :]
    parts = value.rstrip("/").split("/")
    if len(parts) < 2:
        return None, None
    return parts[-2], parts[-1]


def _first_coding(concept) -> dict:
    if isinstance(concept, list):
        concept = concept[0] if concept else {}
    if not isinstance(concept, dict):
        return {}
    codings = concept.get("coding") or []
    return codings[0] if codings and isinstance(codings[0], dict) else {}


def _ext(element: dict, url: str) -> dict | None:
    for ext in element.get("extension") or []:
        if isinstance(ext, dict) and ext.get("url") == url:
            return ext
    return None


class _Index:
    def __init__(self, entries: list):
        self.by_ref: dict[tuple[str, str], dict] = {}
        self.by_full_url: dict[str, dict] = {}
        for entry in entries:
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if not isinstance(resource, dict):
                raise InvalidBundle("En entry mangler resource (an entry has no resource).")
            rtype, rid = resource.get("resourceType"), resource.get("id")
            if isinstance(rid, str):
                self.by_ref[(rtype, rid)] = resource
            if isinstance(entry.get("fullUrl"), str):
                self.by_full_url[entry["fullUrl"]] = resource

    def resolve(self, ref: dict | None, *types: str) -> dict | None:
        if isinstance(ref, dict) and ref.get("reference") in self.by_full_url:
            found = self.by_full_url[ref["reference"]]
        else:
            rtype, rid = _split_ref(ref)
            if rid is None:
                return None
            found = self.by_ref.get((rtype, rid)) if rtype else None
            if found is None:
                found = next(
                    (r for (t, i), r in self.by_ref.items() if i == rid and (not types or t in types)), None
                )
        if found is not None and types and found.get("resourceType") not in types:
            return None
        return found


def _organization(res: dict) -> m.Organization:
    sor = ean = None
    for ident in res.get("identifier") or []:
        if ident.get("system") == m.SOR_SYSTEM:
            sor = ident.get("value")
        elif ident.get("system") == m.EAN_SYSTEM:
            ean = ident.get("value")
    return m.Organization(id=res.get("id"), sor=sor, ean=ean, name=res.get("name"))


def _human_name(res: dict) -> tuple[str | None, tuple[str, ...], str | None]:
    names = res.get("name") or []
    name = names[0] if names and isinstance(names[0], dict) else {}
    return name.get("family"), tuple(name.get("given") or ()), name.get("use")


def _author(role: dict, index: _Index) -> m.Author:
    practitioner = index.resolve(role.get("practitioner"), "Practitioner")
    family, given, _use = _human_name(practitioner or {})
    codes = role.get("code") or []
    code = codes[0] if codes and isinstance(codes[0], dict) else {}
    coding = _first_coding(code)
    _t, org_id = _split_ref(role.get("organization"))
    return m.Author(
        role_id=role.get("id"),
        practitioner_id=practitioner.get("id") if practitioner else None,
        family=family,
        given=given,
        role_code=coding.get("code"),
        role_system=coding.get("system"),
        role_text=code.get("text"),
        organization_id=org_id,
    )


def _party(ref: dict | None, index: _Index) -> m.Author | m.CareTeam | None:
    res = index.resolve(ref, "PractitionerRole", "CareTeam")
    if res is None:
        return None
    if res["resourceType"] == "PractitionerRole":
        return _author(res, index)
    managing = res.get("managingOrganization") or []
    _t, org_id = _split_ref(managing[0] if managing else None)
    return m.CareTeam(id=res.get("id"), name=res.get("name"), managing_organization_id=org_id)


def _payload(item: dict, index: _Index) -> m.Payload:
    date = _ext(item, m.EXT_DATETIME) or {}
    ident = (_ext(item, m.EXT_IDENTIFIER) or {}).get("valueIdentifier") or {}
    author_ext = _ext(item, m.EXT_AUTHOR) or {}
    contact = (_ext(item, m.EXT_CONTACT) or {}).get("valueContactPoint") or {}
    role = index.resolve(author_ext.get("valueReference"), "PractitionerRole")
    attachment = None
    if isinstance(item.get("contentAttachment"), dict):
        att = item["contentAttachment"]
        data = None
        if isinstance(att.get("data"), str):
            try:
                data = base64.b64decode(att["data"], validate=False)
            except (binascii.Error, ValueError):
                raise InvalidBundle(
                    "Vedhæftet fil er ikke gyldig base64 (attachment data is not base64)."
                ) from None
        attachment = m.Attachment(
            content_type=att.get("contentType"),
            title=att.get("title"),
            data=data,
            url=att.get("url"),
            creation=att.get("creation"),
            declared_size=att.get("size") if data is None else None,
        )
    text = item.get("contentString")
    if text is None and attachment is None:
        raise InvalidBundle("Et payload har hverken tekst eller vedhæftning (a payload has no content).")
    _t, assigner = _split_ref(ident.get("assigner"))
    return m.Payload(
        identifier=ident.get("value"),
        timestamp=date.get("valueDateTime"),
        text=text,
        attachment=attachment,
        author=_author(role, index) if role else None,
        phone=contact.get("value"),
        assigner_id=assigner,
    )


def _encounter(res: dict) -> m.Encounter:
    klass = res.get("class") or {}
    episodes = res.get("episodeOfCare") or []
    eoc = (episodes[0].get("identifier") or {}) if episodes else {}
    return m.Encounter(
        id=res.get("id"),
        status=res.get("status"),
        class_system=klass.get("system"),
        class_code=klass.get("code"),
        episode_of_care_system=eoc.get("system"),
        episode_of_care_value=eoc.get("value"),
    )


def _provenance(res: dict) -> m.Provenance:
    targets = res.get("target") or []
    _t, target = _split_ref(targets[0] if targets else None)
    agents = res.get("agent") or []
    _t, agent = _split_ref(agents[0].get("who") if agents else None)
    entities = []
    for ent in res.get("entity") or []:
        what = ent.get("what") or {}
        entities.append(
            m.ProvenanceEntity(
                role=ent.get("role"),
                identifier=(what.get("identifier") or {}).get("value"),
                reference=what.get("reference"),
            )
        )
    return m.Provenance(
        id=res.get("id"),
        target_id=target,
        activity=_first_coding(res.get("activity")).get("code"),
        occurred=res.get("occurredDateTime"),
        recorded=res.get("recorded"),
        agent_id=agent,
        entities=tuple(entities),
    )


# ---------------------------------------------------------------------------- validation + model


def parse_bundle_dict(doc: dict) -> m.CareCommunicationMessage:
    """Validate a JSON-shaped bundle against the CareCommunication rules and build the model."""
    if doc.get("resourceType") != "Bundle" or doc.get("type") != "message":
        raise InvalidBundle("Ikke en FHIR Bundle af typen 'message' (not a Bundle of type message).")
    if m.MESSAGE_PROFILE not in _profiles(doc):
        raise InvalidBundle(
            f"MedCom-profilen mangler i Bundle.meta.profile (MedCom profile missing): {m.MESSAGE_PROFILE}"
        )
    entries = doc.get("entry")
    if not isinstance(entries, list) or not entries:
        raise InvalidBundle("Bundle har ingen entries (bundle has no entries).")
    index = _Index(entries)
    header = entries[0]["resource"]
    if header.get("resourceType") != "MessageHeader":
        raise InvalidBundle("Første entry er ikke en MessageHeader (first entry is not a MessageHeader).")
    for entry in entries:
        res = entry["resource"]
        expected = m.PROFILES.get(res.get("resourceType"))
        if expected and expected not in _profiles(res):
            raise InvalidBundle(
                f"MedCom-profilen mangler i {res.get('resourceType')}.meta.profile "
                f"(MedCom profile missing): {expected}"
            )

    focus = header.get("focus") or []
    comm = index.resolve(focus[0] if focus else None, "Communication")
    if comm is None:
        comm = next(
            (e["resource"] for e in entries if e["resource"].get("resourceType") == "Communication"), None
        )
    if comm is None:
        raise InvalidBundle("Communication mangler (no Communication in the bundle).")
    patient_res = index.resolve(comm.get("subject"), "Patient")
    if patient_res is None:
        raise InvalidBundle("Patient mangler (Communication.subject does not resolve to a Patient).")

    category_coding = _first_coding(comm.get("category"))
    category = category_coding.get("code")
    if not category:
        raise InvalidBundle("Communication.category mangler (no category).")
    if category not in m.CATEGORIES or category_coding.get("system") != m.CATEGORY_SYSTEM:
        raise InvalidBundle(
            f"Kategorien '{category}' er ikke i MedComs værdisæt (category not in the ValueSet "
            "medcom-careCommunication-categories)."
        )
    priority = comm.get("priority")
    topic = (comm.get("topic") or {}).get("text")
    violations = m.category_rule_violations(category=category, topic=topic or "", priority=priority or "")
    if violations:
        with translation.override("da"):
            reasons = [
                f"{reason} ({m.CATEGORY_RULE_INVARIANTS[field]})" for field, reason in violations.items()
            ]
        raise InvalidBundle(" ".join(reasons))
    identifiers = comm.get("identifier") or []
    comm_identifier = (
        identifiers[0].get("value") if identifiers and isinstance(identifiers[0], dict) else None
    )
    if not comm_identifier:
        raise InvalidBundle("Communication.identifier mangler (no Communication identifier).")
    payload_items = comm.get("payload") or []
    if not any(isinstance(p, dict) and p.get("contentString") for p in payload_items):
        raise InvalidBundle("Ingen beskedtekst i payload (at least one text payload is required).")

    destinations = header.get("destination") or []
    destination = destinations[0] if destinations else {}
    sender_res = index.resolve(header.get("sender"), "Organization")
    receiver_res = index.resolve(destination.get("receiver"), "Organization")
    if sender_res is None or receiver_res is None:
        raise InvalidBundle(
            "Afsender- eller modtagerorganisation mangler (sender or receiver Organization missing)."
        )

    provenance = tuple(
        _provenance(e["resource"]) for e in entries if e["resource"].get("resourceType") == "Provenance"
    )
    header_id = header.get("id")
    current = next((p for p in provenance if p.target_id == header_id), None)
    event_code = _first_coding([{"coding": [header.get("eventCoding") or {}]}]).get("code")
    event = m.ACTIVITY_EVENTS.get(current.activity if current else None) or m.ACTIVITY_EVENTS.get(event_code)
    if event is None:
        raise InvalidBundle(
            "Ingen Provenance med aktivitet new-/reply-/forward-message for denne MessageHeader "
            "(no Provenance activity for this message)."
        )

    family, given, use = _human_name(patient_res)
    patient = m.Patient(
        id=patient_res.get("id"),
        identifiers=tuple(
            (i.get("system"), i.get("value")) for i in patient_res.get("identifier") or [] if i.get("value")
        ),
        family=family,
        given=given,
        name_use=use,
        deceased=patient_res.get("deceasedBoolean"),
    )
    sender_ext = _ext(comm, m.EXT_SENDER) or {}
    recipients = comm.get("recipient") or []
    encounter_res = index.resolve(comm.get("encounter"), "Encounter")
    communication = m.Communication(
        id=comm.get("id"),
        identifier=comm_identifier,
        category=category,
        topic=topic,
        priority=priority,
        payloads=tuple(_payload(p, index) for p in payload_items),
        sender=_party(sender_ext.get("valueReference"), index),
        recipient=_party(recipients[0] if recipients else None, index),
        encounter=_encounter(encounter_res) if encounter_res else None,
        status=comm.get("status") or "unknown",
    )
    return m.CareCommunicationMessage(
        bundle_id=doc.get("id"),
        timestamp=doc.get("timestamp"),
        header_id=header_id,
        event=event,
        sender=_organization(sender_res),
        receiver=_organization(receiver_res),
        patient=patient,
        communication=communication,
        provenance=provenance,
        organizations=tuple(
            _organization(e["resource"])
            for e in entries
            if e["resource"].get("resourceType") == "Organization"
        ),
        source_endpoint=(header.get("source") or {}).get("endpoint"),
        destination_endpoint=destination.get("endpoint"),
    )
