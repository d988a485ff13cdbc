"""E-mails about investigation orders, queued in the outbox inside the caller's transaction.

A link and organisation names only: never the investigation's clinical question, the result
notice or the CPR number (e-mail leaves our control). Each has an idempotency key.
"""

from django.utils import translation
from django.utils.translation import gettext as _

from portal.accounts.models import Membership
from portal.accounts.roles import Role
from portal.core.links import absolute_reverse
from portal.outbox.services import outbox_email_enqueue

from .notifications import responsible_people


def order_link(order) -> str:
    return absolute_reverse("referrals:diagnostics_order", public_id=order.public_id)


def _send(*, key: str, users, subject: str, line: str, order) -> None:
    for user in {u.pk: u for u in users if u is not None and u.is_active and u.email}.values():
        outbox_email_enqueue(
            key=f"investigation:{key}:{user.pk}",
            to=[user.email],
            subject=subject,
            body="\n\n".join([line, order_link(order), _("— Samspil")]),
        )


def _ordering_gps(order) -> list:
    """The ordering GP; if they have left, the practice's GPs, so the notice is never lost."""
    if order.author.is_active and order.author.email:
        return [order.author]
    return [
        m.user
        for m in Membership.objects.filter(
            organisation_id=order.practice_id, role=Role.GP, user__is_active=True
        ).select_related("user")
    ]


def ordered(order) -> None:
    with translation.override("da"):
        _send(
            key=f"ordered:{order.public_id}",
            users=responsible_people(order.department),
            subject=_("New investigation order in Samspil"),
            line=_("%(organisation)s has ordered an investigation.") % {"organisation": order.practice},
            order=order,
        )


def result_available(order) -> None:
    with translation.override("da"):
        _send(
            key=f"result:{order.public_id}",
            users=_ordering_gps(order),
            subject=_("A result notice awaits your follow-up"),
            line=_("%(organisation)s has given a result notice on an investigation you ordered.")
            % {"organisation": order.department},
            order=order,
        )


def result_reminder(order, *, round_: int) -> list:
    """A result notice nobody in the practice has acknowledged: remind the ordering GP and the
    practice's responsible person (its secretaries, else its clinicians), so that a GP on leave
    does not leave the follow-up with nobody. Once per reminder round (the round is in the key)."""
    people = [*_ordering_gps(order), *responsible_people(order.practice)]
    with translation.override("da"):
        _send(
            key=f"result-reminder:{order.public_id}:{round_}",
            users=people,
            subject=_("Reminder: a result notice awaits follow-up"),
            line=_(
                "%(organisation)s has given a result notice on an investigation your practice ordered. "
                "Nobody in the practice has acknowledged it yet."
            )
            % {"organisation": order.department},
            order=order,
        )
    return people
