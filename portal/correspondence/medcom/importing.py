"""Import MedCom CareCommunication message bundles (FHIR R4 JSON or XML) as threads and messages.

One bundle, one transaction: it is imported whole, recognised as a duplicate, kept as undelivered
(a dead letter), or refused with a reason and nothing written. Refusal reasons are operator
output and recorded evidence, written in Danish directly (like the reasons of
``parsing.InvalidBundle``); they never carry a CPR number or message text.

How a bundle lands:

- The conversation is ``Communication.identifier`` (``Thread.conversation_id``). A reply or
  forward joins the thread of its conversation; if the portal does not know it, the thread is
  created with the earlier message segments the bundle carries (MedCom replies repeat them).
- Message segments are grouped into messages by the Provenance that lists them as ``source``
  (MedCom's example S-B: a text and an attachment, one message).
- Who wrote what comes from the Provenance chain, never from the order bundles arrive in: the
  chain's first message (new-message) tells who opened the conversation, each segment's agent
  its side. A third party's segment (a forwarded original) keeps its own organisation and
  awaits no reply; it travels on the forwarder's side. A segment whose identifier is
  already in the thread (``Message.medcom_payload_id``) is not imported again.
- Only the bundle's own message records its MessageHeader id (``Message.medcom_message_id``): the
  ids of earlier segments come from other systems' Provenance and need not be unique (MedCom's
  example S-Tek-C cites S-A's header id for a different conversation).
- Duplicate: the MessageHeader id is known, or every segment is already in the thread.
- The receiver must be an organisation the portal serves: a practice or department known by its
  SOR code with an active member. Otherwise the bundle is a dead letter (``DeadLetter``): kept
  encrypted with the reason for an administrator, never reported as delivered, retried with
  ``dead_letter_retry`` once the organisation exists. No patient is looked up for it.
- The sender is matched by SOR code; an unknown SOR code creates an external organisation
  record (kind "hospital", which needs neither a provider number nor a parent) named from the
  bundle.
- Message text is plain text, not Markdown: it is escaped so that it renders as written
  (``portal.core.plaintext``, the same rendering as messages written in the portal).

Everything is written through ``correspondence.services`` (``thread_open_imported``,
``thread_messages_import``, ``organisation_external_get_or_create``): this module only reads the
bundle and decides what to write, so the deadline, turn and reopening rules live in one place.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from portal.accounts.models import Organisation, User, sor_code_validator
from portal.core.plaintext import plain_text_html
from portal.core.uploads import HEAD_BYTES, MEDCOM_ATTACHMENT_KINDS, sniff, validate_upload
from portal.patients.models import PatientReference
from portal.patients.services import patient_reference_get_or_create

from .. import services
from ..models import (
    BODY_MAX_LENGTH,
    TOPIC_MAX_LENGTH,
    Category,
    DeadLetter,
    Message,
    Side,
    Thread,
)
from . import model as m
from .exporting import ROLE_TITLES
from .parsing import InvalidBundle, parse_bundle

logger = logging.getLogger(__name__)

# Recorded evidence in the access log, in Danish whatever the interface language.
PURPOSE_IMPORT = "Import af MedCom-korrespondance"
SYSTEM_ACTOR_NAME = services.SYSTEM_ACTOR_NAME

IMPORTED = "imported"
DUPLICATE = "duplicate"
DEAD_LETTERED = "dead_lettered"  # kept for an administrator: addressed to nobody the portal serves
REFUSED = "refused"

#: The organisations a thread can be delivered to: the kinds ``thread_open`` addresses.
_RECEIVING_KINDS = (Organisation.Kind.GENERAL_PRACTICE, Organisation.Kind.DEPARTMENT)

_EVENT_NAMES = {"new": "ny meddelelse", "reply": "svar", "forward": "videresendt meddelelse"}


@dataclass(frozen=True)
class ImportOutcome:
    status: str  # IMPORTED, DUPLICATE, DEAD_LETTERED or REFUSED
    reason: str = ""
    thread: Thread | None = None
    messages: tuple[Message, ...] = ()
    dead_letter: DeadLetter | None = None

    @property
    def imported(self) -> bool:
        return self.status == IMPORTED

    @property
    def delivered(self) -> bool:
        """In a thread someone reads: imported now or before."""
        return self.status in (IMPORTED, DUPLICATE)


class _Refused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# ---------------------------------------------------------------------------- plain text


# ---------------------------------------------------------------------------- planning


@dataclass
class _Segment:
    """One message of the conversation: its payloads and the Provenance that lists them."""

    provenance: m.Provenance | None
    payloads: list[m.Payload] = field(default_factory=list)

    @property
    def key(self) -> str | None:
        texts = [p.identifier for p in self.payloads if p.text is not None and p.identifier]
        others = [p.identifier for p in self.payloads if p.identifier]
        return (texts or others or [None])[0]

    @property
    def identifiers(self) -> set[str]:
        return {p.identifier for p in self.payloads if p.identifier}


@dataclass
class _Upload:
    file: ContentFile
    filename: str
    content_type: str
    size: int


@dataclass
class _Draft:
    segment: _Segment
    side: str
    organisation: Organisation
    header_id: str | None
    awaits_reply: bool
    created_at: datetime
    body: str
    author_name: str
    author_title: str
    author_phone: str
    author_organisation_name: str
    uploads: list[_Upload]


def _segments(msg: m.CareCommunicationMessage) -> list[_Segment]:
    owner: dict[str, m.Provenance] = {}
    for prov in msg.provenance:
        for entity in prov.entities:
            if entity.role == "source" and entity.identifier:
                owner.setdefault(entity.identifier, prov)
    segments: dict[str, _Segment] = {}
    pending: list[m.Payload] = []
    last: _Segment | None = None
    for payload in msg.communication.payloads:
        prov = owner.get(payload.identifier or "")
        if prov is None:
            # Not listed by any Provenance: it belongs with the segment before it.
            if last is None:
                pending.append(payload)
            else:
                last.payloads.append(payload)
            continue
        segment = segments.setdefault(prov.id, _Segment(provenance=prov))
        segment.payloads.extend(pending)
        pending = []
        segment.payloads.append(payload)
        last = segment
    result = list(segments.values())
    if pending:
        result.append(_Segment(provenance=msg.current_provenance, payloads=pending))
    return result


def _current(segments: list[_Segment], header_id: str) -> _Segment:
    for segment in segments:
        if segment.provenance is not None and segment.provenance.target_id == header_id:
            return segment
    return segments[-1]


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _Refused(f"Ugyldigt tidspunkt i meddelelsen: {value[:40]!r}.") from None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _conversation_id(msg: m.CareCommunicationMessage) -> uuid.UUID:
    value = msg.conversation_id.removeprefix("urn:uuid:")
    try:
        return uuid.UUID(value)
    except ValueError:
        raise _Refused("Communication.identifier er ikke et UUID (MedCom kræver urn:uuid:<uuid>).") from None


def _check_sor(org: m.Organization, role: str) -> None:
    if not org.sor:
        raise _Refused(f"{role}organisationen har ingen SOR-kode.")
    try:
        sor_code_validator(org.sor)
    except ValidationError:
        raise _Refused(f"{role}organisationens SOR-kode er ugyldig: {org.sor[:40]!r}.") from None


def _organisation(org: m.Organization, role: str) -> Organisation:
    _check_sor(org, role)
    return services.organisation_external_get_or_create(sor_code=org.sor, name=org.name or "")


def _unserved(receiver: m.Organization) -> str:
    """Why the portal cannot deliver to ``receiver``, or "" when it can.

    The portal serves a practice or hospital department it knows by SOR code and whose inbox
    someone reads (an active member). Anything else would land in a thread nobody sees.
    """
    label = f"SOR {receiver.sor}" + (f", {receiver.name.strip()}" if (receiver.name or "").strip() else "")
    found = Organisation.objects.filter(sor_code=receiver.sor).first()
    if found is None:
        return f"Modtageren ({label}) er ikke en organisation, portalen betjener: SOR-koden er ukendt."
    if found.kind not in _RECEIVING_KINDS:
        return f"Modtageren ({label}) er hverken en almen praksis eller en hospitalsafdeling i portalen."
    if not found.memberships.filter(user__is_active=True).exists():
        return f"Modtageren ({label}) har ingen aktive medlemmer i portalen, så ingen kan læse beskeden."
    return ""


def _filename(title: str | None, extension: str) -> str:
    base = re.sub(r"[\\/\x00-\x1f]+", " ", title or "").strip(" .") or "bilag"
    base = base[:200]
    return base if base.lower().endswith(f".{extension}") else f"{base}.{extension}"


def _upload(attachment: m.Attachment) -> _Upload:
    data = attachment.data or b""
    kind = sniff(data[:HEAD_BYTES], MEDCOM_ATTACHMENT_KINDS)
    name = _filename(attachment.title, sorted(kind.extensions)[0] if kind else "bin")
    upload = ContentFile(data, name=name)
    try:
        validate_upload(upload, kinds=MEDCOM_ATTACHMENT_KINDS)
    except ValidationError as exc:
        raise _Refused("Vedhæftet fil afvist: " + " ".join(exc.messages)) from None
    return _Upload(file=upload, filename=name[:255], content_type=kind.content_type, size=len(data))


def _author_fields(segment: _Segment, organisation_name: str) -> dict:
    authored = next((p for p in segment.payloads if p.author is not None and p.author.name), None)
    if authored is None:
        raise _Refused("Et beskedsegment mangler en navngiven forfatter (Practitioner.name).")
    author = authored.author
    title = ROLE_TITLES.get(author.role_code or "") or author.role_text or author.role_code or ""
    return {
        "author_name": author.name[:301],
        "author_title": title[:150],
        "author_phone": (authored.phone or "")[:30],
        "author_organisation_name": organisation_name[:200],
    }


def _body(segment: _Segment) -> str:
    parts = [p.text for p in segment.payloads if p.text]
    for payload in segment.payloads:
        attachment = payload.attachment
        if attachment is not None and attachment.data is None and attachment.url:
            # A link is not fetched: the reader sees where it points and decides.
            parts.append(f"Vedhæftet link: {attachment.title or ''} {attachment.url}".replace("  ", " "))
    if not parts:
        titles = ", ".join(p.attachment.title or "bilag" for p in segment.payloads if p.attachment)
        parts.append(f"Vedhæftet fil: {titles}")
    body = "\n\n".join(parts).strip("\r\n")
    if len(body) > BODY_MAX_LENGTH:
        raise _Refused(f"Beskedteksten er længere end {BODY_MAX_LENGTH} tegn ({len(body)}).")
    if "\x00" in body:
        raise _Refused("Beskedteksten indeholder tegn, der ikke kan gemmes (NUL).")
    return body


# ---------------------------------------------------------------------------- import


def carecommunication_import(
    data: bytes, *, actor: User | None = None, now: datetime | None = None
) -> ImportOutcome:
    """Import one CareCommunication bundle; ``actor`` None is the system (a scheduled import)."""
    try:
        msg = parse_bundle(data)
    except InvalidBundle as exc:
        return ImportOutcome(REFUSED, exc.reason)
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                return _import(msg, data, actor=actor, now=now or timezone.now())
        except _Refused as exc:
            return ImportOutcome(REFUSED, exc.reason)
        except IntegrityError:
            # A concurrent import of the same conversation, message or organisation won the race:
            # once more, and it is recognised (or joined) this time.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _import(
    msg: m.CareCommunicationMessage, data: bytes, *, actor: User | None, now: datetime
) -> ImportOutcome:
    header_id = msg.header_id or ""
    if not header_id or len(header_id) > 64:
        raise _Refused("MessageHeader.id mangler eller er længere end 64 tegn.")
    conversation = _conversation_id(msg)

    known = Message.objects.filter(medcom_message_id=header_id).select_related("thread").first()
    if known is not None:
        if known.thread.conversation_id == conversation:
            return ImportOutcome(DUPLICATE, thread=known.thread)
        raise _Refused(f"MessageHeader-id {header_id} er allerede modtaget i en anden samtale.")

    segments = _segments(msg)
    current = _current(segments, header_id)
    thread = (
        Thread.objects.select_for_update(of=("self",))
        .select_related("sender_organisation", "recipient_organisation")
        .filter(conversation_id=conversation)
        .first()
    )
    if thread is not None:
        present = set(
            thread.messages.exclude(medcom_payload_id="").values_list("medcom_payload_id", flat=True)
        )
        if current.identifiers & present:
            return ImportOutcome(DUPLICATE, thread=thread)
        segments = [s for s in segments if not (s.identifiers & present)]

    _check_sor(msg.sender, "Afsender")
    _check_sor(msg.receiver, "Modtager")
    unserved = _unserved(msg.receiver)
    if unserved:
        # Not ours to deliver, and not refused either: kept, before any patient look-up or write.
        dead_letter = services.dead_letter_record(
            header_id=header_id,
            bundle=data,
            reason=unserved,
            sender_sor=msg.sender.sor or "",
            sender_name=(msg.sender.name or "").strip(),
            receiver_sor=msg.receiver.sor or "",
            receiver_name=(msg.receiver.name or "").strip(),
            now=now,
        )
        logger.warning("MedCom message %s not delivered: %s", header_id, unserved)
        return ImportOutcome(DEAD_LETTERED, unserved, dead_letter=dead_letter)
    sender = _organisation(msg.sender, "Afsender")
    receiver = Organisation.objects.get(sor_code=msg.receiver.sor)
    if sender.pk == receiver.pk:
        raise _Refused("Afsender og modtager er den samme organisation.")
    patient, note = _patient(msg, actor=actor)

    if thread is None:
        opener, addressee = _opener_and_addressee(msg, sender=sender, receiver=receiver)
    else:
        if thread.patient_id != (patient.pk if patient else None):
            raise _Refused("Patienten i meddelelsen er ikke trådens patient.")
        opener, addressee = thread.sender_organisation, thread.recipient_organisation

    drafts = _drafts(
        msg,
        opener=opener,
        addressee=addressee,
        segments=segments,
        current=current,
        sender=sender,
        receiver=receiver,
    )
    if thread is None:
        thread = _new_thread(msg, opener=opener, addressee=addressee, patient=patient, segments=segments)

    reason = f"MedCom: {_EVENT_NAMES.get(msg.event, msg.event)}"
    if note:
        reason = f"{reason}. {note}"
    messages = services.thread_messages_import(
        thread=thread,
        messages=[_imported_message(d) for d in drafts],
        reason=reason,
        from_organisation=sender,
        to_organisation=receiver,
        actor=actor,
        now=now,
    )
    return ImportOutcome(IMPORTED, thread=thread, messages=tuple(messages))


def _patient(msg: m.CareCommunicationMessage, *, actor: User | None) -> tuple[PatientReference | None, str]:
    cpr = msg.patient.cpr
    if cpr:
        try:
            patient, _created = patient_reference_get_or_create(cpr=cpr, actor=actor, purpose=PURPOSE_IMPORT)
        except ValidationError:
            raise _Refused("Patientens CPR-nummer i meddelelsen er ugyldigt.") from None
        return patient, ""
    if not msg.patient.identifiers:
        raise _Refused("Patienten i meddelelsen har hverken CPR- eller erstatnings-CPR-nummer.")
    # A replacement CPR (e-CPR) cannot be a PatientReference: the thread has no patient, and says why.
    name = msg.patient.name or "ukendt navn"
    return None, (
        "Patienten er kun identificeret med erstatnings-CPR, som portalen ikke kan knytte til en "
        f"patient; navn i meddelelsen: {name}."
    )


def _root_provenance(msg: m.CareCommunicationMessage) -> m.Provenance | None:
    """The first message of the chain this bundle carries: follow each ``revision`` link back."""
    by_target = {p.target_id: p for p in msg.provenance if p.target_id}
    provenance, seen = msg.current_provenance, set()
    while provenance is not None and provenance.previous_message_id in by_target:
        seen.add(provenance.id)
        earlier = by_target[provenance.previous_message_id]
        if earlier.id in seen:
            break
        provenance = earlier
    return provenance


def _opener_and_addressee(
    msg: m.CareCommunicationMessage, *, sender: Organisation, receiver: Organisation
) -> tuple[Organisation, Organisation]:
    """Who opened the conversation, told by the Provenance chain rather than by arrival order.

    The chain's first message (activity new-message) names its organisation as agent: when that
    is the receiver, the receiver opened it (this bundle answers it, however many replies later);
    when it is the sender, the sender did. A new message, a forward (the chain starts with a third
    party) or a chain that names neither: the sender opens the thread with the receiver, except a
    reply without its chain, which answers the receiver.
    """
    root = _root_provenance(msg)
    if root is not None and root is not msg.current_provenance and root.activity == "new-message":
        agent = next(
            (o for o in (*msg.organizations, msg.sender, msg.receiver) if o.id == root.agent_id), None
        )
        if agent is not None and agent.sor == receiver.sor_code:
            return receiver, sender
        if agent is not None and agent.sor == sender.sor_code:
            return sender, receiver
    if msg.event == "reply" and (root is None or root is msg.current_provenance):
        return receiver, sender
    return sender, receiver


def _new_thread(
    msg: m.CareCommunicationMessage,
    *,
    opener: Organisation,
    addressee: Organisation,
    patient: PatientReference | None,
    segments: list[_Segment],
) -> Thread:
    comm = msg.communication
    topic = (comm.topic or "").strip()[:TOPIC_MAX_LENGTH]
    with translation.override("da"):
        subject = topic or str(Category(comm.category).label)
    first = min((_segment_time(s, msg) for s in segments), default=None) or timezone.now()
    try:
        return services.thread_open_imported(
            conversation_id=_conversation_id(msg),
            subject=subject,
            category=comm.category,
            topic=topic,
            priority=comm.priority or "",
            patient=patient,
            sender_organisation=opener,
            recipient_organisation=addressee,
            created_at=first,
        )
    except ValidationError as exc:
        raise _Refused("Tråden kan ikke oprettes: " + " ".join(exc.messages)) from None


def _segment_time(segment: _Segment, msg: m.CareCommunicationMessage) -> datetime | None:
    stamps = [p.timestamp for p in segment.payloads if p.timestamp]
    if segment.provenance is not None and segment.provenance.occurred:
        stamps.append(segment.provenance.occurred)
    stamps.append(msg.timestamp)
    return _parse_time(next((s for s in stamps if s), None))


def _drafts(
    msg: m.CareCommunicationMessage,
    *,
    opener: Organisation,
    addressee: Organisation,
    segments: list[_Segment],
    current: _Segment,
    sender: Organisation,
    receiver: Organisation,
) -> list[_Draft]:
    """Everything to write, worked out (and refused) before the first row or file is written."""
    by_side = {opener.pk: Side.SENDER, addressee.pk: Side.RECIPIENT}
    current_side = by_side.get(sender.pk) or (
        Side(by_side[receiver.pk]).other if receiver.pk in by_side else None
    )
    if current_side is None:
        raise _Refused("Hverken afsender eller modtager af meddelelsen er part i trådens samtale.")
    sides_by_sor = {
        org.sor_code: side
        for org, side in (
            (opener, Side.SENDER),
            (addressee, Side.RECIPIENT),
        )
        if org.sor_code
    }
    bundle_orgs = {o.id: o for o in (*msg.organizations, msg.sender, msg.receiver)}
    drafts = []
    for segment in segments:
        is_current = segment is current
        agent = bundle_orgs.get(segment.provenance.agent_id) if segment.provenance else None
        third_party = False
        if is_current:
            side, organisation = current_side, sender
            org_name = (msg.sender.name or "").strip() or str(sender)
        else:
            side = sides_by_sor.get(agent.sor if agent else None)
            organisation = None
            if side is None:
                # A third party's segment: forwarded content travels with the forwarder, a reply
                # answers the other side. It stays the third party's own words and organisation.
                side = Side(current_side).other if msg.event == "reply" else current_side
                third_party = True
                if agent is not None and agent.sor:
                    organisation = _organisation(agent, "Forfatter")
            organisation = organisation or (opener if side == Side.SENDER else addressee)
            org_name = (agent.name if agent and agent.name else "") or str(organisation)
        drafts.append(
            _Draft(
                segment=segment,
                side=side,
                organisation=organisation,
                header_id=msg.header_id if is_current else None,
                awaits_reply=not third_party,
                created_at=_segment_time(segment, msg) or timezone.now(),
                body=_body(segment),
                uploads=[
                    _upload(p.attachment)
                    for p in segment.payloads
                    if p.attachment is not None and p.attachment.data is not None
                ],
                **_author_fields(segment, org_name),
            )
        )
    return drafts


def _imported_message(draft: _Draft) -> services.ImportedMessage:
    return services.ImportedMessage(
        side=draft.side,
        organisation=draft.organisation,
        author_name=draft.author_name,
        author_title=draft.author_title,
        author_phone=draft.author_phone,
        author_organisation_name=draft.author_organisation_name,
        body=draft.body,
        body_html=plain_text_html(draft.body),
        created_at=draft.created_at,
        medcom_message_id=draft.header_id,
        medcom_payload_id=(draft.segment.key or "")[:64],
        awaits_reply=draft.awaits_reply,
        attachments=tuple(
            services.ImportedAttachment(
                file=u.file, filename=u.filename, content_type=u.content_type, size=u.size
            )
            for u in draft.uploads
        ),
    )


def dead_letter_retry(*, dead_letter: DeadLetter, actor: User | None = None) -> ImportOutcome:
    """Try to deliver a kept message again (the organisation may exist now) and record how it went.

    Delivered (or found already delivered): the dead letter points at its thread. Still not
    deliverable: it waits, one attempt more. Invalid on closer reading: refused, with the reason.
    """
    outcome = carecommunication_import(services.dead_letter_bundle(dead_letter), actor=actor)
    if outcome.delivered:
        services.dead_letter_resolve(dead_letter=dead_letter, delivered_to=outcome.thread)
    elif outcome.status == REFUSED:
        services.dead_letter_resolve(dead_letter=dead_letter, delivered_to=None, reason=outcome.reason)
    dead_letter.refresh_from_db()
    return outcome
