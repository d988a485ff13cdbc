"""E-mails of the support module, queued in the outbox inside the caller's transaction.

A link and organisation names only: never the reason, the patient or the CPR number (e-mail
leaves our control). Each has an idempotency key.
"""

import logging

from django.utils import translation
from django.utils.translation import gettext as _

from portal.accounts.models import Membership
from portal.accounts.roles import DISTRIBUTOR_ROLES, Role
from portal.core.links import absolute_reverse
from portal.outbox.services import outbox_email_enqueue

logger = logging.getLogger(__name__)


def practice_recipients(practice) -> list:
    """The practice's secretaries (they run the acute time book), else its GPs."""
    members = Membership.objects.filter(organisation=practice, user__is_active=True).select_related("user")
    for roles in (DISTRIBUTOR_ROLES, {Role.GP}):
        people = [m.user for m in members if m.role in roles]
        if people:
            return people
    logger.error("support: practice %s has nobody to tell", practice.pk)
    return []


def _send(*, key: str, users, subject: str, line: str, link: str) -> None:
    for user in {u.pk: u for u in users if u is not None and u.is_active and u.email}.values():
        outbox_email_enqueue(
            key=f"support:{key}:{user.pk}",
            to=[user.email],
            subject=subject,
            body="\n\n".join([line, link, _("— Samspil")]),
        )


def acute_note_sent(note) -> None:
    with translation.override("da"):
        if note.booking_id:
            subject = _("An acute reception has booked an acute time at your practice")
            line = _("%(organisation)s has booked one of your acute times for a patient.")
        else:
            subject = _("An acute reception has referred a patient to your acute time")
            line = _("%(organisation)s has told a patient to book one of your acute times.")
        _send(
            key=f"acute-note:{note.public_id}",
            users=practice_recipients(note.practice),
            subject=subject,
            line=line % {"organisation": note.department},
            link=absolute_reverse("support:acute_note", public_id=note.public_id),
        )


def video_booked(consultation) -> None:
    """To the practice's GPs and the booking doctor: the page and the .ics, never the patient."""
    gps = [
        m.user
        for m in Membership.objects.filter(
            organisation_id=consultation.practice_id, role=Role.GP, user__is_active=True
        ).select_related("user")
    ]
    page = absolute_reverse("support:video", public_id=consultation.public_id)
    ics = absolute_reverse("support:video_ics", public_id=consultation.public_id)
    with translation.override("da"):
        _send(
            key=f"video:{consultation.public_id}",
            users=[*(gps or practice_recipients(consultation.practice)), consultation.hospital_doctor],
            subject=_("Video consultation booked in Samspil"),
            line=_(
                "%(department)s has booked a video consultation with %(practice)s about an admitted patient. "
                "Add it to your calendar: %(ics)s"
            )
            % {"department": consultation.department, "practice": consultation.practice, "ics": ics},
            link=page,
        )


def inpatient_visit_booked(visit) -> None:
    with translation.override("da"):
        _send(
            key=f"inpatient-visit:{visit.public_id}",
            users=practice_recipients(visit.practice),
            subject=_("A ward has booked a consultation at your practice"),
            line=_(
                "%(department)s has booked one of your consultation times for an admitted patient. "
                "Please confirm it in Samspil."
            )
            % {"department": visit.department},
            link=absolute_reverse("support:visit", public_id=visit.public_id),
        )
