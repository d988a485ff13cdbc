"""Reads of referrals: the GP's overview, the worklists, one referral's page, the quality figures.

Every list is a fixed number of queries whatever the number of referrals
(tests/referrals/test_query_counts.py holds it to that). Lists show the subject
(diagnosis or package), never the patient: a list is not a read of a patient.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from portal.accounts.models import HealthCouncilArea, Organisation
from portal.accounts.roles import CLINICIAN_ROLES, DISTRIBUTOR_ROLES, Role
from portal.accounts.selectors import memberships_for_user
from portal.core.deadlines import reply_time_stats

from .models import (
    AreaVisitation,
    Referral,
    ReferralEvent,
    ResponsibilityHandover,
    ResponsibilityPeriod,
    SymptomPackage,
)

LIST_LIMIT = 200
_ROW_RELATED = (
    "practice",
    "author",
    "destination__parent",
    "responsible_organisation__parent",
    "symptom_package",
)


def referral_for_view(*, public_id) -> QuerySet[Referral]:
    return Referral.objects.select_related(*_ROW_RELATED, "patient", "dialogue_thread").filter(
        public_id=public_id
    )


def gp_practices(user) -> list[Organisation]:
    return [m.organisation for m in memberships_for_user(user) if m.role == Role.GP]


def practice_ids(user) -> set[int]:
    """The practices whose referrals the user follows: as a GP or a practice secretary."""
    return {
        m.organisation_id
        for m in memberships_for_user(user)
        if m.organisation.kind == Organisation.Kind.GENERAL_PRACTICE
        and m.role in ({Role.GP} | DISTRIBUTOR_ROLES)
    }


def receiving_organisations(user) -> list[Organisation]:
    """The departments (clinics, central visitations) the user works in: their worklists."""
    seen, result = set(), []
    for m in memberships_for_user(user):
        org = m.organisation
        if (
            org.kind == Organisation.Kind.DEPARTMENT
            and org.pk not in seen
            and (m.role in CLINICIAN_ROLES or m.role in DISTRIBUTOR_ROLES)
        ):
            seen.add(org.pk)
            result.append(org)
    return result


def practice_overview(user) -> list[Referral]:
    """The referrals of the user's practices, newest step first: holder, state, time since step."""
    ids = practice_ids(user)
    if not ids:
        return []
    return list(
        Referral.objects.filter(practice_id__in=ids)
        .select_related(*_ROW_RELATED)
        .order_by("-last_step_at", "-pk")[:LIST_LIMIT]
    )


def worklist(*, organisation_ids, now: datetime | None = None, central: bool = False) -> list[Referral]:
    """Referrals awaiting a decision by these departments: overdue first, then received, by deadline."""
    now = now or timezone.now()
    queryset = Referral.objects.filter(destination_id__in=list(organisation_ids), state__in=Referral.OPEN)
    if central:
        queryset = queryset.filter(destination_kind=Referral.DestinationKind.CENTRAL_VISITATION)
    return list(
        queryset.select_related(*_ROW_RELATED)
        .annotate(
            overdue_first=Case(
                When(Q(decision_due_at__lt=now) & Q(state__in=Referral.AWAITING_DECISION), then=Value(0)),
                When(
                    state__in=[Referral.State.RECEIVED, Referral.State.REROUTED, Referral.State.VETO],
                    then=Value(1),
                ),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("overdue_first", "decision_due_at", "pk")[:LIST_LIMIT]
    )


def handovers_awaiting(organisation_ids) -> list[ResponsibilityHandover]:
    """Open handover proposals addressed to these organisations: to acknowledge."""
    return list(
        ResponsibilityHandover.objects.filter(
            to_organisation_id__in=list(organisation_ids),
            acknowledged_at__isnull=True,
            withdrawn_at__isnull=True,
        )
        .select_related("referral__symptom_package", "from_organisation__parent")
        .order_by("proposed_at")[:LIST_LIMIT]
    )


def overdue_referrals(*, now: datetime) -> QuerySet[Referral]:
    """Referrals past their decision deadline whose responsible person has not been told yet."""
    return Referral.objects.filter(
        state__in=Referral.AWAITING_DECISION, decision_due_at__lt=now, overdue_notified_at__isnull=True
    )


@dataclass
class ReferralPage:
    events: list[ReferralEvent]
    periods: list[ResponsibilityPeriod]
    open_handover: ResponsibilityHandover | None


def referral_page(referral: Referral) -> ReferralPage:
    events = list(
        referral.events.select_related("organisation__parent", "to_organisation__parent").order_by("at", "pk")
    )
    periods = list(referral.responsibility_periods.select_related("organisation__parent"))
    open_handover = (
        referral.handovers.filter(acknowledged_at__isnull=True, withdrawn_at__isnull=True)
        .select_related("from_organisation__parent", "to_organisation__parent", "proposed_by")
        .first()
    )
    return ReferralPage(events=events, periods=periods, open_handover=open_handover)


def packages() -> QuerySet[SymptomPackage]:
    return SymptomPackage.objects.filter(active=True).select_related("clinic__parent")


def departments_in_area(area: HealthCouncilArea | None) -> QuerySet[Organisation]:
    queryset = Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT).select_related(
        "parent", "specialty"
    )
    if area is not None:
        queryset = queryset.filter(Q(health_council_area=area) | Q(parent__health_council_area=area))
    return queryset.order_by("parent__name", "name", "pk")


def area_visitation(area: HealthCouncilArea | None) -> AreaVisitation | None:
    if area is None:
        return None
    return (
        AreaVisitation.objects.filter(health_council_area=area)
        .select_related("central_visitation__parent")
        .first()
    )


def visitation_numbers() -> QuerySet[AreaVisitation]:
    return AreaVisitation.objects.select_related("health_council_area", "central_visitation__parent")


# --- Quality -----------------------------------------------------------------------------------


@dataclass
class DepartmentRow:
    organisation: Organisation
    received: int
    rerouted: int
    vetoes: int
    decision: dict  # hours from arrival to the first decision: count, median, p90


@dataclass
class VetoRow:
    at: datetime
    practice: Organisation
    department: Organisation
    actor_name: str
    next_kind: str
    next_label: str
    next_after_hours: float | None


def quality(*, since: datetime) -> tuple[list[DepartmentRow], list[VetoRow]]:
    """Per department: referrals received, re-routed away, vetoes, time to the first decision; and
    every veto with what happened next. No patient, diagnosis, clinical text or veto reason.

    Three queries over the events in the window, whatever their number.
    """
    events = (
        ReferralEvent.objects.filter(referral__created_at__gte=since)
        .exclude(kind__in=[ReferralEvent.Kind.OVERDUE])
        .order_by("referral_id", "at", "pk")
        .values_list("referral_id", "kind", "at", "organisation_id", "to_organisation_id", "actor_name")
    )
    received, rerouted, vetoes = defaultdict(int), defaultdict(int), defaultdict(int)
    waits = defaultdict(list)
    veto_rows = []
    arrived: dict[int, tuple[int, datetime]] = {}
    by_referral = defaultdict(list)
    for row in events.iterator(chunk_size=5000):
        by_referral[row[0]].append(row)
    for rows in by_referral.values():
        for index, (_ref, kind, at, org_id, to_id, actor_name) in enumerate(rows):
            # The wait ends at the department's first decision; a re-route then starts the next one's.
            if kind in ReferralEvent.DECISIONS and org_id and arrived.get(_ref, (None,))[0] == org_id:
                waits[org_id].append(max(at - arrived.pop(_ref)[1], timedelta(0)))
            if kind in (ReferralEvent.Kind.REFERRED, ReferralEvent.Kind.REROUTED) and to_id:
                received[to_id] += 1
                arrived[_ref] = (to_id, at)
            if kind == ReferralEvent.Kind.REROUTED and org_id:
                rerouted[org_id] += 1
            if kind == ReferralEvent.Kind.VETO:
                vetoes[to_id] += 1
                following = next((r for r in rows[index + 1 :] if r[1] not in _HANDOVER_KINDS), None)
                veto_rows.append(
                    VetoRow(
                        at=at,
                        practice=org_id,
                        department=to_id,
                        actor_name=actor_name,
                        next_kind=following[1] if following else "",
                        next_label=str(ReferralEvent.Kind(following[1]).label) if following else "",
                        next_after_hours=(following[2] - at).total_seconds() / 3600 if following else None,
                    )
                )
    ids = set(received) | set(rerouted) | {r.practice for r in veto_rows} | {r.department for r in veto_rows}
    organisations = {o.pk: o for o in Organisation.objects.filter(pk__in=ids).select_related("parent")}
    for row in veto_rows:
        row.practice, row.department = organisations.get(row.practice), organisations.get(row.department)
    department_rows = [
        DepartmentRow(
            organisation=organisations[pk],
            received=received[pk],
            rerouted=rerouted[pk],
            vetoes=vetoes[pk],
            decision=_hours(reply_time_stats(waits.get(pk, ()))),
        )
        for pk in set(received) | set(rerouted)
        if pk in organisations and organisations[pk].kind == Organisation.Kind.DEPARTMENT
    ]
    department_rows.sort(key=lambda row: str(row.organisation))
    veto_rows.sort(key=lambda row: row.at, reverse=True)
    return department_rows, veto_rows


_HANDOVER_KINDS = (
    ReferralEvent.Kind.HANDOVER_PROPOSED,
    ReferralEvent.Kind.HANDOVER_ACKNOWLEDGED,
    ReferralEvent.Kind.HANDOVER_WITHDRAWN,
)


def _hours(stats: dict) -> dict:
    return {
        "count": stats["count"],
        "median": stats["median"].total_seconds() / 3600 if stats["median"] is not None else None,
        "p90": stats["p90"].total_seconds() / 3600 if stats["p90"] is not None else None,
    }


def veto_count(*, since: datetime) -> int:
    return ReferralEvent.objects.filter(kind=ReferralEvent.Kind.VETO, at__gte=since).aggregate(n=Count("pk"))[
        "n"
    ]
