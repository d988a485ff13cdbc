"""Reads of referrals: the GP's overview, the worklists, one referral's page, the quality figures.

Every list is a fixed number of queries whatever the number of referrals
(tests/referrals/test_query_counts.py holds it to that). Lists show the subject
(diagnosis or package), never the patient: a list is not a read of a patient.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import HealthCouncilArea, Organisation
from portal.accounts.roles import CLINICIAN_ROLES, DISTRIBUTOR_ROLES, Role
from portal.accounts.selectors import memberships_for_user
from portal.bookings.models import Booking, Resource, Slot
from portal.bookings.selectors import free_slots, slots_with_seats
from portal.core.deadlines import reply_time_stats, working_days_between

from .models import (
    AreaVisitation,
    Referral,
    ReferralEvent,
    ResponsibilityHandover,
    ResponsibilityPeriod,
    SymptomPackage,
)

# The GP overview and the worklists show a page of 50 rows (views.PAGE_SIZE); other lists
# (handovers to acknowledge) stay short by nature and are capped here.
LIST_LIMIT = 200
# What a row of the referral lists shows (templates/referrals/_rows.html): the subject, the
# practice or destination, who must act, the holder and the booked time. Nothing else is read
# (not the author, not the booked time's resource) and the long columns stay in the database.
# The organisations come in a second query (referral_rows): joined, the five copies of the
# organisation table made PostgreSQL spend more time planning the query than running it.
_ROW_RELATED = ("symptom_package", "booking__slot")
_ROW_ORGANISATIONS = ("practice", "destination", "responsible_organisation")
_ROW_DEFERRED = (
    "clinical_text",
    "checklist_ticked",
    "symptom_package__checklist",
    "booking__cancellation_reason",
)
_DETAIL_RELATED = (
    "practice",
    "author",
    "destination__parent",
    "responsible_organisation__parent",
    "symptom_package",
    "booking__slot__resource",
)
# The subacute promise (services.SUBACUTE_WINDOW; repeated here as reads do not import writes).
SUBACUTE_HOURS = 72
# A handover proposal nobody has acknowledged is announced again to the receiving side after
# each such stretch of Danish working days (services.handover_reminders_send): until then the
# proposer keeps a responsibility it may believe it has handed over.
HANDOVER_REMINDER_WORKING_DAYS = 1
# How far ahead a booked time may be moved: the patient may need a later day than 72 hours.
REBOOK_DAYS = 14


def referral_for_view(*, public_id) -> QuerySet[Referral]:
    return Referral.objects.select_related(*_DETAIL_RELATED, "patient", "dialogue_thread").filter(
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


def _rows(queryset: QuerySet[Referral]) -> QuerySet[Referral]:
    return queryset.select_related(*_ROW_RELATED).defer(*_ROW_DEFERRED)


def referral_rows(referrals) -> list[Referral]:
    """A page of a referral list made ready to show: its organisations (with their hospitals)
    read in one query, each referral's address as ``list_url`` and its state's label as
    ``state_label``. Two queries in all.

    The address is the reversed URL of a placeholder with the id put in, and the labels are
    translated once per page: per row, ``{% url %}`` and ``get_state_display`` were a fifth of
    the rendering time of a page of 50."""
    rows = list(referrals)
    ids = {getattr(row, f"{name}_id") for row in rows for name in _ROW_ORGANISATIONS}
    organisations = Organisation.objects.select_related("parent").in_bulk(ids) if ids else {}
    placeholder = "00000000-0000-0000-0000-000000000000"
    pattern = reverse("referrals:referral", kwargs={"public_id": placeholder})
    labels = {value: str(label) for value, label in Referral.State.choices}
    for row in rows:
        for name in _ROW_ORGANISATIONS:
            setattr(row, name, organisations[getattr(row, f"{name}_id")])
        row.list_url = pattern.replace(placeholder, str(row.public_id))
        row.state_label = labels[row.state]
    return rows


def practice_overview(user, *, in_dialogue: bool = False) -> QuerySet[Referral]:
    """The referrals of the user's practices, newest step first: holder, state, time since step.
    ``in_dialogue``: only those waiting for the practice's answer in a dialogue.

    Unevaluated: the view pages it (an index range on referral_practice_step_idx)."""
    queryset = Referral.objects.filter(practice_id__in=practice_ids(user))
    if in_dialogue:
        queryset = queryset.filter(state=Referral.State.DIALOGUE)
    return _rows(queryset).order_by("-last_step_at", "-pk")


def worklist(
    *,
    organisation_ids,
    now: datetime | None = None,
    central: bool = False,
    awaiting_decision: bool = False,
) -> QuerySet[Referral]:
    """Referrals open at these departments: overdue first, then received, by deadline.
    ``awaiting_decision``: without those in a dialogue (they wait for the GP).

    Unevaluated: the view pages it. The order ends in the primary key so pages never overlap."""
    now = now or timezone.now()
    states = Referral.AWAITING_DECISION if awaiting_decision else Referral.OPEN
    queryset = Referral.objects.filter(destination_id__in=list(organisation_ids), state__in=states)
    if central:
        queryset = queryset.filter(destination_kind=Referral.DestinationKind.CENTRAL_VISITATION)
    return (
        _rows(queryset)
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
        .order_by("overdue_first", "decision_due_at", "pk")
    )


def handovers_awaiting(organisation_ids) -> list[ResponsibilityHandover]:
    """Open handover proposals addressed to these organisations: to acknowledge."""
    return list(
        ResponsibilityHandover.objects.filter(
            to_organisation_id__in=list(organisation_ids),
            acknowledged_at__isnull=True,
            withdrawn_at__isnull=True,
            # Palliative handovers have no referral; they are listed on /henvisninger/palliativ/.
            kind=ResponsibilityHandover.Kind.REFERRAL,
        )
        .select_related("referral__symptom_package", "from_organisation__parent")
        .order_by("proposed_at")[:LIST_LIMIT]
    )


def waiting_count(*, department_ids, practice_ids) -> int:
    """What waits for these organisations, counted without loading rows (the header badge):
    referrals awaiting a department's decision, dialogues awaiting a practice, handovers to
    acknowledge. Each count is an index range (referral_worklist_idx, referral_practice_idx,
    handover_open_to_idx)."""
    department_ids, practice_ids = list(department_ids), list(practice_ids)
    total = 0
    if department_ids:
        total += Referral.objects.filter(
            destination_id__in=department_ids, state__in=Referral.AWAITING_DECISION
        ).count()
    if practice_ids:
        total += Referral.objects.filter(practice_id__in=practice_ids, state=Referral.State.DIALOGUE).count()
    if department_ids or practice_ids:
        total += ResponsibilityHandover.objects.filter(
            to_organisation_id__in=[*department_ids, *practice_ids],
            acknowledged_at__isnull=True,
            withdrawn_at__isnull=True,
        ).count()
    return total


def overdue_referrals(*, now: datetime) -> QuerySet[Referral]:
    """Referrals past their decision deadline whose responsible person has not been told yet."""
    return Referral.objects.filter(
        state__in=Referral.AWAITING_DECISION, decision_due_at__lt=now, overdue_notified_at__isnull=True
    )


def reminder_round(*, since: datetime, at: datetime | None, every: int) -> int:
    """Which reminder belongs to the moment ``at`` for something waiting since ``since``: 0 until
    ``every`` Danish working days have passed, then 1, 2, ... one per further ``every``.

    A reminder is due when the round at ``now`` is past the round of the last reminder; the
    round also keys the e-mail, so two runs in the same round send one."""
    if at is None:
        return 0
    return working_days_between(since, at) // every


def handovers_due_a_reminder(*, now: datetime) -> list[int]:
    """The open handover proposals whose next reminder is due (ids, oldest first).

    N working days are at least N calendar days: the database narrows (handover_open_to_idx
    holds only the open proposals), the calendar decides."""
    every = HANDOVER_REMINDER_WORKING_DAYS
    candidates = ResponsibilityHandover.objects.filter(
        acknowledged_at__isnull=True,
        withdrawn_at__isnull=True,
        proposed_at__lte=now - timedelta(days=every),
    ).order_by("proposed_at", "pk")
    return [
        pk
        for pk, proposed_at, reminded_at in candidates.values_list("pk", "proposed_at", "reminded_at")
        if reminder_round(since=proposed_at, at=now, every=every)
        > reminder_round(since=proposed_at, at=reminded_at, every=every)
    ]


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


def subacute_slots(destination: Organisation | None, *, now: datetime | None = None) -> list[Slot]:
    """The destination's free subacute outpatient times within the next 72 hours. Two queries."""
    if destination is None:
        return []
    now = now or timezone.now()
    return free_slots(
        kind=Resource.Kind.SUBACUTE_OUTPATIENT,
        organisation=destination,
        starts_before=now + timedelta(hours=SUBACUTE_HOURS),
        now=now,
    )


def subacute_slots_in_area(area: HealthCouncilArea | None, *, now: datetime | None = None) -> list[Slot]:
    """Free subacute outpatient times within 72 hours of every department of the area, for the
    diagnosis form where the GP chooses the department on the same page. One query."""
    now = now or timezone.now()
    departments = departments_in_area(area).values("pk")
    rows = slots_with_seats(
        Slot.objects.filter(
            resource__kind=Resource.Kind.SUBACUTE_OUTPATIENT,
            resource__is_active=True,
            resource__organisation__in=departments,
            starts_at__gt=now,
            starts_at__lt=now + timedelta(hours=SUBACUTE_HOURS),
        ),
        now=now,
    ).filter(remaining__gt=0)
    return list(rows.select_related("resource__organisation__parent").order_by("starts_at", "pk")[:100])


def rebook_slots(referral: Referral, *, now: datetime | None = None) -> list[Slot]:
    """Free subacute times of the department that owns the booked time, for moving it."""
    if referral.booking_id is None or not referral.booking.is_active:
        return []
    now = now or timezone.now()
    return [
        slot
        for slot in free_slots(
            kind=Resource.Kind.SUBACUTE_OUTPATIENT,
            organisation=referral.booking.slot.resource.organisation,
            starts_before=now + timedelta(days=REBOOK_DAYS),
            now=now,
        )
        if slot.pk != referral.booking.slot_id
    ]


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
    subacute: dict | None = None  # the 72-hour figure: see subacute_within_72_hours


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

    Four queries over the referrals in the window, whatever their number.
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
    subacute = subacute_within_72_hours(since=since)
    ids = (
        set(received)
        | set(rerouted)
        | set(subacute)
        | {r.practice for r in veto_rows}
        | {r.department for r in veto_rows}
    )
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
            subacute=subacute.get(pk),
        )
        for pk in set(received) | set(rerouted) | set(subacute)
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


def subacute_seen_in_time() -> Case:
    """1 when a subacute referral was seen within 72 hours of referring, else 0 (see
    ``subacute_within_72_hours``); also what the quality clusters' figure counts (portal.quality)."""
    deadline = ExpressionWrapper(
        F("created_at") + timedelta(hours=SUBACUTE_HOURS), output_field=DateTimeField()
    )
    # Positive conditions only: a negated one over the outer join to the booking is NULL, not
    # true, for a referral without a booking, and would drop it from the counts.
    booked = Q(booking__status=Booking.Status.BOOKED)
    not_booked = Q(booking__isnull=True) | Q(booking__status=Booking.Status.CANCELLED)
    return Case(
        When(booked & Q(booking__slot__starts_at__lte=deadline), then=Value(1)),
        When(not_booked & Q(state=Referral.State.ACCEPTED, appointment_start__lte=deadline), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def subacute_within_72_hours(*, since: datetime, now: datetime | None = None) -> dict[int, dict]:
    """The 72-hour promise per department: of the subacute referrals made since ``since``, how
    many were seen within 72 hours of referring. One query, grouped by department.

    The department is the referral's current destination. *Seen within 72 hours*: the
    referral's booked time (an active booking) starts at most 72 hours after the referral was
    made; or, with no active booking, the department accepted it with an appointment starting
    at most 72 hours after it was made. *Pending*: not seen so far, and the 72 hours have not
    yet passed; left out of the share, as the promise can still be kept. *Share* = seen /
    (all − pending), None when nothing is due yet.
    """
    now = now or timezone.now()
    booked = Q(booking__status=Booking.Status.BOOKED)
    rows = (
        Referral.objects.filter(urgency=Referral.Urgency.SUBACUTE, created_at__gte=since)
        .annotate(seen_in_time=subacute_seen_in_time())
        .order_by()
        .values("destination_id")
        .annotate(
            total=Count("pk"),
            seen=Count("pk", filter=Q(seen_in_time=1)),
            pending=Count(
                "pk", filter=Q(seen_in_time=0, created_at__gt=now - timedelta(hours=SUBACUTE_HOURS))
            ),
            booked=Count("pk", filter=booked),
        )
    )
    result = {}
    for row in rows:
        due = row["total"] - row["pending"]
        result[row["destination_id"]] = {
            "total": row["total"],
            "seen": row["seen"],
            "pending": row["pending"],
            "booked": row["booked"],
            "due": due,
            "share": row["seen"] / due if due else None,
        }
    return result
