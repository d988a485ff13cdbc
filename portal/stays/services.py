"""Writes of focused stays: offers and their periods, needs, learning objectives, pair rules,
publishing a run, and the two sides' answers. Running the matching is ``planning.py``.

Each function is one transaction. Domain refusals are ``ValidationError``s with Danish
messages raised before anything is written; ``PermissionDenied`` means the rules said no
(views answer 404). No patient data lives here, so nothing goes to the access log.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import HealthCouncilArea, Organisation, Specialty, User
from portal.accounts.roles import Role
from portal.accounts.selectors import user_has_role_in

from .models import (
    PLANNING_HORIZON_DAYS,
    Assignment,
    HostOffer,
    HostPeriod,
    LearningObjective,
    MatchingRun,
    PairRule,
    PracticeType,
    StayNeed,
)
from .rules import is_stay_host, is_stay_trainee
from .scope import coordinator_region_ids, region_of, trainee_departments


def _require(user: User, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _check_focused(specialties: Iterable[Specialty]) -> None:
    if any(not s.focused_stay for s in specialties):
        raise ValidationError({"specialties": _("Choose only specialties that offer focused stays.")})


# --- Offers ---------------------------------------------------------------------------------


@transaction.atomic
def offer_save(
    *,
    actor: User,
    practice: Organisation,
    supervisor: User,
    specialties: list[Specialty],
    practice_type: str,
    address: str = "",
    latitude=None,
    longitude=None,
    notes: str = "",
    is_active: bool = True,
) -> HostOffer:
    """Create the practice's offer or change it: a GP of the practice offers for the practice."""
    if not user_has_role_in(actor, practice.pk, {Role.GP}):
        raise PermissionDenied
    if not user_has_role_in(supervisor, practice.pk, {Role.GP}):
        raise ValidationError({"supervisor": _("The supervisor must be a GP in the practice.")})
    if not specialties:
        raise ValidationError({"specialties": _("Choose at least one specialty you welcome.")})
    _check_focused(specialties)
    if practice_type not in PracticeType.values:
        raise ValidationError({"practice_type": _("Choose a practice type from the list.")})
    if (latitude is None) != (longitude is None):
        raise ValidationError({"latitude": _("Give both latitude and longitude, or neither.")})
    latitude, longitude = _coordinate(latitude), _coordinate(longitude)
    area = practice.health_council_area
    if area is None:
        raise ValidationError(_("The practice has no health council area; ask the administrator."))
    offer = HostOffer.objects.select_for_update().filter(practice=practice).first() or HostOffer(
        practice=practice
    )
    for name, value in {
        "region_id": area.region_id,
        "area": area,
        "supervisor": supervisor,
        "practice_type": practice_type,
        "address": address,
        "latitude": latitude,
        "longitude": longitude,
        "notes": notes,
        "is_active": is_active,
    }.items():
        setattr(offer, name, value)
    offer.full_clean()
    offer.save()
    offer.specialties.set(specialties)
    return offer


def _coordinate(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.00001"))


@transaction.atomic
def period_add(*, actor: User, offer: HostOffer, starts_on: date, ends_on: date, capacity: int) -> HostPeriod:
    _require(actor, "stays.change_hostoffer", offer)
    period = HostPeriod(offer=offer, starts_on=starts_on, ends_on=ends_on, capacity=capacity)
    period.full_clean()
    if (ends_on - starts_on).days < 4 or not _has_a_whole_week(starts_on, ends_on):
        raise ValidationError({"ends_on": _("A period must hold at least one whole week, Monday to Friday.")})
    if starts_on < timezone.localdate():
        raise ValidationError({"starts_on": _("A period cannot start in the past.")})
    if (starts_on - timezone.localdate()).days > PLANNING_HORIZON_DAYS:
        raise ValidationError({"starts_on": _("Stays are planned at most two years ahead.")})
    period.save()
    return period


def _has_a_whole_week(starts_on: date, ends_on: date) -> bool:
    days_to_monday = (7 - starts_on.weekday()) % 7
    monday = starts_on.toordinal() + days_to_monday
    return monday + 4 <= ends_on.toordinal()


@transaction.atomic
def period_remove(*, actor: User, period: HostPeriod) -> None:
    _require(actor, "stays.change_hostoffer", period.offer)
    period.delete()


# --- Needs ----------------------------------------------------------------------------------


@transaction.atomic
def need_register(
    *,
    actor: User,
    department: Organisation,
    specialty: Specialty,
    earliest_start: date,
    latest_end: date,
    length_weeks: int = 2,
    preferred_areas: Iterable[HealthCouncilArea] = (),
    preferred_practice_types: Iterable[str] = (),
    objectives: Iterable[LearningObjective] = (),
    notes: str = "",
) -> StayNeed:
    """A trainee registers their own need, in a department where they are a trainee."""
    if department.pk not in {d.pk for d in trainee_departments(actor)}:
        raise PermissionDenied
    if not specialty.focused_stay:
        raise ValidationError({"specialty": _("This specialty has no focused stays in general practice.")})
    today = timezone.localdate()
    if earliest_start < today:
        raise ValidationError({"earliest_start": _("The window cannot start in the past.")})
    if (earliest_start - today).days > PLANNING_HORIZON_DAYS:
        raise ValidationError({"earliest_start": _("Stays are planned at most two years ahead.")})
    if (latest_end - earliest_start).days > PLANNING_HORIZON_DAYS:
        raise ValidationError({"latest_end": _("The window can be at most two years long.")})
    # The stay runs Monday to Friday: the window must hold length_weeks whole weeks.
    first_monday = earliest_start.toordinal() + (7 - earliest_start.weekday()) % 7
    if first_monday + 7 * (length_weeks - 1) + 4 > latest_end.toordinal():
        raise ValidationError({"latest_end": _("The window is too short for a stay of this length.")})
    types = sorted(set(preferred_practice_types))
    if any(t not in PracticeType.values for t in types):
        raise ValidationError({"preferred_practice_types": _("Choose practice types from the list.")})
    objectives = list(objectives)
    if any(o.specialty_id != specialty.pk or not o.is_active for o in objectives):
        raise ValidationError({"objectives": _("Choose learning objectives of the stay's specialty.")})
    region = region_of(department)
    if region is None:
        raise ValidationError(_("Your department has no region; ask the administrator."))
    need = StayNeed(
        trainee=actor,
        department=department,
        region=region,
        specialty=specialty,
        earliest_start=earliest_start,
        latest_end=latest_end,
        length_weeks=length_weeks,
        preferred_practice_types=types,
        notes=notes,
    )
    need.full_clean()
    need.save()
    need.preferred_areas.set(list(preferred_areas))
    need.objectives.set(objectives)
    return need


@transaction.atomic
def need_withdraw(*, actor: User, need: StayNeed) -> StayNeed:
    need = StayNeed.objects.select_for_update().get(pk=need.pk)
    _require(actor, "stays.withdraw_stayneed", need)
    need.state = StayNeed.State.WITHDRAWN
    need.save(update_fields=["state"])
    return need


# --- Learning objectives --------------------------------------------------------------------


@transaction.atomic
def objective_add(
    *, actor: User, specialty: Specialty, title: str, description: str = ""
) -> LearningObjective:
    _require(actor, "stays.change_learningobjective")
    if not specialty.focused_stay:
        raise ValidationError(_("This specialty has no focused stays in general practice."))
    last = LearningObjective.objects.filter(specialty=specialty).order_by("-position").first()
    objective = LearningObjective(
        specialty=specialty, title=title, description=description, position=(last.position + 1) if last else 0
    )
    objective.full_clean()
    objective.save()
    return objective


@transaction.atomic
def objective_set_active(*, actor: User, objective: LearningObjective, is_active: bool) -> LearningObjective:
    _require(actor, "stays.change_learningobjective")
    objective.is_active = is_active
    objective.save(update_fields=["is_active"])
    return objective


# --- Pins and forbids -----------------------------------------------------------------------


@transaction.atomic
def pair_rule_set(*, actor: User, need: StayNeed, offer: HostOffer, kind: str) -> PairRule:
    """Pin or forbid a pair of the region; a pair has one rule, the latest word counts."""
    _require(actor, "stays.view_stayneed", need)
    if need.region_id not in coordinator_region_ids(actor) or offer.region_id != need.region_id:
        raise PermissionDenied
    if kind not in PairRule.Kind.values:
        raise ValidationError(_("Choose pin or forbid."))
    if need.state != StayNeed.State.OPEN:
        raise ValidationError(_("The need already has a practice or is withdrawn."))
    if kind == PairRule.Kind.PIN:
        if not offer.specialties.filter(pk=need.specialty_id).exists():
            raise ValidationError(_("The practice does not welcome this specialty."))
        # One pin per need: pinning elsewhere replaces the earlier pin.
        PairRule.objects.filter(need=need, kind=PairRule.Kind.PIN).exclude(offer=offer).delete()
    rule, _created = PairRule.objects.update_or_create(
        need=need,
        offer=offer,
        defaults={"kind": kind, "region_id": need.region_id, "created_by": actor, "from_decline": False},
    )
    return rule


@transaction.atomic
def pair_rule_remove(*, actor: User, rule: PairRule) -> None:
    if rule.region_id not in coordinator_region_ids(actor):
        raise PermissionDenied
    rule.delete()


# --- Publishing and answering ---------------------------------------------------------------


def latest_run_id(region_id: int) -> int | None:
    return MatchingRun.objects.filter(region_id=region_id).values_list("pk", flat=True).first()


@transaction.atomic
def run_publish(*, actor: User, run: MatchingRun) -> int:
    """Publish a run's proposals: the needs get their practice, both sides are asked to confirm.

    Only the region's latest run can be published, and only while every need it placed is still
    open: anything else means the world moved since the run, and the coordinator runs again.
    """
    run = MatchingRun.objects.select_for_update().get(pk=run.pk)
    _require(actor, "stays.view_matchingrun", run)
    if run.published_at is not None:
        raise ValidationError(_("This proposal is already published."))
    if latest_run_id(run.region_id) != run.pk:
        raise ValidationError(_("A newer matching exists for the region; publish that one."))
    proposals = list(run.assignments.filter(state=Assignment.State.PROPOSED).select_related("need"))
    needs = StayNeed.objects.select_for_update().filter(pk__in=[a.need_id for a in proposals])
    if any(n.state != StayNeed.State.OPEN for n in needs):
        raise ValidationError(_("A need changed since the matching ran; run the matching again."))
    if not proposals:
        raise ValidationError(_("The matching proposed no stays; there is nothing to publish."))
    Assignment.objects.filter(pk__in=[a.pk for a in proposals]).update(state=Assignment.State.PUBLISHED)
    StayNeed.objects.filter(pk__in=[a.need_id for a in proposals]).update(state=StayNeed.State.ASSIGNED)
    run.published_at, run.published_by = timezone.now(), actor
    run.save(update_fields=["published_at", "published_by"])
    return len(proposals)


@transaction.atomic
def assignment_confirm(*, actor: User, assignment: Assignment, side: str) -> Assignment:
    assignment = Assignment.objects.select_for_update().select_related("need", "offer").get(pk=assignment.pk)
    now = timezone.now()
    if side == Assignment.Side.PRACTICE:
        _require(actor, "stays.confirm_as_practice", assignment)
        assignment.practice_confirmed_at = now
    elif side == Assignment.Side.TRAINEE:
        _require(actor, "stays.confirm_as_trainee", assignment)
        assignment.trainee_confirmed_at = now
    else:
        raise PermissionDenied
    if assignment.practice_confirmed_at and assignment.trainee_confirmed_at:
        assignment.state = Assignment.State.CONFIRMED
    assignment.save(update_fields=["practice_confirmed_at", "trainee_confirmed_at", "state"])
    return assignment


@transaction.atomic
def assignment_decline(*, actor: User, assignment: Assignment, side: str, reason: str) -> Assignment:
    """Either side declines a published stay with a reason: the need opens again and the pair is
    forbidden in the region's later runs, so the next matching looks elsewhere."""
    assignment = Assignment.objects.select_for_update().select_related("need", "offer").get(pk=assignment.pk)
    _require(actor, "stays.decline_assignment", assignment)
    party = {Assignment.Side.PRACTICE: is_stay_host, Assignment.Side.TRAINEE: is_stay_trainee}.get(side)
    if party is None or not party(actor, assignment):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Tell the coordinator why you decline.")})
    assignment.state = Assignment.State.DECLINED
    assignment.declined_at, assignment.declined_by = timezone.now(), actor
    assignment.declined_side, assignment.decline_reason = side, reason
    assignment.full_clean(exclude=["run", "need", "offer"])
    assignment.save()
    need = assignment.need
    if need.state == StayNeed.State.ASSIGNED:
        need.state = StayNeed.State.OPEN
        need.save(update_fields=["state"])
    PairRule.objects.update_or_create(
        need=need,
        offer=assignment.offer,
        defaults={
            "kind": PairRule.Kind.FORBID,
            "region_id": need.region_id,
            "created_by": actor,
            "from_decline": True,
        },
    )
    return assignment
