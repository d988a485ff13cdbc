"""Reads of drop-in hours: a user's calendar, one session with who is there, the iCal feed.

Each is a fixed number of queries whatever the number of sessions or attendees.
"""

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from portal.accounts.models import CalendarFeedToken, HealthCouncilArea, Specialty, User
from portal.accounts.roles import Role
from portal.accounts.selectors import calendar_feed_token_of, calendar_feed_user, memberships_for_user

from .models import DROP_IN_MAX_MINUTES, DropInAttendance, DropInHour
from .rules import gp_area_ids

CALENDAR_DAYS = 28
CALENDAR_LIMIT = 50
FEED_DAYS_BACK, FEED_DAYS_AHEAD = 30, 180


def _related(queryset: QuerySet[DropInHour]) -> QuerySet[DropInHour]:
    return queryset.select_related("host", "department__parent", "specialty", "health_council_area")


def drop_in_calendar(user: User, *, now: datetime | None = None) -> list[DropInHour]:
    """Drop-in hours not yet over in the next weeks: the GP's areas' and the ones the user hosts.

    Each carries ``is_signed_up`` / ``has_joined`` for the user. One query.
    """
    now = now or timezone.now()
    areas = gp_area_ids(user)
    if not user.is_authenticated:
        return []
    # Not over: started at most the longest length ago (``ends_at`` is not a column).
    window = Q(
        starts_at__gt=now - timedelta(minutes=DROP_IN_MAX_MINUTES),
        starts_at__lt=now + timedelta(days=CALENDAR_DAYS),
    )
    mine = DropInAttendance.objects.filter(drop_in=OuterRef("pk"), gp=user)
    # The calendar shows the host and the specialty: the department and area joins of a
    # session's own page would only cost the dashboard time.
    rows = (
        DropInHour.objects.filter(window & (Q(health_council_area_id__in=areas) | Q(host=user)))
        .select_related("host", "specialty")
        .annotate(
            is_signed_up=Exists(mine.filter(signed_up_at__isnull=False)),
            has_joined=Exists(mine.filter(joined_at__isnull=False)),
        )
        .order_by("starts_at", "pk")[: CALENDAR_LIMIT + 10]
    )
    return [d for d in rows if not d.is_over(now)][:CALENDAR_LIMIT]


def drop_in_for_view() -> QuerySet[DropInHour]:
    return _related(DropInHour.objects.all())


def drop_in_attendances(drop_in: DropInHour) -> list[DropInAttendance]:
    """Who signed up or joined, by name, in the order they came. One query."""
    return list(drop_in.attendances.select_related("gp").order_by("pk"))


def drop_in_feed(
    *, specialty: Specialty, area: HealthCouncilArea, now: datetime | None = None
) -> QuerySet[DropInHour]:
    """A specialty's drop-in hours in an area, a month back and half a year ahead."""
    now = now or timezone.now()
    return _related(
        DropInHour.objects.filter(
            specialty=specialty,
            health_council_area=area,
            starts_at__gte=now - timedelta(days=FEED_DAYS_BACK),
            starts_at__lt=now + timedelta(days=FEED_DAYS_AHEAD),
        )
    ).order_by("starts_at", "pk")


def calendar_token_user(token: str) -> User | None:
    """The active user a drop-in calendar link belongs to, or None."""
    return calendar_feed_user(token=token, feed=CalendarFeedToken.Feed.DROP_IN)


def calendar_token_of(user: User) -> CalendarFeedToken | None:
    return calendar_feed_token_of(user=user, feed=CalendarFeedToken.Feed.DROP_IN)


def feed_area_ids(user: User) -> set[int]:
    """The areas whose drop-in calendars a user may subscribe to: a GP's practices', a specialist's
    hospitals'."""
    areas = set(gp_area_ids(user))
    for membership in memberships_for_user(user):
        if membership.role == Role.HOSPITAL_SPECIALIST:
            area = membership.organisation.area
            if area is not None:
                areas.add(area.pk)
    return areas


def feed_choices(user: User) -> list[tuple[Specialty, HealthCouncilArea]]:
    """The (specialty, area) pairs with drop-in hours coming up in the user's areas."""
    now = timezone.now()
    pairs = (
        DropInHour.objects.filter(
            health_council_area_id__in=feed_area_ids(user),
            starts_at__gte=now - timedelta(days=FEED_DAYS_BACK),
            starts_at__lt=now + timedelta(days=FEED_DAYS_AHEAD),
        )
        .values_list("specialty_id", "health_council_area_id")
        .distinct()
    )
    pairs = set(pairs)
    specialties = Specialty.objects.in_bulk({s for s, _a in pairs})
    areas = HealthCouncilArea.objects.in_bulk({a for _s, a in pairs})
    return sorted(
        ((specialties[s], areas[a]) for s, a in pairs), key=lambda pair: (pair[1].name, pair[0].name)
    )
