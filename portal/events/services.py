"""Writes of registrations: register (a seat or the waiting list), cancel (the first waiting
takes the seat), record attendance, draft a "tænk klogt" review from a meeting's outcome.

Register and cancel lock the meeting's row, so two people can never take the last seat, and
a freed seat goes to exactly one person on the waiting list. E-mails are queued in the outbox
in the same transaction.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Page

from content.models import EventPage, SectionIndexPage, ThinkSmartReviewPage

from . import notifications
from .models import Registration

Status = Registration.Status


def _locked(event: EventPage) -> EventPage:
    # The meeting's own row (not the page tree's) is the lock every registration takes.
    return EventPage.objects.select_for_update(of=("self",)).get(pk=event.pk)


def event_register(*, event: EventPage, user, now: datetime | None = None) -> Registration:
    """A seat if one is free, else a place on the waiting list. Registering twice returns the
    registration there is; registering again after cancelling goes to the back of the queue."""
    if not user.has_perm("events.register"):
        raise PermissionDenied
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked(event)
        if now >= event.closes_at:
            raise ValidationError(_("Registration for this meeting has closed."))
        registration = Registration.objects.select_for_update().filter(event=event, user=user).first()
        if registration is not None and registration.is_active:
            return registration
        taken = Registration.objects.filter(event=event, status=Status.REGISTERED).count()
        has_seat = event.seats is None or taken < event.seats
        if registration is None:
            registration = Registration(event=event, user=user)
        registration.status = Status.REGISTERED if has_seat else Status.WAITING
        registration.registered_at = now
        registration.queued_at = None if has_seat else now
        registration.cancelled_at = None
        registration.attended = None
        registration.save()
        notifications.registered(registration)
    return registration


def event_cancel(*, registration: Registration, actor, now: datetime | None = None) -> Registration:
    """The participant withdraws; a freed seat goes to the first on the waiting list (told by
    e-mail) while the meeting has not started."""
    if registration.user_id != actor.pk:
        raise PermissionDenied
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if not registration.is_active:
            return registration
        freed_a_seat = registration.status == Status.REGISTERED
        registration.status, registration.cancelled_at, registration.queued_at = Status.CANCELLED, now, None
        registration.save(update_fields=["status", "cancelled_at", "queued_at"])
        if freed_a_seat and now < event.starts_at:
            first = (
                Registration.objects.select_for_update()
                .filter(event=event, status=Status.WAITING)
                .order_by("queued_at", "pk")
                .first()
            )
            if first is not None:
                first.status, first.queued_at = Status.REGISTERED, None
                first.save(update_fields=["status", "queued_at"])
                notifications.promoted(first)
    return registration


def attendance_record(*, event: EventPage, actor, attended_ids: set[int], now: datetime | None = None) -> int:
    """Who came, as the organiser ticks it after the meeting has started: every registered
    participant is marked present or absent. Returns how many were present."""
    if not actor.has_perm("events.view_attendance", event):
        raise PermissionDenied
    if (now or timezone.now()) < event.starts_at:
        raise ValidationError(_("Attendance can be recorded once the meeting has started."))
    with transaction.atomic():
        registered = Registration.objects.select_for_update().filter(event=event, status=Status.REGISTERED)
        known = set(registered.values_list("pk", flat=True))
        if not attended_ids <= known:
            raise ValidationError(
                _("The list names someone who is not registered for the meeting. Nothing has been saved.")
            )
        registered.filter(pk__in=attended_ids).update(attended=True)
        registered.exclude(pk__in=attended_ids).update(attended=False)
    return len(attended_ids)


def _review_section() -> SectionIndexPage | None:
    """The section that holds "tænk klogt" reviews: the one the first review is in, else the
    one named so. Two queries at most, whatever the number of sections."""
    first = ThinkSmartReviewPage.objects.order_by("path").first()
    if first is not None:
        return SectionIndexPage.objects.parent_of(first).first()
    return SectionIndexPage.objects.filter(slug="taenk-klogt").first()


def review_from_event(*, event: EventPage, actor) -> ThinkSmartReviewPage:
    """A draft "tænk klogt" review from the meeting's outcome, for an organiser who edits the
    knowledge base: the title, the introduction as summary and the minutes as the current
    practice, linked back to the meeting. A draft: the two-person approval still decides."""
    if not actor.has_perm("events.view_attendance", event):
        raise PermissionDenied
    section = _review_section()
    if section is None or not section.permissions_for_user(actor).can_add_subpage():
        raise PermissionDenied
    title = _("Think smart: %(title)s") % {"title": event.title}
    slug_base = slugify(title)[:70] or "taenk-klogt"
    slug, n = slug_base, 1
    while Page.objects.filter(path__startswith=section.path, depth=section.depth + 1, slug=slug).exists():
        n += 1
        slug = f"{slug_base}-{n}"
    review = ThinkSmartReviewPage(
        title=title,
        slug=slug,
        summary=event.intro[:500],
        current_practice=list(event.minutes.raw_data) if event.minutes else [],
        source_event=event,
        owner=actor,
        live=False,
    )
    with transaction.atomic():
        section.add_child(instance=review)
        review.save_revision(user=actor, log_action=True)
    return review
