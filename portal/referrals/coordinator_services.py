"""Writes of the coordinating GP (tovholder) for a patient with complex multimorbidity.

The role changes only by a ``ResponsibilityHandover`` of kind coordinator, the same proposal and
acknowledgement as the referral and palliative handovers (reminded by ``referrals_remind`` like
them): a department involved proposes that the patient's practice takes the role on, or the
practice holding it proposes another practice (the patient changed GP); a GP of the receiving
practice acknowledges, and only that creates or changes the ``CareCoordinator`` row, under a
row lock. Adding a department involved is not a handover; it is recorded in the row's history.
Each function is one transaction with its access-log entry and e-mail; Danish
``ValidationError``s, and ``PermissionDenied`` when the rules say no (views answer 404).
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
from portal.patients.models import PatientReference
from portal.patients.services import patient_reference_get_or_create

from . import notifications
from .coordinator_rules import can_see_coordinator, can_see_coordinator_handover
from .models import COORDINATOR_NOTE_MAX_LENGTH, CareCoordinator, CareCoordinatorEvent, ResponsibilityHandover
from .services import _name, _require_text

# Recorded evidence in the access log, in Danish whatever the interface language.
PURPOSE_COORDINATOR = "Tovholder for patient med kompleks multisygdom"


def _log(obj, *, patient: PatientReference, actor: User, action: str, request=None) -> None:
    access_log_record(
        actor=actor,
        patient_index=patient.cpr_index,
        action=action,
        obj=obj,
        purpose=PURPOSE_COORDINATOR,
        request=request,
    )


def _note(note: str) -> str:
    return _require_text(
        note, field="note", label=_("The care plan and agreements"), max_length=COORDINATOR_NOTE_MAX_LENGTH
    )


def _open_handover_exists(patient: PatientReference) -> bool:
    return ResponsibilityHandover.objects.filter(
        kind=ResponsibilityHandover.Kind.COORDINATOR,
        patient=patient,
        acknowledged_at__isnull=True,
        withdrawn_at__isnull=True,
    ).exists()


def _locked_for_clinician(
    handover: ResponsibilityHandover, actor: User, *, side: str
) -> ResponsibilityHandover:
    """The proposal, locked, if ``actor`` sees it and is a clinician of its ``side`` ("from": the
    proposing side, "to": the receiving practice); else PermissionDenied."""
    handover = (
        ResponsibilityHandover.objects.select_for_update(of=("self",))
        .select_related("patient", "from_organisation", "to_organisation")
        .get(pk=handover.pk)
    )
    organisation_id = handover.from_organisation_id if side == "from" else handover.to_organisation_id
    if not actor.has_perm("referrals.view_coordinator_handover", handover) or not user_has_role_in(
        actor, organisation_id, CLINICIAN_ROLES
    ):
        raise PermissionDenied(f"Only a clinician of the proposal's {side!r} side may do this.")
    return handover


def _save_proposal(handover: ResponsibilityHandover, *, actor: User, request) -> ResponsibilityHandover:
    open_offer = _("A proposal of a coordinating GP for this patient already awaits an answer.")
    if _open_handover_exists(handover.patient):
        raise ValidationError(open_offer)
    try:
        with transaction.atomic():
            handover.save()
    except IntegrityError:
        # Two proposals for the patient at once: the other one won.
        raise ValidationError(open_offer) from None
    _log(
        handover, patient=handover.patient, actor=actor, action=AccessLogEntry.Action.CREATE, request=request
    )
    notifications.coordinator_handover_proposed(handover)
    return handover


def _replayed(actor: User, client_token: uuid.UUID | None) -> ResponsibilityHandover | None:
    if not client_token:
        return None
    return ResponsibilityHandover.objects.filter(proposed_by=actor, client_token=client_token).first()


@transaction.atomic
def coordinator_handover_propose(
    *,
    actor: User,
    department: Organisation | None,
    practice: Organisation | None,
    patient_cpr: str,
    note: str,
    client_token: uuid.UUID | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> tuple[ResponsibilityHandover, bool]:
    """A clinician of a department involved proposes that the patient's GP practice becomes the
    tovholder; returns (handover, created), the same ``client_token`` twice giving the first."""
    existing = _replayed(actor, client_token)
    if existing:
        return existing, False
    if (
        department is None
        or department.kind != Organisation.Kind.DEPARTMENT
        or not user_has_role_in(actor, department.pk, CLINICIAN_ROLES)
    ):
        raise PermissionDenied("Only a clinician of the department proposes.")
    _name(actor)
    if practice is None or practice.kind != Organisation.Kind.GENERAL_PRACTICE:
        raise ValidationError({"practice": _("Choose the patient's GP practice.")})
    note = _note(note)
    if not patient_cpr:
        raise ValidationError({"cpr": _("The proposal needs the patient's CPR number.")})
    patient, _created = patient_reference_get_or_create(
        cpr=patient_cpr, actor=actor, purpose=PURPOSE_COORDINATOR, request=request
    )
    if CareCoordinator.objects.filter(patient=patient).exists():
        # Only the practice holding the role hands it on; the department asks to be added.
        raise ValidationError(
            _(
                "The patient already has a coordinating GP practice. Ask the practice to add your "
                "department, or to hand the role over."
            )
        )
    handover = ResponsibilityHandover(
        kind=ResponsibilityHandover.Kind.COORDINATOR,
        patient=patient,
        plan=note,
        from_organisation=department,
        to_organisation=practice,
        proposed_by=actor,
        proposed_at=now or timezone.now(),
        client_token=client_token,
    )
    return _save_proposal(handover, actor=actor, request=request), True


@transaction.atomic
def coordinator_hand_over(
    *,
    coordinator: CareCoordinator,
    actor: User,
    practice: Organisation | None,
    note: str,
    client_token: uuid.UUID | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> tuple[ResponsibilityHandover, bool]:
    """A clinician of the practice holding the role proposes another practice (the patient has
    changed GP); the role stays until that practice acknowledges."""
    existing = _replayed(actor, client_token)
    if existing:
        return existing, False
    if not actor.has_perm("referrals.hand_over_care_coordinator", coordinator):
        raise PermissionDenied("Only a clinician of the holding practice hands the role over.")
    _name(actor)
    if practice is None or practice.kind != Organisation.Kind.GENERAL_PRACTICE:
        raise ValidationError({"practice": _("Choose the patient's new GP practice.")})
    if practice.pk == coordinator.practice_id:
        raise ValidationError({"practice": _("Your practice already holds the coordinating role.")})
    handover = ResponsibilityHandover(
        kind=ResponsibilityHandover.Kind.COORDINATOR,
        patient=coordinator.patient,
        plan=_note(note),
        from_organisation_id=coordinator.practice_id,
        to_organisation=practice,
        proposed_by=actor,
        proposed_at=now or timezone.now(),
        client_token=client_token,
    )
    return _save_proposal(handover, actor=actor, request=request), True


@transaction.atomic
def coordinator_read(*, coordinator: CareCoordinator, user: User, request: HttpRequest | None = None) -> None:
    """Every view of the row is a view of its patient: one access-log entry."""
    if not can_see_coordinator(user, coordinator):
        raise PermissionDenied("Not involved in this patient's coordination.")
    _log(
        coordinator,
        patient=coordinator.patient,
        actor=user,
        action=AccessLogEntry.Action.VIEW,
        request=request,
    )


@transaction.atomic
def coordinator_handover_read(
    *, handover: ResponsibilityHandover, user: User, request: HttpRequest | None = None
) -> None:
    if not can_see_coordinator_handover(user, handover):
        raise PermissionDenied("Not a party to this proposal.")
    _log(handover, patient=handover.patient, actor=user, action=AccessLogEntry.Action.VIEW, request=request)


@transaction.atomic
def coordinator_handover_acknowledge(
    *,
    handover: ResponsibilityHandover,
    actor: User,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> CareCoordinator:
    """A GP of the receiving practice acknowledges: from now on the practice is the tovholder.

    The proposal and the patient's row are locked, so two acknowledgements (a double click, a
    colleague at the same moment) cannot both win; a proposal the row has moved past (its
    proposer no longer holds the role, or a department's proposal for a patient who got a
    tovholder meanwhile) is refused, not applied."""
    now = now or timezone.now()
    handover = _locked_for_clinician(handover, actor, side="to")
    if handover.acknowledged_at is not None:
        raise ValidationError(_("The proposal is already acknowledged."))
    if handover.withdrawn_at is not None:
        raise ValidationError(_("The proposal was withdrawn."))
    actor_name = _name(actor)
    coordinator = CareCoordinator.objects.select_for_update().filter(patient=handover.patient).first()
    from_department = handover.from_organisation.kind == Organisation.Kind.DEPARTMENT
    if coordinator is None and from_department:
        coordinator = CareCoordinator(patient=handover.patient)
    elif coordinator is None or from_department or coordinator.practice_id != handover.from_organisation_id:
        raise ValidationError(
            _("The coordinating role has changed since the proposal; it cannot be acknowledged.")
        )
    coordinator.practice = handover.to_organisation
    coordinator.note = handover.plan
    coordinator.since = now
    try:
        with transaction.atomic():
            coordinator.save()
    except IntegrityError:
        # Without a row to lock, two first acknowledgements race on the one-row-per-patient key.
        raise ValidationError(
            _("The coordinating role has changed since the proposal; it cannot be acknowledged.")
        ) from None
    if from_department:
        coordinator.departments.add(handover.from_organisation)
    handover.acknowledged_at, handover.acknowledged_by = now, actor
    handover.save(update_fields=["acknowledged_at", "acknowledged_by"])
    CareCoordinatorEvent.objects.create(
        coordinator=coordinator,
        kind=CareCoordinatorEvent.Kind.TAKEN_ON,
        at=now,
        actor=actor,
        actor_name=actor_name,
        organisation=handover.to_organisation,
        handover=handover,
    )
    _log(
        coordinator,
        patient=handover.patient,
        actor=actor,
        action=AccessLogEntry.Action.CHANGE,
        request=request,
    )
    notifications.coordinator_handover_acknowledged(handover, coordinator)
    return coordinator


@transaction.atomic
def coordinator_handover_withdraw(
    *,
    handover: ResponsibilityHandover,
    actor: User,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> ResponsibilityHandover:
    """A clinician of the proposing side takes back a proposal no GP has acknowledged yet (the
    wrong practice chosen, the patient moved, the plan changed). The proposal is locked, so a
    withdrawal and an acknowledgement at the same moment cannot both win; the receiving practice
    is told, and the holder may propose again."""
    now = now or timezone.now()
    handover = _locked_for_clinician(handover, actor, side="from")
    if handover.acknowledged_at is not None:
        raise ValidationError(_("The proposal is already acknowledged; it can no longer be withdrawn."))
    if handover.withdrawn_at is not None:
        raise ValidationError(_("The proposal was withdrawn."))
    handover.withdrawn_at = now
    handover.save(update_fields=["withdrawn_at"])
    _log(
        handover, patient=handover.patient, actor=actor, action=AccessLogEntry.Action.CHANGE, request=request
    )
    notifications.coordinator_handover_withdrawn(handover)
    return handover


@transaction.atomic
def coordinator_department_add(
    *,
    coordinator: CareCoordinator,
    actor: User,
    department: Organisation | None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> CareCoordinator:
    """The holding practice or a department involved adds a department (not a handover; logged)."""
    now = now or timezone.now()
    coordinator = (
        CareCoordinator.objects.select_for_update(of=("self",))
        .select_related("patient", "practice")
        .prefetch_related("departments")
        .get(pk=coordinator.pk)
    )
    if not actor.has_perm("referrals.add_coordinator_department", coordinator):
        raise PermissionDenied("Not involved in this patient's coordination.")
    actor_name = _name(actor)
    if department is None or department.kind != Organisation.Kind.DEPARTMENT:
        raise ValidationError({"department": _("Choose a hospital department.")})
    if any(d.pk == department.pk for d in coordinator.departments.all()):
        raise ValidationError({"department": _("The department is already involved.")})
    coordinator.departments.add(department)
    CareCoordinatorEvent.objects.create(
        coordinator=coordinator,
        kind=CareCoordinatorEvent.Kind.DEPARTMENT_ADDED,
        at=now,
        actor=actor,
        actor_name=actor_name,
        organisation=department,
    )
    _log(
        coordinator,
        patient=coordinator.patient,
        actor=actor,
        action=AccessLogEntry.Action.CHANGE,
        request=request,
    )
    notifications.coordinator_department_added(coordinator, department)
    return coordinator
