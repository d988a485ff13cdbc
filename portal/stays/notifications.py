"""E-mails of the focused stays, through the outbox: a reminder a week before a stay starts.

To the trainee and the practice's supervising GP; a link and the dates, no more. The outbox key
names the stay, so however often the job runs, each person is told once per stay.
"""

from datetime import date, timedelta

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from portal.core.links import absolute_reverse
from portal.outbox.services import outbox_email_enqueue

from .models import Assignment

REMINDER_DAYS_AHEAD = 7


def stays_starting_within(*, today: date, days: int = REMINDER_DAYS_AHEAD):
    """Agreed or published stays that start between today and ``days`` ahead."""
    return (
        Assignment.objects.filter(
            state__in=Assignment.HOLDING, starts_on__gte=today, starts_on__lte=today + timedelta(days=days)
        )
        .select_related("need__trainee", "offer__practice", "offer__supervisor")
        .order_by("starts_on", "pk")
    )


def week_before_reminders_send(*, today: date | None = None) -> int:
    """Remind the trainee and the supervising GP of each stay starting within a week; returns
    how many e-mails were queued (the outbox ignores a key it already holds)."""
    today = today or timezone.localdate()
    queued = 0
    with translation.override("da"):
        for stay in stays_starting_within(today=today):
            link = absolute_reverse("stays:stay", public_id=stay.public_id)
            when = _("%(start)s to %(end)s") % {
                "start": formats.date_format(stay.starts_on, "DATE_FORMAT"),
                "end": formats.date_format(stay.ends_on, "DATE_FORMAT"),
            }
            pending = stay.state == Assignment.State.PUBLISHED
            lines = [
                _("A focused stay in %(practice)s starts soon: %(when)s.")
                % {"practice": stay.offer.practice.name, "when": when}
            ]
            if pending:
                lines.append(_("It still awaits a confirmation: please confirm or decline it."))
            for person in {p.pk: p for p in (stay.need.trainee, stay.offer.supervisor) if p}.values():
                if not (person.is_active and person.email):
                    continue
                outbox_email_enqueue(
                    key=f"stays.week_before:{stay.public_id}:to:{person.pk}",
                    to=[person.email],
                    subject=_("Your focused stay starts in a week"),
                    body="\n\n".join([*lines, link, _("— Samspil")]),
                )
                queued += 1
    return queued
