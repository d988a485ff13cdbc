"""Reads of the coordinating GP (tovholder): one row, a proposal, the lists of an organisation
(a constant number of queries, whatever the number of rows; lists show organisations and
dates, never the patient) and the row for a patient already on screen."""

from django.db.models import F, Prefetch, Q, QuerySet

from portal.accounts.models import Organisation

from .coordinator_rules import can_see_coordinator
from .models import CareCoordinator, CareCoordinatorEvent, ResponsibilityHandover

LIST_LIMIT = 200
_HANDOVER_RELATED = ("from_organisation__parent", "to_organisation", "proposed_by", "acknowledged_by")


def _departments() -> Prefetch:
    return Prefetch("departments", queryset=Organisation.objects.select_related("parent").order_by("name"))


def coordinator_for_view() -> QuerySet[CareCoordinator]:
    return CareCoordinator.objects.select_related("patient", "practice").prefetch_related(_departments())


def coordinator_handover_for_view() -> QuerySet[ResponsibilityHandover]:
    return ResponsibilityHandover.objects.filter(kind=ResponsibilityHandover.Kind.COORDINATOR).select_related(
        "patient", *_HANDOVER_RELATED
    )


def coordinators_for(organisation_ids) -> list[CareCoordinator]:
    """The rows where these organisations hold the role or are involved (two queries)."""
    ids = list(organisation_ids)
    involved = CareCoordinator.departments.through.objects.filter(organisation_id__in=ids).values(
        "carecoordinator_id"
    )
    return list(
        CareCoordinator.objects.filter(Q(practice_id__in=ids) | Q(pk__in=involved))
        .select_related("practice")
        .prefetch_related(_departments())[:LIST_LIMIT]
    )


def coordinator_handovers_for(organisation_ids) -> list[ResponsibilityHandover]:
    """Proposals to or from these organisations, open ones first, newest first (one query)."""
    ids = list(organisation_ids)
    return list(
        ResponsibilityHandover.objects.filter(
            Q(to_organisation_id__in=ids) | Q(from_organisation_id__in=ids),
            kind=ResponsibilityHandover.Kind.COORDINATOR,
        )
        .select_related(*_HANDOVER_RELATED)
        .order_by(F("acknowledged_at").asc(nulls_first=True), "-proposed_at", "-pk")[:LIST_LIMIT]
    )


def coordinator_handovers_awaiting(organisation_ids) -> list[ResponsibilityHandover]:
    """Open proposals addressed to these organisations: Mit overblik's "to acknowledge" (one query)."""
    return list(
        ResponsibilityHandover.objects.filter(
            to_organisation_id__in=list(organisation_ids),
            kind=ResponsibilityHandover.Kind.COORDINATOR,
            acknowledged_at__isnull=True,
            withdrawn_at__isnull=True,
        )
        .select_related("from_organisation__parent")
        .order_by("proposed_at", "pk")[:LIST_LIMIT]
    )


def coordinator_history(coordinator: CareCoordinator) -> list[CareCoordinatorEvent]:
    return list(coordinator.events.select_related("organisation__parent", "handover__from_organisation"))


def coordinator_open_handover(coordinator: CareCoordinator) -> ResponsibilityHandover | None:
    return (
        coordinator_handover_for_view()
        .filter(patient_id=coordinator.patient_id, acknowledged_at__isnull=True, withdrawn_at__isnull=True)
        .first()
    )


def coordinator_of_patient_for(user, patient_id: int | None) -> CareCoordinator | None:
    """The patient's row if ``user`` may see it: for pages already showing this patient."""
    if patient_id is None:
        return None
    coordinator = coordinator_for_view().filter(patient_id=patient_id).first()
    return coordinator if coordinator is not None and can_see_coordinator(user, coordinator) else None


def departments_to_add(coordinator: CareCoordinator) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT)
        .exclude(pk__in=[d.pk for d in coordinator.departments.all()])
        .select_related("parent")
        .order_by("parent__name", "name", "pk")
    )


def practices_to_hand_to(coordinator: CareCoordinator) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(kind=Organisation.Kind.GENERAL_PRACTICE)
        .exclude(pk=coordinator.practice_id)
        .order_by("name", "pk")
    )
