"""Reads of the outreach directory and orders: the look-up by postcode, the ordering side's and
the service's lists, one order, and the equal-access report.

The directory is small (some hundreds of entries in a country), so coverage is decided in Python
on the active entries read in two queries (entries, their municipalities): a constant number of
queries whatever the number of entries. Lists show the service, never the patient: a list is not
a read of a patient.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, QuerySet, Value, When

from portal.accounts.models import HealthCouncilArea, Organisation
from portal.accounts.roles import CLINICIAN_ROLES, Role
from portal.accounts.selectors import memberships_for_user

from .models import Municipality, OrganisationPostcode, OutreachOrder, OutreachService, Postcode
from .rules import ORDERING_ROLES, STAFF_ROLES

Kind = OutreachService.Kind
LIST_LIMIT = 200
_ORDER_RELATED = ("service", "owner__parent", "orderer", "ordering_organisation", "acknowledged_by")


def active_services() -> QuerySet[OutreachService]:
    return (
        OutreachService.objects.filter(active=True)
        .select_related("owner__parent")
        .prefetch_related("municipalities")
        .order_by("kind", "name", "pk")
    )


def postcode_find(number: str) -> Postcode | None:
    return Postcode.objects.select_related("municipality__health_council_area").filter(number=number).first()


def default_postcode(user) -> str:
    """The postcode of the user's first practice (else organisation) that has one; "" if none."""
    orgs = [m.organisation for m in memberships_for_user(user)]
    if not orgs:
        return ""
    rows = dict(
        OrganisationPostcode.objects.filter(organisation__in=orgs).values_list(
            "organisation_id", "postcode__number"
        )
    )
    practices_first = sorted(orgs, key=lambda o: o.kind != Organisation.Kind.GENERAL_PRACTICE)
    return next((rows[o.pk] for o in practices_first if o.pk in rows), "")


@dataclass
class KindGroup:
    kind: str
    label: str
    services: list[OutreachService] = field(default_factory=list)


def services_for_postcode(number: str) -> tuple[Postcode | None, list[KindGroup]]:
    """The active entries that reach ``number``, grouped by kind in the directory's order, and
    the postcode as the portal knows it (None for a postcode outside the list: then only the
    entries listing it by range reach it). Three queries."""
    postcode = postcode_find(number)
    municipality_id = postcode.municipality_id if postcode else None
    groups = {kind: KindGroup(kind=kind, label=label) for kind, label in Kind.choices}
    for service in active_services():
        if service.covers(int(number), municipality_id):
            groups[service.kind].services.append(service)
    return postcode, [group for group in groups.values() if group.services]


def service_for_view(pk: int) -> OutreachService | None:
    return active_services().filter(pk=pk).first()


def service_postcode_summary(service: OutreachService) -> str:
    """The area in words: the municipalities and the listed postcodes."""
    parts = [m.name for m in service.municipalities.all()]
    if service.postcodes.strip():
        parts.append(service.postcodes.strip())
    return ", ".join(parts)


def ordering_organisations(user, service: OutreachService) -> list[Organisation]:
    """Where the user may order this service from: her practice as a GP, her department as a
    hospital doctor, as the entry allows; empty when the entry is not ordered in the portal."""
    if not service.order_form or not user.is_authenticated:
        return []
    allowed = []
    for m in memberships_for_user(user):
        org = m.organisation
        as_gp = service.orderable_by_gp and m.role == Role.GP
        as_hospital = (
            service.orderable_by_hospital
            and m.role in CLINICIAN_ROLES
            and org.kind == Organisation.Kind.DEPARTMENT
        )
        if (as_gp or as_hospital) and org not in allowed:
            allowed.append(org)
    return allowed


def _orgs(user, roles) -> list[int]:
    return sorted({m.organisation_id for m in memberships_for_user(user) if m.role in roles})


def ordering_side_orders(user) -> list[OutreachOrder]:
    """The orders the user's practice or department sent, newest first."""
    ids = _orgs(user, ORDERING_ROLES)
    if not ids:
        return []
    return list(
        OutreachOrder.objects.filter(ordering_organisation_id__in=ids)
        .select_related(*_ORDER_RELATED)
        .order_by("-created_at", "-pk")[:LIST_LIMIT]
    )


def service_worklist(user) -> list[OutreachOrder]:
    """The orders to the services the user staffs: those awaiting acknowledgement first, by deadline."""
    ids = _orgs(user, STAFF_ROLES)
    if not ids:
        return []
    return list(
        OutreachOrder.objects.filter(owner_id__in=ids)
        .select_related(*_ORDER_RELATED)
        .annotate(
            todo=Case(
                When(state=OutreachOrder.State.ORDERED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("todo", "respond_by", "-pk")[:LIST_LIMIT]
    )


def is_staff_of(user, order: OutreachOrder) -> bool:
    return any(
        m.organisation_id == order.owner_id and m.role in STAFF_ROLES for m in memberships_for_user(user)
    )


def staffs_any_service(user) -> bool:
    ids = _orgs(user, STAFF_ROLES)
    return bool(ids) and OutreachService.objects.filter(owner_id__in=ids, order_form=True).exists()


def _awaiting(user) -> QuerySet[OutreachOrder] | None:
    ids = _orgs(user, STAFF_ROLES)
    if not ids:
        return None
    return OutreachOrder.objects.filter(owner_id__in=ids, state=OutreachOrder.State.ORDERED)


def awaiting_acknowledgement(user, *, limit: int) -> tuple[list[OutreachOrder], int]:
    """Orders waiting for the user's services to take them, soonest deadline first, and how many:
    one query, two when there are more than ``limit``; none for a user who staffs nothing."""
    awaiting = _awaiting(user)
    if awaiting is None:
        return [], 0
    rows = list(awaiting.select_related(*_ORDER_RELATED).order_by("respond_by", "pk")[:limit])
    return rows, len(rows) if len(rows) < limit else awaiting.count()


def awaiting_count(user) -> int:
    """The header badge's share: orders waiting for the user's services to take them."""
    awaiting = _awaiting(user)
    return 0 if awaiting is None else awaiting.count()


def order_for_view(*, public_id) -> QuerySet[OutreachOrder]:
    return OutreachOrder.objects.select_related(*_ORDER_RELATED, "patient").filter(public_id=public_id)


# --- Equal access ---------------------------------------------------------------------------

FULL, PARTIAL, NONE = "full", "partial", "none"


@dataclass
class MunicipalityRow:
    municipality: Municipality
    # Kind → FULL, PARTIAL or NONE, in the directory's order of kinds.
    cover: dict[str, str]

    @property
    def missing(self) -> list[str]:
        return [kind for kind, state in self.cover.items() if state != FULL]


@dataclass
class AreaBlock:
    area: HealthCouncilArea
    rows: list[MunicipalityRow]
    # Kind → how many of the area's municipalities lack it wholly or in part.
    lacking: dict[str, int]


def equal_access_report() -> list[AreaBlock]:
    """For each health council area and municipality, which kinds of service reach it: in full
    (the municipality is covered, or every one of its known postcodes), in part, or not at all.
    Four queries whatever the size of the directory."""
    municipalities = list(
        Municipality.objects.select_related("health_council_area__region").order_by(
            "health_council_area__name", "name"
        )
    )
    postcodes: dict[int, list[int]] = defaultdict(list)
    for municipality_id, number in Postcode.objects.values_list("municipality_id", "number"):
        postcodes[municipality_id].append(int(number))
    services = list(active_services())
    kinds = [kind for kind, _label in Kind.choices]
    blocks: dict[int, AreaBlock] = {}
    for municipality in municipalities:
        cover = {}
        for kind in kinds:
            of_kind = [s for s in services if s.kind == kind]
            if any(any(m.pk == municipality.pk for m in s.municipalities.all()) for s in of_kind):
                cover[kind] = FULL
                continue
            numbers = postcodes.get(municipality.pk, [])
            reached = [n for n in numbers if any(s.covers(n, None) for s in of_kind)]
            cover[kind] = FULL if numbers and len(reached) == len(numbers) else PARTIAL if reached else NONE
        area = municipality.health_council_area
        block = blocks.setdefault(area.pk, AreaBlock(area=area, rows=[], lacking=dict.fromkeys(kinds, 0)))
        row = MunicipalityRow(municipality=municipality, cover=cover)
        block.rows.append(row)
        for kind in row.missing:
            block.lacking[kind] += 1
    return list(blocks.values())
