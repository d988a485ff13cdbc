"""Writes of investigation orders: order (and book), record performed, give the result notice,
acknowledge it.

Each function is one transaction: the change, its history event, its access-log entry, the
booking and the e-mails are saved together or not at all. Validation errors are Danish
``ValidationError``s raised before anything is written (or roll the transaction back);
``PermissionDenied`` means the rules said no (views answer 404).

The ordering practice keeps the treatment responsibility throughout: there is no handover
here, and the department's result notice is a notice to follow up, not the full result.
"""

import uuid
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Organisation, User
from portal.accounts.roles import Role
from portal.accounts.selectors import user_has_role_in
from portal.audit.models import AccessLogEntry
from portal.audit.services import access_log_record
from portal.bookings.models import Slot
from portal.bookings.services import booking_create
from portal.patients.services import patient_reference_get_or_create

from . import diagnostics_notifications as notifications
from .diagnostics_rules import can_see_order
from .models import (
    CLINICAL_QUESTION_MAX_LENGTH,
    RESULT_NOTICE_MAX_LENGTH,
    InvestigationOrder,
    InvestigationOrderEvent,
    InvestigationType,
)
from .services import _name, _require_text

# Recorded evidence in the access log, in Danish whatever the interface language.
PURPOSE_ORDER = "Bestilling af undersøgelse på hospitalet"


def _event(order: InvestigationOrder, kind: str, *, at: datetime, actor: User, organisation) -> None:
    InvestigationOrderEvent.objects.create(
        order=order,
        kind=kind,
        at=at,
        actor=actor,
        actor_name=actor.get_full_name(),
        organisation=organisation,
    )


def _log(order: InvestigationOrder, *, actor: User, action: str, request=None) -> None:
    access_log_record(
        actor=actor,
        patient_index=order.patient.cpr_index,
        action=action,
        obj=order,
        purpose=PURPOSE_ORDER,
        request=request,
    )


def _locked(order: InvestigationOrder) -> InvestigationOrder:
    return (
        InvestigationOrder.objects.select_for_update(of=("self",))
        .select_related("patient", "practice", "department", "author", "investigation_type")
        .get(pk=order.pk)
    )


def _step(order: InvestigationOrder, now: datetime, fields: list[str]) -> None:
    order.last_step_at = now
    order.save(update_fields=[*fields, "last_step_at"])


def _slot_of(investigation: InvestigationType, slot_id) -> Slot:
    """The chosen slot, only among the investigation's own resource: anything else is unknown."""
    try:
        slot_uuid = uuid.UUID(str(slot_id))
    except (TypeError, ValueError, AttributeError):
        slot_uuid = None
    slot = (
        Slot.objects.filter(public_id=slot_uuid, resource_id=investigation.resource_id).first()
        if slot_uuid
        else None
    )
    if slot is None:
        raise ValidationError({"slot": _("Choose one of the free times of this investigation.")})
    return slot


@transaction.atomic
def investigation_order_create(
    *,
    author: User,
    practice: Organisation,
    investigation: InvestigationType | None,
    patient_cpr: str,
    clinical_question: str,
    slot_id=None,
    client_token: uuid.UUID | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> tuple[InvestigationOrder, bool]:
    """A GP orders an investigation; a bookable one is booked on ``slot_id`` in the same step.

    Returns (order, created); the same ``client_token`` twice gives the first order.
    """
    now = now or timezone.now()
    if client_token:
        existing = InvestigationOrder.objects.filter(author=author, client_token=client_token).first()
        if existing:
            return existing, False
    if practice is None or not user_has_role_in(author, practice.pk, {Role.GP}):
        raise PermissionDenied("Only a GP of the practice orders from it.")
    _name(author)
    if investigation is None or not investigation.active:
        raise ValidationError({"investigation": _("Choose an investigation from the catalogue.")})
    question = _require_text(
        clinical_question,
        field="clinical_question",
        label=_("The clinical question"),
        max_length=CLINICAL_QUESTION_MAX_LENGTH,
    )
    slot = None if investigation.drop_in else _slot_of(investigation, slot_id)
    if not patient_cpr:
        raise ValidationError({"cpr": _("An order needs the patient's CPR number.")})
    patient, _created = patient_reference_get_or_create(
        cpr=patient_cpr, actor=author, purpose=PURPOSE_ORDER, request=request
    )
    order = InvestigationOrder(
        patient=patient,
        practice=practice,
        author=author,
        investigation_type=investigation,
        department_id=investigation.department_id,
        clinical_question=question,
        state=InvestigationOrder.State.ORDERED,
        created_at=now,
        last_step_at=now,
        client_token=client_token,
    )
    if slot is not None:
        # Raises the booking core's Danish refusal (passed, taken) and rolls everything back.
        order.booking = booking_create(slot=slot, user=author, organisation=practice, now=now)
        order.state = InvestigationOrder.State.BOOKED
    order.full_clean(exclude=["public_id", "booking"])
    try:
        with transaction.atomic():
            order.save()
    except IntegrityError:
        # The same form submitted twice at once: the other request won; this booking rolls back.
        raise ValidationError(_("The order was sent twice; see your orders.")) from None
    _event(order, InvestigationOrderEvent.Kind.ORDERED, at=now, actor=author, organisation=practice)
    if order.booking_id:
        _event(order, InvestigationOrderEvent.Kind.BOOKED, at=now, actor=author, organisation=practice)
    _log(order, actor=author, action=AccessLogEntry.Action.CREATE, request=request)
    notifications.ordered(order)
    return order, True


@transaction.atomic
def investigation_order_read(
    *, order: InvestigationOrder, user: User, request: HttpRequest | None = None
) -> None:
    """Every view of an order is a view of its patient: one access-log entry."""
    if not can_see_order(user, order):
        raise PermissionDenied("Not a party to this order.")
    _log(order, actor=user, action=AccessLogEntry.Action.VIEW, request=request)


def _require(user: User, perm: str, order: InvestigationOrder) -> None:
    if not user.has_perm(perm, order):
        raise PermissionDenied(perm)


@transaction.atomic
def investigation_performed_record(
    *,
    order: InvestigationOrder,
    actor: User,
    performed_at: datetime,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> InvestigationOrder:
    """The department records when the investigation took place (not in the future)."""
    now = now or timezone.now()
    if not can_see_order(actor, order):
        raise PermissionDenied("Not a party to this order.")
    order = _locked(order)
    _require(actor, "referrals.record_investigation_performed", order)
    _name(actor)
    if performed_at is None or timezone.is_naive(performed_at):
        raise ValidationError({"performed_at": _("Give the date and time the investigation took place.")})
    if performed_at > now:
        raise ValidationError({"performed_at": _("The time it took place cannot be in the future.")})
    # Times are recorded to the minute: the minute the order was made counts as after it.
    if performed_at < order.created_at.replace(second=0, microsecond=0):
        raise ValidationError(
            {"performed_at": _("The investigation cannot have taken place before it was ordered.")}
        )
    order.performed_at, order.state = performed_at, InvestigationOrder.State.PERFORMED
    _step(order, now, ["performed_at", "state"])
    _event(order, InvestigationOrderEvent.Kind.PERFORMED, at=now, actor=actor, organisation=order.department)
    _log(order, actor=actor, action=AccessLogEntry.Action.CHANGE, request=request)
    return order


@transaction.atomic
def investigation_result_record(
    *,
    order: InvestigationOrder,
    actor: User,
    notice: str,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> InvestigationOrder:
    """A clinician of the department gives the short result notice; the ordering GP is e-mailed a link."""
    now = now or timezone.now()
    if not can_see_order(actor, order):
        raise PermissionDenied("Not a party to this order.")
    order = _locked(order)
    _require(actor, "referrals.record_investigation_result", order)
    _name(actor)
    notice = _require_text(
        notice, field="notice", label=_("The result notice"), max_length=RESULT_NOTICE_MAX_LENGTH
    )
    order.result_notice, order.result_at = notice, now
    order.state = InvestigationOrder.State.RESULT_AVAILABLE
    _step(order, now, ["result_notice", "result_at", "state"])
    _event(order, InvestigationOrderEvent.Kind.RESULT, at=now, actor=actor, organisation=order.department)
    _log(order, actor=actor, action=AccessLogEntry.Action.CHANGE, request=request)
    notifications.result_available(order)
    return order


@transaction.atomic
def investigation_result_acknowledge(
    *, order: InvestigationOrder, actor: User, request: HttpRequest | None = None, now: datetime | None = None
) -> InvestigationOrder:
    """A GP of the ordering practice has read the result notice and taken the follow-up on."""
    now = now or timezone.now()
    if not can_see_order(actor, order):
        raise PermissionDenied("Not a party to this order.")
    order = _locked(order)
    _require(actor, "referrals.acknowledge_investigation_result", order)
    _name(actor)
    order.acknowledged_at, order.acknowledged_by = now, actor
    order.state = InvestigationOrder.State.ACKNOWLEDGED
    _step(order, now, ["acknowledged_at", "acknowledged_by", "state"])
    _event(order, InvestigationOrderEvent.Kind.ACKNOWLEDGED, at=now, actor=actor, organisation=order.practice)
    _log(order, actor=actor, action=AccessLogEntry.Action.CHANGE, request=request)
    return order


def result_reminders_send(*, now: datetime | None = None) -> int:
    """Remind the ordering practice of each result notice it has left unacknowledged past the
    follow-up working days, once per such period; returns how many were reminded.

    One transaction per order, re-checked under a lock, so two runs at once, or twice in the
    same round, send one e-mail. Run every few minutes (``manage.py referrals_remind``).
    """
    from .diagnostics_selectors import RESULT_FOLLOW_UP_WORKING_DAYS, result_notices_due_a_reminder
    from .selectors import reminder_round

    now = now or timezone.now()
    every = RESULT_FOLLOW_UP_WORKING_DAYS
    told = 0
    for order_id in result_notices_due_a_reminder(now=now):
        with transaction.atomic():
            order = (
                InvestigationOrder.objects.select_for_update(of=("self",))
                .select_related("practice", "author", "department__parent")
                .filter(pk=order_id, state=InvestigationOrder.State.RESULT_AVAILABLE)
                .first()
            )
            if order is None:
                continue
            round_ = reminder_round(since=order.result_at, at=now, every=every)
            if round_ <= reminder_round(since=order.result_at, at=order.result_reminded_at, every=every):
                continue
            order.result_reminded_at = now
            order.save(update_fields=["result_reminded_at"])
            notifications.result_reminder(order, round_=round_)
            told += 1
    return told
