"""Writes of correspondence: open, write, claim, assign, re-route, read, close, import.

Each function is one transaction: a thread, its first message, its attachments,
its history event and its e-mail notifications are saved together or not at all.
Validation errors are Django ``ValidationError``s with Danish messages, raised
before anything is written.
"""

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import HealthCouncilArea, Organisation, Specialty, User
from portal.accounts.roles import CLINICIAN_ROLES
from portal.accounts.selectors import user_has_role_in
from portal.audit.models import AccessLogEntry
from portal.audit.services import access_log_record
from portal.core.deadlines import reply_due
from portal.core.plaintext import plain_text_html
from portal.patients.crypto import decrypt_patient_data, encrypt_patient_data, reencrypt
from portal.patients.models import PatientReference
from portal.patients.services import patient_reference_get_or_create

from . import notifications
from .models import (
    BODY_MAX_LENGTH,
    REASON_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    Attachment,
    DeadLetter,
    Message,
    Participant,
    ReadMark,
    Side,
    Thread,
    ThreadEvent,
)
from .rules import sides_of, writing_side
from .selectors import FaqSource, receiving_departments, reply_working_days, thread_faq_source

#: Who reopens a thread when a message arrives from another system.
SYSTEM_ACTOR_NAME = "MedCom-import"

logger = logging.getLogger(__name__)

# Recorded evidence in the access log, in Danish whatever the interface language.
PURPOSE_CORRESPONDENCE = "Korrespondance om patienten"
PURPOSE_FAQ_PROPOSAL = "Korrespondance om patienten: anonymiseres som forslag til FAQ"


def _require_text(value: str, *, field: str, label: str, max_length: int, as_written: bool = False) -> str:
    """The trimmed value, or a ValidationError; ``as_written`` trims only blank lines around it.

    A message body keeps its first line's indentation and its trailing spaces: clinical text is
    never changed beyond the empty lines a form adds.
    """
    value = value or ""
    if as_written:
        # Browsers send CRLF; one line ending everywhere, so the export sends what the page shows.
        value = value.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    else:
        value = value.strip()
    if not value.strip():
        raise ValidationError({field: _("%(label)s must be filled in.") % {"label": label}})
    if len(value) > max_length:
        raise ValidationError(
            {
                field: _("%(label)s can be at most %(max)s characters (it is %(length)s).")
                % {"label": label, "max": max_length, "length": len(value)}
            }
        )
    if "\x00" in value:
        raise ValidationError(
            {field: _("%(label)s contains characters that cannot be saved.") % {"label": label}}
        )
    return value


def _author_fields(author: User, organisation: Organisation) -> dict:
    name = author.get_full_name().strip()
    if not name:
        # The recipient must know who wrote: a person, never "the department".
        raise ValidationError(_("Your user profile has no name; add your name before writing."))
    return {
        "author": author,
        "author_name": name,
        "author_title": author.title,
        "author_phone": author.phone or organisation.phone,
        "author_organisation_name": str(organisation),
        "organisation": organisation,
    }


def _due_at(*, sent_at: datetime, answering_organisation: Organisation) -> datetime:
    return reply_due(sent_at=sent_at, working_days=reply_working_days(answering_organisation))


def _add_participant(thread: Thread, user: User, side: str) -> None:
    Participant.objects.get_or_create(thread=thread, user=user, defaults={"side": side})


def _save_attachments(message: Message, files) -> None:
    for upload in files or ():
        Attachment.objects.create(
            message=message,
            file=upload,
            filename=(upload.name or "bilag")[:255],
            content_type=getattr(upload, "content_type", "") or "application/octet-stream",
            size=upload.size,
        )


def _log_patient(thread: Thread, *, actor: User | None, action: str, request: HttpRequest | None) -> None:
    if thread.patient_id:
        access_log_record(
            actor=actor,
            patient_index=thread.patient.cpr_index,
            action=action,
            obj=thread,
            purpose=PURPOSE_CORRESPONDENCE,
            request=request,
        )


def _mark_read(thread: Thread, user: User, side: str, at: datetime) -> None:
    ReadMark.objects.update_or_create(thread=thread, user=user, defaults={"side": side, "read_at": at})


@transaction.atomic
def thread_open(
    *,
    author: User,
    sender_organisation: Organisation,
    subject: str,
    category: str,
    body: str,
    topic: str = "",
    priority: str = "",
    specialty: Specialty | None = None,
    area: HealthCouncilArea | None = None,
    recipient_organisation: Organisation | None = None,
    patient_cpr: str = "",
    patient: PatientReference | None = None,
    awaits_reply: bool = True,
    attachments=(),
    client_token: uuid.UUID | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> tuple[Thread, bool]:
    """Open a thread with its first message; returns (thread, created).

    Addressed either to ``specialty`` in ``area`` (it lands in the first receiving
    department there) or to a named ``recipient_organisation`` (a department, or a
    patient's practice). The same ``client_token`` twice returns the first thread.
    """
    now = now or timezone.now()
    if client_token:
        existing = Thread.objects.filter(opened_by=author, client_token=client_token).first()
        if existing:
            return existing, False
    if not user_has_role_in(author, sender_organisation.pk, CLINICIAN_ROLES):
        raise PermissionDenied("Only a clinician of the sending organisation opens a thread from it.")
    subject = _require_text(subject, field="subject", label=_("The subject"), max_length=SUBJECT_MAX_LENGTH)
    body = _require_text(
        body, field="body", label=_("The message"), max_length=BODY_MAX_LENGTH, as_written=True
    )
    topic = (topic or "").strip()[:60]

    if recipient_organisation is None:
        if specialty is None or area is None:
            raise ValidationError(_("Choose a specialty and a health council area, or a named recipient."))
        recipient_organisation = receiving_departments(specialty=specialty, area=area).first()
        if recipient_organisation is None:
            raise ValidationError(
                {
                    "specialty": _("No department receives correspondence in %(specialty)s in %(area)s.")
                    % {"specialty": specialty, "area": area}
                }
            )
    if recipient_organisation.kind not in (Organisation.Kind.DEPARTMENT, Organisation.Kind.GENERAL_PRACTICE):
        raise ValidationError(_("Correspondence goes to a hospital department or a general practice."))
    if recipient_organisation.pk == sender_organisation.pk:
        raise ValidationError(_("You cannot write to your own organisation."))
    if patient is None and patient_cpr:
        patient, _created = patient_reference_get_or_create(
            cpr=patient_cpr, actor=author, purpose=PURPOSE_CORRESPONDENCE, request=request
        )

    author_fields = _author_fields(author, sender_organisation)
    thread = Thread(
        subject=subject,
        category=category,
        topic=topic,
        priority=priority or "",
        patient=patient,
        opened_by=author,
        sender_organisation=sender_organisation,
        addressed_specialty=specialty or recipient_organisation.specialty,
        addressed_area=area,
        recipient_organisation=recipient_organisation,
        created_at=now,
        last_message_at=now,
        client_token=client_token,
    )
    thread.full_clean(exclude=["conversation_id", "public_id"])
    try:
        with transaction.atomic():
            thread.save()
    except IntegrityError:
        # The same form submitted twice at once: the other request won.
        return Thread.objects.get(opened_by=author, client_token=client_token), False
    _add_participant(thread, author, Side.SENDER)
    ThreadEvent.objects.create(
        thread=thread,
        kind=ThreadEvent.Kind.OPENED,
        at=now,
        actor=author,
        actor_name=author_fields["author_name"],
        to_organisation=recipient_organisation,
    )
    message = Message(
        thread=thread,
        side=Side.SENDER,
        body=body,
        body_html=plain_text_html(body),
        created_at=now,
        due_at=_due_at(sent_at=now, answering_organisation=recipient_organisation) if awaits_reply else None,
        **author_fields,
    )
    message.save()
    _save_attachments(message, attachments)
    _mark_read(thread, author, Side.SENDER, now)
    _set_turn(thread, waiting_message=message if awaits_reply else None)
    notifications.new_message(message)
    return thread, True


def _set_turn(thread: Thread, *, waiting_message: Message | None) -> None:
    """Whose turn it is and until when: the side that did not write this message."""
    if waiting_message is None:
        thread.awaiting, thread.due_at = "", None
    else:
        thread.awaiting = Side(waiting_message.side).other
        thread.due_at = waiting_message.due_at
    thread.last_message_at = (
        max(thread.last_message_at, waiting_message.created_at) if waiting_message else thread.last_message_at
    )
    thread.overdue_notified_at = None
    thread.save(update_fields=["awaiting", "due_at", "last_message_at", "overdue_notified_at"])


@transaction.atomic
def message_send(
    *,
    thread: Thread,
    author: User,
    body: str,
    awaits_reply: bool = True,
    attachments=(),
    client_token: uuid.UUID | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> tuple[Message, bool]:
    """Write in a thread; returns (message, created). The same ``client_token`` twice: one message.

    Answers every open message from the other side; a reply from the receiving
    organisation by an unassigned thread's clinician makes them responsible.
    """
    now = now or timezone.now()
    thread = (
        Thread.objects.select_for_update(of=("self",))
        .select_related("sender_organisation", "recipient_organisation", "patient")
        .get(pk=thread.pk)
    )
    if client_token:
        existing = Message.objects.filter(thread=thread, author=author, client_token=client_token).first()
        if existing:
            return existing, False
    if not thread.is_open:
        raise ValidationError(_("The thread is closed; open a new one to write again."))
    side = writing_side(author, thread)
    if side is None:
        raise PermissionDenied("Not a clinician on either side of this thread.")
    body = _require_text(
        body, field="body", label=_("The message"), max_length=BODY_MAX_LENGTH, as_written=True
    )
    organisation = thread.organisation_on(side)
    other = Side(side).other
    message = Message(
        thread=thread,
        side=side,
        body=body,
        body_html=plain_text_html(body),
        created_at=now,
        due_at=_due_at(sent_at=now, answering_organisation=thread.organisation_on(other))
        if awaits_reply
        else None,
        client_token=client_token,
        **_author_fields(author, organisation),
    )
    message.save()
    _save_attachments(message, attachments)
    Message.objects.filter(thread=thread, side=other, answered_at__isnull=True).update(
        answered_at=now, answered_by_organisation=organisation
    )
    _add_participant(thread, author, side)
    if side == Side.RECIPIENT and thread.assignee_id is None:
        thread.assignee = author
        thread.save(update_fields=["assignee"])
        ThreadEvent.objects.create(
            thread=thread,
            kind=ThreadEvent.Kind.CLAIMED,
            at=now,
            actor=author,
            actor_name=message.author_name,
            assignee=author,
        )
    _mark_read(thread, author, side, now)
    thread.last_message_at = now
    _set_turn(thread, waiting_message=message if awaits_reply else None)
    _log_patient(thread, actor=author, action=AccessLogEntry.Action.CHANGE, request=request)
    notifications.new_message(message)
    return message, True


@transaction.atomic
def thread_read(*, thread: Thread, user: User, request: HttpRequest | None = None) -> None:
    """A view of the thread: the read receipt moves on and, with a patient, one access-log entry."""
    side = writing_side(user, thread) or next(iter(sorted(sides_of(user, thread))), None)
    if side is None:
        raise PermissionDenied("Not allowed to read this thread.")
    _mark_read(thread, user, side, timezone.now())
    _log_patient(thread, actor=user, action=AccessLogEntry.Action.VIEW, request=request)


@transaction.atomic
def thread_claim(*, thread: Thread, user: User, now: datetime | None = None) -> Thread:
    """A clinician of the receiving organisation takes the thread on."""
    now = now or timezone.now()
    thread = Thread.objects.select_for_update(of=("self",)).get(pk=thread.pk)
    if thread.assignee_id is not None:
        raise ValidationError(_("Someone has already taken this thread on."))
    if not user.has_perm("correspondence.claim_thread", thread):
        raise PermissionDenied("Cannot claim this thread.")
    thread.assignee = user
    thread.save(update_fields=["assignee"])
    _add_participant(thread, user, Side.RECIPIENT)
    ThreadEvent.objects.create(
        thread=thread,
        kind=ThreadEvent.Kind.CLAIMED,
        at=now,
        actor=user,
        actor_name=user.get_full_name(),
        assignee=user,
    )
    return thread


@transaction.atomic
def thread_assign(*, thread: Thread, actor: User, assignee: User, now: datetime | None = None) -> Thread:
    """A secretary (or a colleague) gives the thread to a clinician of the receiving organisation."""
    now = now or timezone.now()
    thread = Thread.objects.select_for_update(of=("self",)).get(pk=thread.pk)
    if not actor.has_perm("correspondence.assign_thread", thread):
        raise PermissionDenied("Cannot assign this thread.")
    if not assignee.memberships.filter(
        organisation_id=thread.recipient_organisation_id, role__in=CLINICIAN_ROLES
    ).exists():
        raise ValidationError({"assignee": _("Choose a clinician of the receiving department.")})
    thread.assignee = assignee
    thread.save(update_fields=["assignee"])
    _add_participant(thread, assignee, Side.RECIPIENT)
    ThreadEvent.objects.create(
        thread=thread,
        kind=ThreadEvent.Kind.ASSIGNED,
        at=now,
        actor=actor,
        actor_name=actor.get_full_name(),
        assignee=assignee,
    )
    notifications.assigned(thread, assignee)
    return thread


@transaction.atomic
def thread_reroute(
    *, thread: Thread, actor: User, to_organisation: Organisation, reason: str, now: datetime | None = None
) -> Thread:
    """Move the thread to another department with a reason: re-routed, never rejected.

    The deadline restarts for the new department, which has not seen the message yet.
    """
    now = now or timezone.now()
    thread = (
        Thread.objects.select_for_update(of=("self",))
        .select_related("recipient_organisation")
        .get(pk=thread.pk)
    )
    if not actor.has_perm("correspondence.reroute_thread", thread):
        raise PermissionDenied("Cannot re-route this thread.")
    reason = _require_text(reason, field="reason", label=_("The reason"), max_length=REASON_MAX_LENGTH)
    if to_organisation.kind != Organisation.Kind.DEPARTMENT:
        raise ValidationError({"to_organisation": _("Re-route to a hospital department.")})
    if to_organisation.pk == thread.recipient_organisation_id:
        raise ValidationError({"to_organisation": _("The thread is already with this department.")})
    if to_organisation.pk == thread.sender_organisation_id:
        raise ValidationError(
            {"to_organisation": _("The thread cannot be sent back to its sender this way.")}
        )
    from_organisation = thread.recipient_organisation
    thread.recipient_organisation = to_organisation
    thread.assignee = None
    if thread.awaiting == Side.RECIPIENT:
        thread.due_at = _due_at(sent_at=now, answering_organisation=to_organisation)
        thread.overdue_notified_at = None
        thread.messages.filter(side=Side.SENDER, answered_at__isnull=True).update(due_at=thread.due_at)
    thread.save(update_fields=["recipient_organisation", "assignee", "due_at", "overdue_notified_at"])
    ThreadEvent.objects.create(
        thread=thread,
        kind=ThreadEvent.Kind.REROUTED,
        at=now,
        actor=actor,
        actor_name=actor.get_full_name(),
        from_organisation=from_organisation,
        to_organisation=to_organisation,
        reason=reason,
    )
    notifications.rerouted(thread)
    return thread


@transaction.atomic
def thread_close(*, thread: Thread, actor: User, summary: str, now: datetime | None = None) -> Thread:
    """Close with a short summary both sides see; nothing awaits a reply any more."""
    now = now or timezone.now()
    thread = Thread.objects.select_for_update(of=("self",)).get(pk=thread.pk)
    if not actor.has_perm("correspondence.close_thread", thread):
        raise PermissionDenied("Cannot close this thread.")
    summary = _require_text(summary, field="summary", label=_("The summary"), max_length=SUMMARY_MAX_LENGTH)
    thread.status = Thread.Status.CLOSED
    thread.closed_at = now
    thread.closed_by = actor
    thread.closing_summary = summary
    thread.awaiting, thread.due_at = "", None
    thread.save(update_fields=["status", "closed_at", "closed_by", "closing_summary", "awaiting", "due_at"])
    ThreadEvent.objects.create(
        thread=thread, kind=ThreadEvent.Kind.CLOSED, at=now, actor=actor, actor_name=actor.get_full_name()
    )
    # The closer closes from the thread page, having read it: the closing is news only to others.
    side = writing_side(actor, thread) or next(iter(sorted(sides_of(actor, thread))), None)
    if side is not None:
        _mark_read(thread, actor, side, now)
    notifications.closed(thread, actor)
    return thread


def overdue_threads_notify(*, now: datetime | None = None) -> int:
    """Tell the responsible person of each newly overdue thread, once; returns how many.

    One transaction per thread, so one bad address does not hold back the others.
    Run every few minutes (``manage.py correspondence_overdue``, and by the worker).
    """
    from .selectors import overdue_threads

    now = now or timezone.now()
    told = 0
    for thread_id in overdue_threads(now=now).values_list("pk", flat=True):
        with transaction.atomic():
            thread = (
                Thread.objects.select_for_update(of=("self",))
                .select_related("sender_organisation", "recipient_organisation", "assignee", "opened_by")
                .filter(
                    pk=thread_id, overdue_notified_at__isnull=True, status=Thread.Status.OPEN, due_at__lt=now
                )
                .first()
            )
            if thread is None:
                continue
            thread.overdue_notified_at = now
            thread.save(update_fields=["overdue_notified_at"])
            told_people = notifications.overdue(thread)
            ThreadEvent.objects.create(
                thread=thread,
                kind=ThreadEvent.Kind.OVERDUE,
                at=now,
                actor_name=", ".join(p.get_full_name() for p in told_people)[:301],
                to_organisation=thread.organisation_on(thread.awaiting),
            )
            told += 1
    return told


# ---------------------------------------------------------------------------- imported messages


@dataclass(frozen=True)
class ImportedAttachment:
    """A file that arrived with a message from another system, already checked by content."""

    file: File
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class ImportedMessage:
    """A message written in another system: its author is a name, not a portal user."""

    side: str
    organisation: Organisation
    author_name: str
    author_title: str
    author_phone: str
    author_organisation_name: str
    body: str
    body_html: str
    created_at: datetime
    medcom_message_id: str | None = None
    medcom_payload_id: str = ""
    #: False for content passed on from a third party (a forwarded original): nobody owes it a reply.
    awaits_reply: bool = True
    attachments: tuple[ImportedAttachment, ...] = ()


@transaction.atomic
def organisation_external_get_or_create(*, sor_code: str, name: str) -> Organisation:
    """The organisation with ``sor_code``; unknown, an external record named from the message.

    Kind "hospital" needs neither a provider number nor a parent. Nobody is a member, so it only
    ever appears as the other party of a thread.
    """
    found = Organisation.objects.filter(sor_code=sor_code).first()
    if found is not None:
        return found
    name = (name or "").strip() or f"Ukendt organisation (SOR {sor_code})"
    created = Organisation(kind=Organisation.Kind.HOSPITAL, name=name[:200], sor_code=sor_code)
    created.full_clean()
    created.save()
    logger.info("MedCom import created external organisation %s (SOR %s)", created.pk, sor_code)
    return created


@transaction.atomic
def thread_open_imported(
    *,
    conversation_id: uuid.UUID,
    subject: str,
    category: str,
    topic: str,
    priority: str,
    patient: PatientReference | None,
    sender_organisation: Organisation,
    recipient_organisation: Organisation,
    created_at: datetime,
) -> Thread:
    """A thread opened in another system, known here by its conversation id; nobody here opened it.

    Raises ValidationError (nothing written) when the thread breaks a model rule.
    """
    thread = Thread(
        conversation_id=conversation_id,
        subject=subject[:SUBJECT_MAX_LENGTH],
        category=category,
        topic=topic,
        priority=priority or "",
        patient=patient,
        opened_by=None,
        sender_organisation=sender_organisation,
        addressed_specialty=recipient_organisation.specialty,
        recipient_organisation=recipient_organisation,
        created_at=created_at,
        last_message_at=created_at,
    )
    thread.full_clean(exclude=["conversation_id", "public_id"])
    thread.save()
    return thread


@transaction.atomic
def thread_reopen(*, thread: Thread, actor_name: str, now: datetime, actor: User | None = None) -> Thread:
    """Open a closed thread again (a message arrived in it); a no-op on an open thread."""
    if thread.is_open:
        return thread
    thread.status, thread.closed_at, thread.closed_by = Thread.Status.OPEN, None, None
    thread.save(update_fields=["status", "closed_at", "closed_by"])
    ThreadEvent.objects.create(
        thread=thread, kind=ThreadEvent.Kind.REOPENED, at=now, actor=actor, actor_name=actor_name
    )
    return thread


@transaction.atomic
def thread_messages_import(
    *,
    thread: Thread,
    messages: Sequence[ImportedMessage],
    reason: str,
    from_organisation: Organisation,
    to_organisation: Organisation,
    actor: User | None = None,
    now: datetime | None = None,
) -> list[Message]:
    """Write messages that arrived from another system into ``thread``, in the order they were written.

    Every message is answered by the first later message from the other side. When the newest
    message of the thread is one of these, it sets whose turn it is (its deadline runs from when
    it reached the portal, since nobody could answer before that), reopens a closed thread and
    tells the other side. One IMPORTED event records the delivery.
    """
    now = now or timezone.now()
    working_days: dict[int, int] = {}

    def due(sent_at: datetime, side: str) -> datetime:
        answering = thread.organisation_on(Side(side).other)
        if answering.pk not in working_days:
            working_days[answering.pk] = reply_working_days(answering)
        return reply_due(sent_at=sent_at, working_days=working_days[answering.pk])

    written = []
    for item in sorted(messages, key=lambda x: x.created_at):
        message = Message(
            thread=thread,
            side=item.side,
            author=None,
            author_name=item.author_name,
            author_title=item.author_title,
            author_phone=item.author_phone,
            author_organisation_name=item.author_organisation_name,
            organisation=item.organisation,
            body=item.body,
            body_html=item.body_html,
            created_at=item.created_at,
            due_at=due(item.created_at, item.side) if item.awaits_reply else None,
            medcom_message_id=item.medcom_message_id,
            medcom_payload_id=item.medcom_payload_id,
        )
        message.save()
        for upload in item.attachments:
            Attachment.objects.create(
                message=message,
                file=upload.file,
                filename=upload.filename,
                content_type=upload.content_type,
                size=upload.size,
            )
        written.append(message)

    ordered = list(thread.messages.order_by("created_at", "pk"))
    _mark_answered(ordered)
    last = ordered[-1]
    if any(last.pk == x.pk for x in written):
        waiting = None
        if last.answered_at is None:
            last.due_at = due(max(last.created_at, now), last.side)
            Message.objects.filter(pk=last.pk).update(due_at=last.due_at)
            waiting = last
        thread.last_message_at = max(thread.last_message_at, last.created_at)
        _set_turn(thread, waiting_message=waiting)
        thread_reopen(thread=thread, actor_name=SYSTEM_ACTOR_NAME, now=now)
        notifications.new_message(last)

    ThreadEvent.objects.create(
        thread=thread,
        kind=ThreadEvent.Kind.IMPORTED,
        at=now,
        actor=actor,
        actor_name=(actor.get_full_name() or actor.email) if actor else SYSTEM_ACTOR_NAME,
        from_organisation=from_organisation,
        to_organisation=to_organisation,
        reason=reason[:REASON_MAX_LENGTH],
    )
    return written


def _mark_answered(ordered: list[Message]) -> None:
    """Each unanswered message is answered by the first later message from the other side."""
    for index, message in enumerate(ordered):
        if message.answered_at is not None:
            continue
        answer = next((x for x in ordered[index + 1 :] if x.side != message.side), None)
        if answer is not None:
            message.answered_at = answer.created_at
            message.answered_by_organisation_id = answer.organisation_id
            Message.objects.filter(pk=message.pk).update(
                answered_at=answer.created_at, answered_by_organisation_id=answer.organisation_id
            )


# ---------------------------------------------------------------------------- undelivered messages


def dead_letter_bundle(dead_letter: DeadLetter) -> bytes:
    """The bundle as it was received (it holds a CPR number: only for a new delivery attempt)."""
    return decrypt_patient_data(dead_letter.bundle_encrypted)


def dead_letters_rotate_keys(*, batch_size: int = 200) -> int:
    """Re-encrypt the kept bundles with the first CPR key (``rotate_cpr_keys`` calls this)."""
    count, last_pk = 0, 0
    while True:
        with transaction.atomic():
            batch = list(
                DeadLetter.objects.select_for_update()
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .only("pk", "bundle_encrypted")[:batch_size]
            )
            if not batch:
                return count
            for dead_letter in batch:
                dead_letter.bundle_encrypted = reencrypt(dead_letter.bundle_encrypted)
            DeadLetter.objects.bulk_update(batch, ["bundle_encrypted"])
        count += len(batch)
        last_pk = batch[-1].pk


@transaction.atomic
def dead_letter_record(
    *,
    header_id: str,
    bundle: bytes,
    reason: str,
    sender_sor: str,
    sender_name: str,
    receiver_sor: str,
    receiver_name: str,
    now: datetime | None = None,
) -> DeadLetter:
    """Keep a message that cannot be delivered; the same MessageHeader again counts one more attempt.

    ``reason`` and the names must not carry a CPR number: they are what the admin list shows.
    """
    now = now or timezone.now()
    dead_letter = DeadLetter.objects.select_for_update().filter(header_id=header_id).first()
    if dead_letter is None:
        dead_letter = DeadLetter(
            header_id=header_id,
            received_at=now,
            bundle_encrypted=encrypt_patient_data(bundle),
            attempts=0,
        )
    dead_letter.status = DeadLetter.Status.WAITING
    dead_letter.reason = reason[:REASON_MAX_LENGTH]
    dead_letter.sender_sor, dead_letter.sender_name = sender_sor[:18], sender_name[:200]
    dead_letter.receiver_sor, dead_letter.receiver_name = receiver_sor[:18], receiver_name[:200]
    dead_letter.attempts += 1
    dead_letter.last_attempt_at = now
    dead_letter.full_clean(exclude=["header_id"])
    dead_letter.save()
    return dead_letter


@transaction.atomic
def dead_letter_resolve(
    *, dead_letter: DeadLetter, delivered_to: Thread | None, reason: str = "", now: datetime | None = None
) -> DeadLetter:
    """After a new attempt: delivered to ``delivered_to``, or (None) refused for ``reason``."""
    dead_letter.status = DeadLetter.Status.DELIVERED if delivered_to else DeadLetter.Status.REFUSED
    dead_letter.thread = delivered_to
    if reason:
        dead_letter.reason = reason[:REASON_MAX_LENGTH]
    dead_letter.last_attempt_at = now or timezone.now()
    dead_letter.save(update_fields=["status", "thread", "reason", "last_attempt_at"])
    return dead_letter


# --- An anonymised FAQ draft from a closed thread (issue 15) ------------------------------------


def thread_faq_source_read(*, thread: Thread, user: User, request: HttpRequest | None = None) -> FaqSource:
    """The thread's text for a participant's FAQ proposal: a read of patient data, logged as one."""
    if not user.has_perm("correspondence.propose_faq_thread", thread):
        raise PermissionDenied("Cannot propose this thread as an FAQ.")
    source = thread_faq_source(thread)
    if thread.patient_id:
        access_log_record(
            actor=user,
            patient_index=thread.patient.cpr_index,
            action=AccessLogEntry.Action.VIEW,
            obj=thread,
            purpose=PURPOSE_FAQ_PROPOSAL,
            request=request,
        )
    return source


@transaction.atomic
def thread_faq_propose(*, thread: Thread, user: User, question: str, answer: str):
    """The participant's reviewed, anonymised text as an unpublished FAQ draft for the editors.

    Nothing of the thread goes along: not its id, not its patient; the draft is the text alone.
    A CPR-shaped number left in the text refuses the whole proposal (``FaqProposalForm`` says so
    first; this is the service's own guard).
    """
    from portal.patients.anonymise import faq_proposal_submit

    if not user.has_perm("correspondence.propose_faq_thread", thread):
        raise PermissionDenied("Cannot propose this thread as an FAQ.")
    return faq_proposal_submit(question=question, answer=answer, owner=user)
