"""Writes of outreach orders: order a service through the portal, the service acknowledges it.

Each function is one transaction: the order, its patient reference, its access-log entry and the
e-mails are saved together or not at all. Validation errors are Danish ``ValidationError``s
raised before anything is written (or roll the transaction back); ``PermissionDenied`` means the
rules said no (views answer 404).
"""

import uuid
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Organisation, User
from portal.audit.models import AccessLogEntry
from portal.audit.services import access_log_record
from portal.core.deadlines import reply_due
from portal.patients.services import patient_reference_get_or_create

from . import notifications
from .models import REQUEST_MAX_LENGTH, OutreachOrder, OutreachService, postcode_validator
from .rules import can_see_order
from .selectors import ordering_organisations, postcode_find

# Recorded evidence in the access log, in Danish whatever the interface language.
PURPOSE_ORDER = "Bestilling af udgående funktion"


def _log(order: OutreachOrder, *, actor: User, action: str, request=None) -> None:
    if order.patient_id is None:
        return
    access_log_record(
        actor=actor,
        patient_index=order.patient.cpr_index,
        action=action,
        obj=order,
        purpose=PURPOSE_ORDER,
        request=request,
    )


def _text(value: str, *, field: str, label: str, max_length: int) -> str:
    # Clinical text is kept as written (only surrounding blank lines trimmed), never stripped of "tags".
    value = (value or "").strip("\r\n")
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


def _covered_postcode(service: OutreachService, postcode: str) -> str:
    postcode = (postcode or "").strip()
    try:
        postcode_validator(postcode)
    except ValidationError:
        raise ValidationError({"postcode": _("A postcode is four digits.")}) from None
    known = postcode_find(postcode)
    if not service.covers(int(postcode), known.municipality_id if known else None):
        raise ValidationError(
            {
                "postcode": _("%(service)s does not cover postcode %(postcode)s.")
                % {"service": service.name, "postcode": postcode}
            }
        )
    return postcode


@transaction.atomic
def outreach_order_create(
    *,
    orderer: User,
    organisation: Organisation | None,
    service: OutreachService | None,
    postcode: str,
    request_text: str,
    callback_phone: str,
    patient_cpr: str = "",
    client_token: uuid.UUID | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> tuple[OutreachOrder, bool]:
    """A GP (or hospital doctor) orders an outreach service for a postcode it covers, with an
    optional patient. Returns (order, created); the same ``client_token`` twice gives the first."""
    now = now or timezone.now()
    if client_token:
        existing = OutreachOrder.objects.filter(orderer=orderer, client_token=client_token).first()
        if existing:
            return existing, False
    if service is None or not service.active:
        raise ValidationError({"service": _("Choose a service from the directory.")})
    if not service.order_form:
        raise ValidationError(_("This service is not ordered through the portal; call it."))
    if organisation is None or organisation not in ordering_organisations(orderer, service):
        raise PermissionDenied("Not someone who may order this service from this organisation.")
    if not orderer.get_full_name().strip():
        raise ValidationError(_("Your user profile has no name; add your name first."))
    postcode = _covered_postcode(service, postcode)
    text = _text(request_text, field="request", label=_("What is needed"), max_length=REQUEST_MAX_LENGTH)
    phone = _text(callback_phone, field="callback_phone", label=_("The phone for questions"), max_length=30)
    patient = None
    if (patient_cpr or "").strip():
        try:
            patient, _created = patient_reference_get_or_create(
                cpr=patient_cpr, actor=orderer, purpose=PURPOSE_ORDER, request=request
            )
        except ValidationError as error:
            raise ValidationError({"cpr": error.messages}) from None
    order = OutreachOrder(
        service=service,
        owner_id=service.owner_id,
        orderer=orderer,
        ordering_organisation=organisation,
        patient=patient,
        postcode=postcode,
        request=text,
        callback_phone=phone,
        created_at=now,
        respond_by=reply_due(sent_at=now, working_days=service.response_working_days),
        client_token=client_token,
    )
    order.full_clean(exclude=["public_id"])
    try:
        with transaction.atomic():
            order.save()
    except IntegrityError:
        # The same form submitted twice at once: the other request won.
        raise ValidationError(_("The order was sent twice; see your orders.")) from None
    _log(order, actor=orderer, action=AccessLogEntry.Action.CREATE, request=request)
    notifications.ordered(order)
    return order, True


@transaction.atomic
def outreach_order_read(*, order: OutreachOrder, user: User, request: HttpRequest | None = None) -> None:
    """Every view of an order with a patient is a view of that patient: one access-log entry."""
    if not can_see_order(user, order):
        raise PermissionDenied("Not a party to this order.")
    _log(order, actor=user, action=AccessLogEntry.Action.VIEW, request=request)


@transaction.atomic
def outreach_order_acknowledge(
    *, order: OutreachOrder, actor: User, request: HttpRequest | None = None, now: datetime | None = None
) -> OutreachOrder:
    """The service's staff have the order: the ordering side sees who took it and when."""
    now = now or timezone.now()
    if not can_see_order(actor, order):
        raise PermissionDenied("Not a party to this order.")
    order = (
        OutreachOrder.objects.select_for_update(of=("self",))
        .select_related("patient", "service", "owner", "orderer", "ordering_organisation")
        .get(pk=order.pk)
    )
    if not actor.has_perm("outreach.acknowledge_outreachorder", order):
        if order.state != OutreachOrder.State.ORDERED:
            raise ValidationError(_("The order has already been received."))
        raise PermissionDenied("Not staff of the service.")
    if not actor.get_full_name().strip():
        raise ValidationError(_("Your user profile has no name; add your name first."))
    order.state = OutreachOrder.State.ACKNOWLEDGED
    order.acknowledged_at, order.acknowledged_by = now, actor
    order.save(update_fields=["state", "acknowledged_at", "acknowledged_by"])
    _log(order, actor=actor, action=AccessLogEntry.Action.CHANGE, request=request)
    notifications.acknowledged(order)
    return order
