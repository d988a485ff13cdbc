"""E-mails about threads, queued in the outbox inside the caller's transaction.

They carry a link and the names of organisations, never the subject, the text
or anything else that could be patient data: e-mail leaves our control.
Each has an idempotency key, so a retried transaction cannot send it twice.
"""

import logging

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.accounts.models import Membership, User
from portal.accounts.notifications import informational
from portal.accounts.roles import CLINICIAN_ROLES, DISTRIBUTOR_ROLES, Role
from portal.core.links import absolute_reverse
from portal.outbox.services import outbox_email_enqueue

from .models import InboxSettings, Message, Participant, Side, Thread

logger = logging.getLogger(__name__)

#: The admin list where administrators see the departments without a recipient (wagtail_hooks).
NO_RECIPIENT_ADMIN_URL = "correspondence_no_recipient:index"


def thread_link(thread: Thread) -> str:
    return absolute_reverse("correspondence:thread", public_id=thread.public_id)


def _responsible(organisation_id: int):
    settings_row = (
        InboxSettings.objects.filter(organisation_id=organisation_id).select_related("responsible").first()
    )
    return settings_row.responsible if settings_row and settings_row.responsible_id else None


def _send(*, key: str, users, subject: str, lines: list[str], thread: Thread) -> None:
    for user in {u.pk: u for u in _reachable(users)}.values():
        outbox_email_enqueue(
            key=f"{key}:{user.pk}",
            to=[user.email],
            subject=subject,
            body="\n\n".join([*lines, thread_link(thread), _("— Samspil")]),
        )


def _reachable(users) -> list:
    return [u for u in users if u is not None and u.is_active and u.email]


def _organisation_fallback(organisation) -> list:
    """When nobody is named: the organisation's secretaries, who distribute its work, else its
    clinicians. Active people only; empty when the organisation has nobody at all."""
    members = Membership.objects.filter(organisation=organisation, user__is_active=True).select_related(
        "user"
    )
    for roles in (DISTRIBUTOR_ROLES, CLINICIAN_ROLES):
        people = [m.user for m in members if m.role in roles]
        if people:
            return people
    return []


def _side_people(thread: Thread, side: str) -> list:
    """Who hears of a new message for ``side``: its people in the thread and, while nobody holds
    the thread, the organisation's responsible person. Never nobody: without either, the
    organisation's secretaries or clinicians (as for overdue notices), and the administrators
    hear that the organisation names no responsible person."""
    people = [p.user for p in Participant.objects.filter(thread=thread, side=side).select_related("user")]
    if side == Side.RECIPIENT and thread.assignee_id is None:
        responsible = _responsible(thread.recipient_organisation_id)
        if responsible is None or not _reachable([responsible]):
            _no_responsible_person(thread.recipient_organisation)
        people.append(responsible)
    if not _reachable(people):
        organisation = thread.organisation_on(side)
        people = _organisation_fallback(organisation)
        if not _reachable(people):
            logger.error(
                "correspondence: a new message in thread %s reaches nobody in organisation %s",
                thread.pk,
                organisation.pk,
            )
    return people


def administrators():
    """The portal's administrators: superusers and holders of the administrator role."""
    return (
        User.objects.filter(Q(is_superuser=True) | Q(memberships__role=Role.ADMINISTRATOR), is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _no_responsible_person(organisation) -> None:
    """Warn that ``organisation`` receives threads but names nobody to tell: in the log, and by
    e-mail to the administrators at most once a day per organisation (the key holds the date)."""
    logger.warning(
        "correspondence: organisation %s receives threads but has no responsible person set", organisation.pk
    )
    day = timezone.localdate().isoformat()
    admin_link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(NO_RECIPIENT_ADMIN_URL)
    with translation.override("da"):
        for admin in administrators():
            outbox_email_enqueue(
                key=f"no-responsible:{organisation.pk}:{day}:{admin.pk}",
                to=[admin.email],
                subject=_("A department in Samspil has no recipient for correspondence"),
                body="\n\n".join(
                    [
                        _(
                            "%(organisation)s received a thread, but no responsible person is set in its"
                            " inbox settings. Its secretaries or clinicians were told instead."
                        )
                        % {"organisation": organisation},
                        _("Set a responsible person here:"),
                        admin_link,
                        _("— Samspil"),
                    ]
                ),
            )


def new_message(message: Message) -> None:
    thread = message.thread
    with translation.override("da"):
        _send(
            key=f"message:{message.public_id}",
            users=_side_people(thread, Side(message.side).other),
            subject=_("New message in Samspil"),
            lines=[
                _("%(organisation)s has written to you in Samspil.") % {"organisation": message.organisation}
            ],
            thread=thread,
        )


def assigned(thread: Thread, assignee) -> None:
    with translation.override("da"):
        _send(
            key=f"assigned:{thread.public_id}:{thread.events.count()}",
            users=[assignee],
            subject=_("A thread in Samspil has been given to you"),
            lines=[
                _("A thread from %(organisation)s is now yours to answer.")
                % {"organisation": thread.sender_organisation}
            ],
            thread=thread,
        )


def rerouted(thread: Thread) -> None:
    with translation.override("da"):
        _send(
            key=f"rerouted:{thread.public_id}:{thread.events.count()}",
            users=[_responsible(thread.recipient_organisation_id)],
            subject=_("A thread in Samspil has been re-routed to your department"),
            lines=[
                _("A thread from %(organisation)s has been re-routed to %(department)s.")
                % {"organisation": thread.sender_organisation, "department": thread.recipient_organisation}
            ],
            thread=thread,
        )


def closed(thread: Thread, actor) -> None:
    with translation.override("da"):
        others = Participant.objects.filter(thread=thread).exclude(user=actor).select_related("user")
        _send(
            key=f"closed:{thread.public_id}",
            users=informational(p.user for p in others),
            subject=_("A thread in Samspil has been closed"),
            lines=[_("The thread has been closed with a summary.")],
            thread=thread,
        )


def _overdue_recipients(thread: Thread, side: str) -> list:
    """Someone is always told: the responsible person, else the clinician who holds the thread,
    else the organisation's secretaries, else its clinicians (hazard: "unanswered, nobody told")."""
    organisation = thread.organisation_on(side)
    person = _responsible(organisation.pk)
    if person is None:
        person = thread.assignee if side == Side.RECIPIENT else thread.opened_by
    if person is not None and person.is_active:
        return [person]
    return _organisation_fallback(organisation)


def overdue(thread: Thread) -> list:
    """Tell whoever answers for the side whose reply is overdue; returns who was told."""
    side = thread.awaiting or Side.RECIPIENT
    organisation = thread.organisation_on(side)
    people = _overdue_recipients(thread, side)
    if not people:
        logger.error(
            "correspondence: overdue thread %s has nobody to tell in organisation %s",
            thread.pk,
            organisation.pk,
        )
    with translation.override("da"):
        _send(
            key=f"overdue:{thread.public_id}:{thread.due_at:%Y%m%d%H%M}",
            users=people,
            subject=_("A reply in Samspil is overdue"),
            lines=[_("A reply from %(organisation)s is past its deadline.") % {"organisation": organisation}],
            thread=thread,
        )
    return people
