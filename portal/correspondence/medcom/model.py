"""Typed model of a MedCom CareCommunication message (FHIR R4 message bundle).

The model keeps the FHIR resource ids so that a parsed bundle can be rebuilt
with the same references. CPR numbers are held in memory only and are kept out
of ``repr()`` so that they never end up in logs or tracebacks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

BASE = "http://medcomfhir.dk/ig"
MESSAGE_PROFILE = f"{BASE}/carecommunication/StructureDefinition/medcom-careCommunication-message"
HEADER_PROFILE = f"{BASE}/carecommunication/StructureDefinition/medcom-careCommunication-messageHeader"
COMMUNICATION_PROFILE = f"{BASE}/carecommunication/StructureDefinition/medcom-careCommunication-communication"
PROVENANCE_PROFILE = f"{BASE}/carecommunication/StructureDefinition/medcom-careCommunication-provenance"
PATIENT_PROFILE = f"{BASE}/core/StructureDefinition/medcom-core-patient"
PRACTITIONER_PROFILE = f"{BASE}/core/StructureDefinition/medcom-core-practitioner"
PRACTITIONER_ROLE_PROFILE = f"{BASE}/core/StructureDefinition/medcom-core-practitionerrole"
CARETEAM_PROFILE = f"{BASE}/core/StructureDefinition/medcom-core-careteam"
ENCOUNTER_PROFILE = f"{BASE}/core/StructureDefinition/medcom-core-encounter"
ORGANIZATION_PROFILE = f"{BASE}/messaging/StructureDefinition/medcom-messaging-organization"

#: meta.profile each resource type must carry in a CareCommunication bundle.
PROFILES = {
    "Bundle": MESSAGE_PROFILE,
    "MessageHeader": HEADER_PROFILE,
    "Communication": COMMUNICATION_PROFILE,
    "Provenance": PROVENANCE_PROFILE,
    "Patient": PATIENT_PROFILE,
    "Practitioner": PRACTITIONER_PROFILE,
    "PractitionerRole": PRACTITIONER_ROLE_PROFILE,
    "CareTeam": CARETEAM_PROFILE,
    "Encounter": ENCOUNTER_PROFILE,
    "Organization": ORGANIZATION_PROFILE,
}

SOR_SYSTEM = "urn:oid:1.2.208.176.1.1"
EAN_SYSTEM = "https://www.gs1.org/gln"
CPR_SYSTEM = "urn:oid:1.2.208.176.1.2"
SOR_ENDPOINT = "https://sor2.sum.dsdn.dk/#id="

EVENT_SYSTEM = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-eventCodes"
EVENT_CODE = "care-communication-message"
ACTIVITY_SYSTEM = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-activityCodes"
CATEGORY_SYSTEM = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-careCommunication-categoryCodes"
PRIORITY_SYSTEM = "http://hl7.org/fhir/request-priority"
DESTINATION_USE_SYSTEM = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-destinationUse"
MESSAGE_DEFINITION = (
    "http://medcomfhir.dk/ig/messagedefinitions/MessageDefinition/"
    "MedComCareCommunicationMessageDefinition|5.0"
)

EXT_DATETIME = f"{BASE}/core/StructureDefinition/medcom-core-datetime-extension"
EXT_IDENTIFIER = f"{BASE}/core/StructureDefinition/medcom-core-identifier-extension"
EXT_AUTHOR = f"{BASE}/core/StructureDefinition/medcom-core-practitioner-extension"
EXT_CONTACT = f"{BASE}/core/StructureDefinition/medcom-core-contact-extension"
EXT_SENDER = f"{BASE}/core/StructureDefinition/medcom-core-sender-extension"
EXT_DESTINATION_USE = f"{BASE}/messaging/StructureDefinition/medcom-messaging-destinationUseExtension"

#: ValueSet medcom-careCommunication-categories (CodeSystem medcom-careCommunication-categoryCodes).
CATEGORIES = frozenset(
    {
        "alcohol-and-drug-treatment",
        "assistive-devices",
        "carecoordination",
        "decease",
        "discharge",
        "examination-results",
        "healthcare",
        "home-care-assessment",
        "medicine",
        "nursing",
        "outpatient",
        "psychiatry-social-disability",
        "regarding-referral",
        "telemedicine",
        "training",
        "acute-ambulant",
        "extended-care-responsibility",
        "other",
    }
)
#: Category in which Communication.priority is allowed (invariant medcom-careCommunication-5).
PRIORITY_CATEGORY = "regarding-referral"


#: The invariant behind each field of ``category_rule_violations``, named in import refusals.
CATEGORY_RULE_INVARIANTS = {
    "priority": "priority only with category regarding-referral; medcom-careCommunication-5",
    "topic": "category 'other' requires a topic; medcom-careCommunication-6",
}


def category_rule_violations(*, category: str, topic: str, priority: str) -> dict[str, str]:
    """MedCom's rule on category, topic and priority (invariants medcom-careCommunication-5
    and -6), by field. Its one home: ``Thread.clean()`` asks it for every thread, however
    opened, and the parser for every incoming Communication."""
    violations = {}
    if category == "other" and not (topic or "").strip():
        violations["topic"] = _("A thread in the category “other” needs a topic.")
    if priority and category != PRIORITY_CATEGORY:
        violations["priority"] = _("Priority can only be given when the thread concerns a referral.")
    return violations


#: Provenance.activity codes ↔ the message's event.
ACTIVITY_EVENTS = {"new-message": "new", "reply-message": "reply", "forward-message": "forward"}
EVENT_ACTIVITIES = {v: k for k, v in ACTIVITY_EVENTS.items()}


@dataclass(frozen=True)
class Organization:
    id: str
    sor: str | None = None
    ean: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class Author:
    """A PractitionerRole with its Practitioner: always a named clinician."""

    role_id: str
    practitioner_id: str | None
    family: str | None = None
    given: tuple[str, ...] = ()
    role_code: str | None = None
    role_system: str | None = None
    role_text: str | None = None
    organization_id: str | None = None

    @property
    def name(self) -> str:
        return " ".join([*self.given, self.family or ""]).strip()


@dataclass(frozen=True)
class CareTeam:
    id: str
    name: str | None = None
    managing_organization_id: str | None = None


@dataclass(frozen=True)
class Attachment:
    content_type: str | None = None
    title: str | None = None
    data: bytes | None = field(default=None, repr=False)
    url: str | None = None
    creation: str | None = None
    declared_size: int | None = None

    @property
    def size(self) -> int | None:
        if self.data is not None:
            return len(self.data)
        return self.declared_size


@dataclass(frozen=True)
class Payload:
    """One message segment: a text or an attachment, with its author and time."""

    identifier: str | None
    timestamp: str | None
    text: str | None = None
    attachment: Attachment | None = None
    author: Author | None = None
    phone: str | None = None
    assigner_id: str | None = None


@dataclass(frozen=True)
class Encounter:
    id: str
    status: str | None = None
    class_system: str | None = None
    class_code: str | None = None
    episode_of_care_system: str | None = None
    episode_of_care_value: str | None = None


@dataclass(frozen=True)
class Communication:
    id: str
    identifier: str
    category: str
    topic: str | None = None
    priority: str | None = None
    payloads: tuple[Payload, ...] = ()
    sender: Author | CareTeam | None = None
    recipient: Author | CareTeam | None = None
    encounter: Encounter | None = None
    status: str = "unknown"


@dataclass(frozen=True)
class Patient:
    id: str
    #: (system, value) pairs; the values are CPR / replacement CPR numbers: never log them.
    identifiers: tuple[tuple[str | None, str], ...] = field(default=(), repr=False)
    family: str | None = None
    given: tuple[str, ...] = ()
    name_use: str | None = None
    deceased: bool | None = None

    @property
    def cpr(self) -> str | None:
        for system, value in self.identifiers:
            if system == CPR_SYSTEM:
                return value
        return None

    @property
    def name(self) -> str:
        return " ".join([*self.given, self.family or ""]).strip()


@dataclass(frozen=True)
class ProvenanceEntity:
    role: str | None
    identifier: str | None = None
    reference: str | None = None


@dataclass(frozen=True)
class Provenance:
    id: str
    target_id: str | None
    activity: str | None
    occurred: str | None = None
    recorded: str | None = None
    agent_id: str | None = None
    entities: tuple[ProvenanceEntity, ...] = ()

    @property
    def previous_message_id(self) -> str | None:
        """The MessageHeader id of the message this revision answers or forwards."""
        for entity in self.entities:
            if (
                entity.role == "revision"
                and entity.reference
                and entity.reference.startswith("MessageHeader/")
            ):
                return entity.reference.split("/", 1)[1]
        return None


@dataclass(frozen=True)
class CareCommunicationMessage:
    bundle_id: str | None
    timestamp: str | None
    header_id: str
    event: str  # "new" | "reply" | "forward"
    sender: Organization
    receiver: Organization
    patient: Patient
    communication: Communication
    provenance: tuple[Provenance, ...] = ()
    organizations: tuple[Organization, ...] = ()
    source_endpoint: str | None = None
    destination_endpoint: str | None = None

    @property
    def message_id(self) -> str:
        """The id that identifies this message: the MessageHeader id (used by Provenance links)."""
        return self.header_id

    @property
    def current_provenance(self) -> Provenance | None:
        for prov in self.provenance:
            if prov.target_id == self.header_id:
                return prov
        return None

    @property
    def previous_message_id(self) -> str | None:
        """For a reply or forward: the MessageHeader id of the earlier message in the conversation."""
        prov = self.current_provenance
        return prov.previous_message_id if prov else None

    @property
    def conversation_id(self) -> str:
        """Communication.identifier: stays the same through replies in a conversation."""
        return self.communication.identifier
