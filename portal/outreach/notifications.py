"""E-mails about outreach orders, queued in the outbox inside the caller's transaction.

A link and organisation names only: never the request, the postcode or the CPR number (e-mail
leaves our control). Each has an idempotency key, so a retried submit sends nothing twice.
"""

import logging

from django.utils import translation
from django.utils.translation import gettext as _

from portal.accounts.models import Membership
from portal.accounts.notifications import informational
from portal.accounts.roles import DISTRIBUTOR_ROLES
from portal.core.links import absolute_reverse
from portal.correspondence.selectors import organisation_responsible_person
from portal.outbox.services import outbox_email_enqueue

from .rules import STAFF_ROLES

logger = logging.getLogger(__name__)


def order_link(order) -> str:
    return absolute_reverse("outreach:order", public_id=order.public_id)


def _send(*, key: str, users, subject: str, line: str, order) -> None:
    for user in {u.pk: u for u in users if u is not None and u.is_active and u.email}.values():
        outbox_email_enqueue(
            key=f"outreach:{key}:{user.pk}",
            to=[user.email],
            subject=subject,
            body="\n\n".join([line, order_link(order), _("— Samspil")]),
        )


def service_staff_to_tell(organisation) -> list:
    """The person the organisation named for its inbox, else its secretaries, else its clinicians."""
    person = organisation_responsible_person(organisation.pk)
    if person is not None:
        return [person]
    members = list(
        Membership.objects.filter(organisation=organisation, role__in=STAFF_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )
    secretaries = [m.user for m in members if m.role in DISTRIBUTOR_ROLES]
    people = secretaries or [m.user for m in members]
    if not people:
        logger.error("outreach: organisation %s has nobody to tell about an order", organisation.pk)
    return people


def ordered(order) -> None:
    with translation.override("da"):
        _send(
            key=f"ordered:{order.public_id}",
            users=service_staff_to_tell(order.owner),
            subject=_("New order for an outreach service in Samspil"),
            line=_("%(organisation)s has ordered %(service)s.")
            % {"organisation": order.ordering_organisation, "service": order.service.name},
            order=order,
        )


def acknowledged(order) -> None:
    with translation.override("da"):
        _send(
            key=f"acknowledged:{order.public_id}",
            users=informational([order.orderer]),
            subject=_("Your order has been received"),
            line=_("%(organisation)s has received your order of %(service)s.")
            % {"organisation": order.owner, "service": order.service.name},
            order=order,
        )
