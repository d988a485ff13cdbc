"""Reads of palliative handovers: one page, and the lists of a practice and a department (one
query each, whatever the number; lists show organisations and dates, never the patient)."""

from django.db.models import F, Q, QuerySet

from portal.accounts.models import Organisation
from portal.accounts.roles import CLINICIAN_ROLES
from portal.accounts.selectors import memberships_for_user

from .models import ResponsibilityHandover
from .palliative_rules import STAFF_ROLES

LIST_LIMIT = 200
_RELATED = ("from_organisation__parent", "to_organisation", "proposed_by", "acknowledged_by")


def palliative_for_view() -> QuerySet[ResponsibilityHandover]:
    return ResponsibilityHandover.objects.filter(kind=ResponsibilityHandover.Kind.PALLIATIVE).select_related(
        "patient", *_RELATED
    )


def staff_organisations(user) -> list[Organisation]:
    return [m.organisation for m in memberships_for_user(user) if m.role in STAFF_ROLES]


def proposing_departments(user) -> list[Organisation]:
    """Departments where the user is a clinician: those who may propose."""
    return [
        m.organisation
        for m in memberships_for_user(user)
        if m.organisation.kind == Organisation.Kind.DEPARTMENT and m.role in CLINICIAN_ROLES
    ]


def palliative_handovers_for(organisation_ids) -> list[ResponsibilityHandover]:
    """Handovers to or from these organisations, open ones first, newest first (one query)."""
    ids = list(organisation_ids)
    return list(
        ResponsibilityHandover.objects.filter(
            Q(to_organisation_id__in=ids) | Q(from_organisation_id__in=ids),
            kind=ResponsibilityHandover.Kind.PALLIATIVE,
        )
        .select_related(*_RELATED)
        .order_by(F("acknowledged_at").asc(nulls_first=True), "-proposed_at", "-pk")[:LIST_LIMIT]
    )


def practices() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.GENERAL_PRACTICE).order_by("name", "pk")
