"""The specialist's note as a MedCom CareCommunication (FHIR R4 message bundle, JSON or XML).

The note goes to the practice; the practice system imports it as a new message from the
department about the patient. Built with the correspondence module's MedCom model and
builder (``portal.correspondence.medcom``), which are pure data classes and serialisers:
nothing of correspondence's threads is used. Only the note's text is exported, never the
shared overview.

Ids are derived (UUID v5) from the note and its conference, so exporting twice gives the
same bundle, and the Communication identifier is the conference's.
"""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Organisation, User
from portal.audit.models import AccessLogEntry
from portal.audit.services import access_log_record
from portal.correspondence.medcom import model as m
from portal.correspondence.medcom.building import build_bundle
from portal.correspondence.medcom.exporting import ROLE_SYSTEM, ROLE_TITLES
from portal.patients.crypto import decrypt_cpr

from .models import ConferenceNote

# Recorded evidence in the access log, in Danish whatever the interface language.
PURPOSE_EXPORT = "Udlevering af konferencenotat som MedCom-korrespondancemeddelelse"
# A conference note coordinates the care between the sectors.
CATEGORY = "carecoordination"
TOPIC = "Konferencenotat"

_NAMESPACE = uuid.UUID("5d8f3c1e-2b7a-4e9d-8c6f-1a2b3c4d5e6f")
_ROLE_CODES = {title.casefold(): code for code, title in ROLE_TITLES.items()}


def _uid(*parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, ":".join(str(p) for p in parts)))


def _organisation(org: Organisation) -> m.Organization:
    return m.Organization(id=_uid("organisation", org.pk), sor=org.sor_code or None, name=str(org))


def _author(user: User, header_id: str, organisation_id: str) -> m.Author:
    title = (user.title or "").strip()
    code = _ROLE_CODES.get(title.casefold())
    return m.Author(
        role_id=_uid(header_id, "role", user.pk),
        practitioner_id=_uid(header_id, "practitioner", user.pk),
        family=user.last_name.strip() or None,
        given=tuple(user.first_name.split()),
        role_code=code,
        role_system=ROLE_SYSTEM if code else None,
        # A role code or a text, never neither (medcom-careCommunication-7).
        role_text=None if code else (title or "Sundhedsprofessionel"),
        organization_id=organisation_id,
    )


def note_model(note: ConferenceNote) -> m.CareCommunicationMessage:
    """The typed message for the note. Reads the CPR number: callers log the export."""
    conference = note.conference
    header_id = _uid("note", note.pk, "header")
    at = timezone.localtime(note.written_at).isoformat(timespec="seconds")
    sender = _organisation(conference.department)
    receiver = _organisation(conference.practice)
    phone = (conference.duty_period.phone if conference.duty_period_id else "") or note.author.phone
    payload = m.Payload(
        identifier=f"urn:uuid:{_uid('note', note.pk, 'payload')}",
        timestamp=at,
        text=note.text,
        author=_author(note.author, header_id, sender.id),
        phone=phone or conference.department.phone or None,
        assigner_id=sender.id,
    )
    return m.CareCommunicationMessage(
        bundle_id=_uid(header_id, "bundle"),
        timestamp=at,
        header_id=header_id,
        event="new",
        sender=sender,
        receiver=receiver,
        patient=m.Patient(
            id=_uid(header_id, "patient"),
            identifiers=((m.CPR_SYSTEM, decrypt_cpr(conference.patient.cpr_encrypted)),),
            name_use="official",
        ),
        communication=m.Communication(
            id=_uid(header_id, "communication"),
            identifier=f"urn:uuid:{_uid('conference', conference.public_id)}",
            category=CATEGORY,
            topic=TOPIC,
            payloads=(payload,),
        ),
        provenance=(
            m.Provenance(
                id=_uid(header_id, "provenance"),
                target_id=header_id,
                activity=m.EVENT_ACTIVITIES["new"],
                occurred=at,
                recorded=at,
                agent_id=sender.id,
                entities=(m.ProvenanceEntity(role="source", identifier=payload.identifier),),
            ),
        ),
        organizations=(sender, receiver),
    )


@transaction.atomic
def note_bundle(
    note: ConferenceNote, *, actor: User, request: HttpRequest | None = None, format: str = "json"
) -> bytes:
    """The specialist's note as a CareCommunication bundle; one EXPORT entry in the access log.

    Refused (ValidationError) for a conference without a patient, whom MedCom requires, or an
    organisation without a SOR code; PermissionDenied for anyone outside the conference.
    """
    if format not in ("json", "xml"):
        raise ValueError(f"unknown format {format!r}: use 'json' or 'xml'")
    note = ConferenceNote.objects.select_related(
        "author", "conference__patient", "conference__department__parent", "conference__practice",
        "conference__duty_period",
    ).get(pk=note.pk)  # fmt: skip
    conference = note.conference
    if note.kind != ConferenceNote.Kind.SPECIALIST_NOTE or not actor.has_perm(
        "conferences.view_conference", conference
    ):
        raise PermissionDenied("Not allowed to export this note.")
    if conference.patient_id is None:
        raise ValidationError(
            _("A conference without a patient cannot be sent as a MedCom message: MedCom requires a patient.")
        )
    missing = [str(o) for o in (conference.department, conference.practice) if not o.sor_code]
    if missing:
        raise ValidationError(
            _("%(organisations)s has no SOR code, which MedCom messages are addressed by.")
            % {"organisations": ", ".join(missing)}
        )
    access_log_record(
        actor=actor,
        patient_index=conference.patient.cpr_index,
        action=AccessLogEntry.Action.EXPORT,
        obj=note,
        purpose=PURPOSE_EXPORT,
        request=request,
    )
    return build_bundle(note_model(note), format=format)
