"""Writes of drop-in hours: publishing one, a GP signing up or joining, the calendar link.

A drop-in hour carries no patient data, so nothing here writes the access log; who
signed up and who joined is recorded so the session page can show who is there.
"""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.accounts import services as accounts_services
from portal.accounts.models import CalendarFeedToken, Organisation, User
from portal.accounts.roles import Role
from portal.accounts.selectors import user_has_role_in

from .models import DROP_IN_DEFAULT_MINUTES, DropInAttendance, DropInHour

# Joining opens a little before the start, as a waiting room does.
JOIN_OPENS_BEFORE = timedelta(minutes=10)


@transaction.atomic
def drop_in_publish(
    *,
    host: User,
    department: Organisation,
    starts_at: datetime,
    video_url: str,
    duration_minutes: int = DROP_IN_DEFAULT_MINUTES,
    title: str = "",
    now: datetime | None = None,
) -> DropInHour:
    """Publish a drop-in hour of ``department``'s specialty in its hospital's area."""
    now = now or timezone.now()
    if not host.has_perm("conferences.add_dropinhour") or not user_has_role_in(
        host, department.pk, {Role.HOSPITAL_SPECIALIST}
    ):
        raise PermissionDenied("Only a specialist of the department publishes its drop-in hours.")
    area = department.area
    if department.kind != Organisation.Kind.DEPARTMENT or department.specialty_id is None:
        raise ValidationError({"department": _("A drop-in hour belongs to a hospital department.")})
    if area is None:
        raise ValidationError({"department": _("The department's hospital has no health council area.")})
    if starts_at < now:
        raise ValidationError({"starts_at": _("A drop-in hour is published ahead: the start has passed.")})
    drop_in = DropInHour(
        host=host,
        department=department,
        specialty_id=department.specialty_id,
        health_council_area=area,
        title=(title or "").strip(),
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        video_url=(video_url or "").strip(),
        created_at=now,
    )
    drop_in.full_clean(exclude=["public_id"])
    drop_in.save()
    return drop_in


def _attendance(drop_in: DropInHour, gp: User, *, field: str, now: datetime) -> DropInAttendance:
    """The GP's attendance with ``field`` (signed_up_at or joined_at) set, the first time only."""
    if not gp.has_perm("conferences.attend_dropinhour", drop_in):
        raise PermissionDenied("Not a GP of the drop-in hour's area, or it is over.")
    attendance, _created = DropInAttendance.objects.select_for_update().get_or_create(
        drop_in=drop_in, gp=gp, defaults={field: now}
    )
    if getattr(attendance, field) is None:
        setattr(attendance, field, now)
        attendance.save(update_fields=[field])
    return attendance


@transaction.atomic
def drop_in_sign_up(*, drop_in: DropInHour, gp: User, now: datetime | None = None) -> DropInAttendance:
    """Tell the host you are coming; signing up twice changes nothing."""
    return _attendance(drop_in, gp, field="signed_up_at", now=now or timezone.now())


@transaction.atomic
def drop_in_join(*, drop_in: DropInHour, gp: User, now: datetime | None = None) -> DropInAttendance:
    """Record that the GP went in through the link (the view then sends them to it)."""
    now = now or timezone.now()
    opens = drop_in.starts_at - JOIN_OPENS_BEFORE
    if now < opens:
        raise ValidationError(
            _("The drop-in hour opens at %(time)s.")
            % {"time": date_format(timezone.localtime(opens), "SHORT_DATETIME_FORMAT")}
        )
    return _attendance(drop_in, gp, field="joined_at", now=now)


# The link itself lives in accounts (one model for every module's calendar feed).


def calendar_token_get_or_create(*, user: User) -> CalendarFeedToken:
    return accounts_services.calendar_feed_token_get_or_create(user=user, feed=CalendarFeedToken.Feed.DROP_IN)


def calendar_token_renew(*, user: User) -> CalendarFeedToken:
    """A new secret; every link with the old one stops working at once."""
    return accounts_services.calendar_feed_token_renew(user=user, feed=CalendarFeedToken.Feed.DROP_IN)
