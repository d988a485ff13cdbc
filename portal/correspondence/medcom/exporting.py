"""A portal thread as a MedCom CareCommunication message bundle (FHIR R4 JSON or XML).

The bundle for a message carries the thread up to and including that message, as MedCom
sends replies: one message segment (payload) per earlier message, a Provenance per message
(``new-message`` for the first, ``reply-message`` for the later ones, each linked to the
previous MessageHeader), and the Communication identifier of the conversation throughout.

Resource ids are derived (UUID v5) from the message's MessageHeader id (organisations: from the
organisation, since earlier Provenance entries name them), so exporting the same message twice
gives the same bundle; the MessageHeader ids and payload identifiers themselves
are stored on the messages at their first export, so that a later reply links to the ids the
receiver already has.

Known gaps against the profiles, left because the portal does not hold the data:
``Organization`` carries the SOR code but no EAN (medcom-messaging-organization wants both),
and ``Patient.name`` is present as ``use = official`` without a family name (the portal stores
no patient names, only the CPR number).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Organisation, User
from portal.audit.models import AccessLogEntry
from portal.audit.services import access_log_record
from portal.patients.crypto import decrypt_cpr

from ..models import Message, Side, Thread
from . import model as m
from .building import build_bundle

# Recorded evidence in the access log, in Danish whatever the interface language.
PURPOSE_EXPORT = "Udlevering som MedCom-korrespondancemeddelelse"

#: MedCom's PractitionerRole codes (SKS administrativ) for the titles the portal knows.
ROLE_SYSTEM = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-core-PractitionerRolesSKSadministrativ"
ROLE_TITLES = {
    "overlaege": "Overlæge",
    "afdelingslaege": "Afdelingslæge",
    "sygeplejerske": "Sygeplejerske",
    "laegesekretaer": "Lægesekretær",
    "socialogsundhedsmedhjaelper": "Social- og sundhedsmedhjælper",
    "socialogsundhedsassistent": "Social- og sundhedsassistent",
}
_ROLE_CODES = {title.casefold(): code for code, title in ROLE_TITLES.items()}

_NAMESPACE = uuid.UUID("0b6f6d2e-3c1a-4f7e-9a55-5a3d2c1b0e90")


def _uid(*parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, ":".join(str(p) for p in parts)))


def fhir_datetime(value: datetime) -> str:
    """FHIR dateTime with the Danish offset, to the second (as in MedCom's examples)."""
    return timezone.localtime(value).isoformat(timespec="seconds")


def header_id_of(message: Message) -> str:
    return message.medcom_message_id or str(message.public_id)


def payload_id_of(message: Message) -> str:
    return message.medcom_payload_id or f"urn:uuid:{message.public_id}"


def _split_name(full_name: str) -> tuple[str | None, tuple[str, ...]]:
    parts = full_name.split()
    if not parts:
        return None, ()
    return parts[-1], tuple(parts[:-1])


def _author(message: Message, header_id: str, organisation_id: str) -> m.Author:
    user = message.author
    if user is not None and user.last_name.strip():
        family, given = user.last_name.strip(), tuple(user.first_name.split())
    else:
        family, given = _split_name(message.author_name)
    key = f"user-{message.author_id}" if message.author_id else f"name-{message.author_name}"
    title = (message.author_title or "").strip()
    code = _ROLE_CODES.get(title.casefold())
    return m.Author(
        role_id=_uid(header_id, "role", key, title, message.organisation_id),
        practitioner_id=_uid(header_id, "practitioner", key),
        family=family,
        given=given,
        role_code=code,
        role_system=ROLE_SYSTEM if code else None,
        # medcom-careCommunication-7: a role code or a text, never neither.
        role_text=None if code else (title or "Sundhedsprofessionel"),
        organization_id=organisation_id,
    )


def _require_exportable(thread: Thread, organisations: list[Organisation]) -> None:
    if thread.patient_id is None:
        # Communication.subject is 1..1 in MedCom's profile: no patient, no CareCommunication.
        raise ValidationError(
            _("A thread without a patient cannot be sent as a MedCom message: MedCom requires a patient.")
        )
    missing = [str(o) for o in organisations if not o.sor_code]
    if missing:
        raise ValidationError(
            _("%(organisations)s has no SOR code, which MedCom messages are addressed by.")
            % {"organisations": ", ".join(missing)}
        )


def _stable_ids(messages: list[Message]) -> None:
    """Store the MessageHeader ids and payload identifiers at first export, so later replies link to them.

    Only where still empty: a concurrent export that got there first wins.
    """
    for message in messages:
        if not message.medcom_message_id:
            Message.objects.filter(pk=message.pk, medcom_message_id__isnull=True).update(
                medcom_message_id=str(message.public_id)
            )
        if not message.medcom_payload_id:
            Message.objects.filter(pk=message.pk, medcom_payload_id="").update(
                medcom_payload_id=f"urn:uuid:{message.public_id}"
            )


def message_model(message: Message) -> m.CareCommunicationMessage:
    """The typed CareCommunication message for ``message`` and everything before it in its thread.

    Reads the CPR number: callers log the access (``message_bundle`` does).
    """
    thread = message.thread
    messages = list(
        thread.messages.filter(created_at__lte=message.created_at)
        .select_related("author", "organisation")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )
    # A message written in the same instant after this one is not part of it.
    messages = [x for x in messages if (x.created_at, x.pk) <= (message.created_at, message.pk)]
    header_id = header_id_of(message)

    organisations: dict[int, m.Organization] = {}

    def organization(org: Organisation) -> m.Organization:
        if org.pk not in organisations:
            organisations[org.pk] = m.Organization(
                # Stable across bundles: an earlier message's Provenance names its agent by this id.
                id=_uid("organisation", org.pk),
                sor=org.sor_code or None,
                name=str(org),
            )
        return organisations[org.pk]

    sender = organization(message.organisation)
    receiver = organization(thread.organisation_on(Side(message.side).other))
    payloads: list[m.Payload] = []
    provenance: list[m.Provenance] = []
    previous_header: str | None = None
    for item in messages:
        org = organization(item.organisation)
        at = fhir_datetime(item.created_at)
        text_id = payload_id_of(item)
        segment = [
            m.Payload(
                identifier=text_id,
                timestamp=at,
                text=item.body,
                author=_author(item, header_id, org.id),
                phone=item.author_phone or item.organisation.phone or None,
                assigner_id=org.id,
            )
        ]
        for attachment in item.attachments.all():
            with attachment.file.open("rb") as f:
                data = f.read()
            segment.append(
                m.Payload(
                    identifier=f"urn:uuid:{attachment.public_id}",
                    timestamp=at,
                    attachment=m.Attachment(
                        content_type=attachment.content_type,
                        title=attachment.filename,
                        data=data,
                        creation=at,
                    ),
                    assigner_id=org.id,
                )
            )
        payloads.extend(segment)
        item_header = header_id_of(item)
        entities = [m.ProvenanceEntity(role="source", identifier=p.identifier) for p in segment]
        if previous_header is not None:
            entities.append(m.ProvenanceEntity(role="revision", reference=f"MessageHeader/{previous_header}"))
        provenance.append(
            m.Provenance(
                id=_uid(item_header, "provenance"),
                target_id=item_header,
                activity=m.EVENT_ACTIVITIES["reply" if previous_header else "new"],
                occurred=at,
                recorded=at,
                agent_id=org.id,
                entities=tuple(entities),
            )
        )
        previous_header = item_header

    patient = m.Patient(
        id=_uid(header_id, "patient"),
        identifiers=((m.CPR_SYSTEM, decrypt_cpr(thread.patient.cpr_encrypted)),),
        name_use="official",
    )
    communication = m.Communication(
        id=_uid(header_id, "communication"),
        identifier=f"urn:uuid:{thread.conversation_id}",
        category=thread.category,
        topic=thread.topic or None,
        priority=thread.priority or None,
        payloads=tuple(payloads),
    )
    return m.CareCommunicationMessage(
        bundle_id=_uid(header_id, "bundle"),
        timestamp=fhir_datetime(message.created_at),
        header_id=header_id,
        event="new" if len(messages) == 1 else "reply",
        sender=sender,
        receiver=receiver,
        patient=patient,
        communication=communication,
        # Newest first, as in MedCom's reply example.
        provenance=tuple(reversed(provenance)),
        organizations=tuple(organisations.values()),
    )


@transaction.atomic
def message_bundle(
    message: Message, *, actor: User, request: HttpRequest | None = None, format: str = "json"
) -> bytes:
    """``message`` (with the thread before it) as a MedCom CareCommunication bundle, ``json`` or ``xml``.

    Refuses with a ValidationError a thread without a patient or an organisation without a SOR
    code; an actor who cannot see the thread gets PermissionDenied. Writes one EXPORT entry in
    the access log.
    """
    if format not in ("json", "xml"):
        raise ValueError(f"unknown format {format!r}: use 'json' or 'xml'")
    message = Message.objects.select_related(
        "thread__patient",
        "thread__sender_organisation",
        "thread__recipient_organisation",
        "organisation",
    ).get(pk=message.pk)
    thread = message.thread
    if not actor.has_perm("correspondence.view_thread", thread):
        raise PermissionDenied("Not allowed to export this thread.")
    earlier = list(thread.messages.filter(created_at__lte=message.created_at).select_related("organisation"))
    _require_exportable(
        thread,
        [
            thread.sender_organisation,
            thread.recipient_organisation,
            *{x.organisation_id: x.organisation for x in earlier}.values(),
        ],
    )
    _stable_ids([x for x in earlier if (x.created_at, x.pk) <= (message.created_at, message.pk)])
    message.refresh_from_db(fields=["medcom_message_id", "medcom_payload_id"])
    access_log_record(
        actor=actor,
        patient_index=thread.patient.cpr_index,
        action=AccessLogEntry.Action.EXPORT,
        obj=message,
        purpose=PURPOSE_EXPORT,
        request=request,
    )
    return build_bundle(message_model(message), format=format)
