"""E-mails about registrations, queued in the outbox inside the caller's transaction: the
meeting's title, time and a link. Keys make each e-mail idempotent."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.core.links import absolute_reverse
from portal.outbox.services import outbox_email_enqueue

from .models import Registration


def _when(registration: Registration) -> str:
    return date_format(timezone.localtime(registration.event.starts_at), "DATETIME_FORMAT")


def _send(registration: Registration, *, key: str, subject: str, line: str) -> None:
    user = registration.user
    if not (user.is_active and user.email):
        return
    link = absolute_reverse("events:registration", page_id=registration.event_id)
    outbox_email_enqueue(
        key=f"events.{key}:{registration.pk}:to:{user.pk}",
        to=[user.email],
        subject=subject,
        body="\n\n".join([line, link, _("— Samspil")]),
    )


def registered(registration: Registration) -> None:
    event, stamp = registration.event, int(registration.registered_at.timestamp())
    if registration.status == Registration.Status.REGISTERED:
        _send(
            registration,
            key=f"registered:{stamp}",
            subject=_("You are registered: %(title)s") % {"title": event.title},
            line=_(
                "You are registered for “%(title)s”, %(when)s. The calendar file and the way to "
                "cancel are here:"
            )
            % {"title": event.title, "when": _when(registration)},
        )
    else:
        _send(
            registration,
            key=f"waiting:{stamp}",
            subject=_("You are on the waiting list: %(title)s") % {"title": event.title},
            line=_(
                "“%(title)s”, %(when)s, is full: you are on the waiting list, and we write to you "
                "if a seat becomes free. See your place here:"
            )
            % {"title": event.title, "when": _when(registration)},
        )


def promoted(registration: Registration) -> None:
    event = registration.event
    _send(
        registration,
        key=f"promoted:{int(registration.registered_at.timestamp())}",
        subject=_("A seat is yours: %(title)s") % {"title": event.title},
        line=_(
            "A seat became free at “%(title)s”, %(when)s, and it is yours. If you cannot come, cancel here:"
        )
        % {"title": event.title, "when": _when(registration)},
    )


def reminder(registration: Registration) -> None:
    event = registration.event
    _send(
        registration,
        key=f"reminder:{int(event.starts_at.timestamp())}",
        subject=_("Tomorrow: %(title)s") % {"title": event.title},
        line=_("A reminder: you are registered for “%(title)s”, %(when)s%(place)s.")
        % {
            "title": event.title,
            "when": _when(registration),
            "place": f", {event.location}" if event.location else "",
        },
    )
