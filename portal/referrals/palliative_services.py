"""Writes of palliative handovers: the hospital proposes, after a phone agreement, that the GP
takes over a palliative patient with the agreed plan; a GP of the practice accepts.

The same ``ResponsibilityHandover`` as a referral's handover (kind *palliative*, no referral):
proposed by one side, acknowledged by the other, the proposer keeping the responsibility until
then, reminded by ``referrals_remind`` like every open handover. Each function is one
transaction with its access-log entry and e-mail; Danish ``ValidationError``s, and
``PermissionDenied`` when the rules say no (views answer 404).
"""

import uuid
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Organisation, User
from portal.accounts.roles import CLINICIAN_ROLES
from portal.accounts.selectors import user_has_role_in
from portal.audit.models import AccessLogEntry
from portal.audit.services import access_log_record
from portal.patients.services import patient_reference_get_or_create

from . import notifications
from .models import PHONE_AGREEMENT_MAX_LENGTH, PLAN_MAX_LENGTH, ResponsibilityHandover
from .palliative_rules import can_see_palliative
from .services import _name, _require_text

# Recorded evidence in the access log, in Danish whatever the interface language.
PURPOSE_PALLIATIVE = "Overdragelse af behandlingsansvar for palliativ patient til egen læge"


def _log(handover: ResponsibilityHandover, *, actor: User, action: str, request=None) -> None:
    access_log_record(
        actor=actor,
        patient_index=handover.patient.cpr_index,
        action=action,
        obj=handover,
        purpose=PURPOSE_PALLIATIVE,
        request=request,
    )


@transaction.atomic
def palliative_handover_propose(
    *,
    actor: User,
    department: Organisation,
    practice: Organisation | None,
    patient_cpr: str,
    plan: str,
    phone_agreement: str,
    client_token: uuid.UUID | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> tuple[ResponsibilityHandover, bool]:
    """A hospital clinician proposes the handover agreed on the phone; returns (handover, created),
    the same ``client_token`` twice giving the first."""
    now = now or timezone.now()
    if client_token:
        existing = ResponsibilityHandover.objects.filter(proposed_by=actor, client_token=client_token).first()
        if existing:
            return existing, False
    if (
        department is None
        or department.kind != Organisation.Kind.DEPARTMENT
        or not user_has_role_in(actor, department.pk, CLINICIAN_ROLES)
    ):
        raise PermissionDenied("Only a clinician of the department proposes its handovers.")
    _name(actor)
    if practice is None or practice.kind != Organisation.Kind.GENERAL_PRACTICE:
        raise ValidationError({"practice": _("Choose the patient's GP practice.")})
    plan = _require_text(plan, field="plan", label=_("The agreed plan"), max_length=PLAN_MAX_LENGTH)
    phone_agreement = _require_text(
        phone_agreement,
        field="phone_agreement",
        label=_("The phone agreement"),
        max_length=PHONE_AGREEMENT_MAX_LENGTH,
    )
    if not patient_cpr:
        raise ValidationError({"cpr": _("The handover needs the patient's CPR number.")})
    patient, _created = patient_reference_get_or_create(
        cpr=patient_cpr, actor=actor, purpose=PURPOSE_PALLIATIVE, request=request
    )
    open_offer = _("A palliative handover of this patient already awaits the practice's answer.")
    if ResponsibilityHandover.objects.filter(
        kind=ResponsibilityHandover.Kind.PALLIATIVE,
        patient=patient,
        acknowledged_at__isnull=True,
        withdrawn_at__isnull=True,
    ).exists():
        raise ValidationError(open_offer)
    handover = ResponsibilityHandover(
        kind=ResponsibilityHandover.Kind.PALLIATIVE,
        patient=patient,
        plan=plan,
        phone_agreement=phone_agreement,
        from_organisation=department,
        to_organisation=practice,
        proposed_by=actor,
        proposed_at=now,
        client_token=client_token,
    )
    try:
        with transaction.atomic():
            handover.save()
    except IntegrityError:
        # Two proposals for the patient at once (or the same form twice): the other one won.
        raise ValidationError(open_offer) from None
    _log(handover, actor=actor, action=AccessLogEntry.Action.CREATE, request=request)
    notifications.palliative_handover_proposed(handover)
    return handover, True


@transaction.atomic
def palliative_handover_read(
    *, handover: ResponsibilityHandover, user: User, request: HttpRequest | None = None
) -> None:
    """Every view of the handover is a view of its patient: one access-log entry."""
    if not can_see_palliative(user, handover):
        raise PermissionDenied("Not a party to this handover.")
    _log(handover, actor=user, action=AccessLogEntry.Action.VIEW, request=request)


@transaction.atomic
def palliative_handover_accept(
    *,
    handover: ResponsibilityHandover,
    actor: User,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> ResponsibilityHandover:
    """A GP of the practice accepts: from now on the practice holds the responsibility."""
    now = now or timezone.now()
    handover = (
        ResponsibilityHandover.objects.select_for_update(of=("self",))
        .select_related("patient", "from_organisation", "to_organisation")
        .get(pk=handover.pk)
    )
    if not can_see_palliative(actor, handover) or not user_has_role_in(
        actor, handover.to_organisation_id, CLINICIAN_ROLES
    ):
        raise PermissionDenied("Only a GP of the receiving practice accepts.")
    if handover.acknowledged_at is not None:
        raise ValidationError(_("The handover is already accepted."))
    if handover.withdrawn_at is not None:
        raise ValidationError(_("The handover was withdrawn."))
    _name(actor)
    handover.acknowledged_at, handover.acknowledged_by = now, actor
    handover.save(update_fields=["acknowledged_at", "acknowledged_by"])
    _log(handover, actor=actor, action=AccessLogEntry.Action.CHANGE, request=request)
    return handover
