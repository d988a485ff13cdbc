"""Reads of practice visits: a user's visits (as the visiting specialist or a GP of the practice)."""

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.accounts.models import Organisation, User

from .models import PracticeVisit
from .selectors import gp_practices, specialist_departments

VISITS_LIMIT = 20
RECENT_DAYS = 90


def practice_visits_for(user: User, *, now: datetime | None = None) -> list[PracticeVisit]:
    """Planned visits and those of the last three months. One query."""
    if not user.is_authenticated:
        return []
    now = now or timezone.now()
    practice_ids = [p.pk for p in gp_practices(user)]
    return list(
        visit_for_view()
        .filter(Q(specialist=user) | Q(practice_id__in=practice_ids))
        .filter(Q(status=PracticeVisit.Status.PLANNED) | Q(starts_at__gte=now - timedelta(days=RECENT_DAYS)))
        .order_by("starts_at", "pk")[:VISITS_LIMIT]
    )


def visit_for_view() -> QuerySet[PracticeVisit]:
    return PracticeVisit.objects.select_related("specialist", "department__parent", "practice")


def visitable_practices(user: User) -> QuerySet[Organisation]:
    """The practices in the areas of the user's departments' hospitals."""
    areas = {d.area.pk for d in specialist_departments(user) if d.area is not None}
    return Organisation.objects.filter(
        kind=Organisation.Kind.GENERAL_PRACTICE, health_council_area_id__in=areas
    ).order_by("name", "pk")
