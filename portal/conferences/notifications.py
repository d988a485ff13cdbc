"""E-mails about conferences, queued in the outbox inside the caller's transaction.

A link and organisation names only: never the topic, a note, the overview or a CPR
number, because e-mail leaves our control. Keys make each e-mail idempotent.
"""

import logging

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.accounts.notifications import informational
from portal.accounts.roles import Role
from portal.core.links import absolute_reverse
from portal.outbox.services import outbox_email_enqueue

from .models import Conference

logger = logging.getLogger(__name__)


def conference_link(conference: Conference) -> str:
    return absolute_reverse("conferences:conference", public_id=conference.public_id)


def _send(*, key: str, users, subject: str, lines: list[str], link: str) -> int:
    sent = 0
    for user in {u.pk: u for u in users if u is not None and u.is_active and u.email}.values():
        outbox_email_enqueue(
            key=f"conference.{key}:to:{user.pk}",
            to=[user.email],
            subject=subject,
            body="\n\n".join([*lines, link, _("— Samspil")]),
        )
        sent += 1
    return sent


def _practice_gps(conference: Conference) -> list:
    return list(
        User.objects.filter(
            memberships__organisation_id=conference.practice_id, memberships__role=Role.GP, is_active=True
        ).distinct()
    )


def requested(conference: Conference, *, offer_number: int) -> None:
    """A new request: to the specialist asked, or to the GPs of the addressed practice."""
    with translation.override("da"):
        if conference.initiated_by == Conference.Initiator.PRACTICE:
            users = [conference.specialist]
            line = _("%(organisation)s asks you for a conference in Samspil.") % {
                "organisation": conference.practice
            }
        else:
            users = _practice_gps(conference)
            line = _("%(organisation)s asks your practice for a conference in Samspil.") % {
                "organisation": conference.department
            }
        if not _send(
            key=f"requested:{conference.public_id}:{offer_number}",
            users=users,
            subject=_("New conference request in Samspil"),
            lines=[line],
            link=conference_link(conference),
        ):
            logger.error("conferences: request %s has nobody to tell", conference.pk)


def accepted(conference: Conference) -> None:
    with translation.override("da"):
        other = (
            conference.specialist
            if conference.initiated_by == Conference.Initiator.PRACTICE
            else conference.gp
        )
        organisation = (
            conference.department
            if conference.initiated_by == Conference.Initiator.PRACTICE
            else conference.practice
        )
        _send(
            key=f"accepted:{conference.public_id}",
            users=[conference.requester],
            subject=_("Your conference request in Samspil has been accepted"),
            lines=[
                _("%(name)s, %(organisation)s, has accepted your conference request.")
                % {"name": other.get_full_name() if other else "", "organisation": organisation}
            ],
            link=conference_link(conference),
        )


def escalated(conference: Conference, *, offer_number: int) -> None:
    """Tell the requester that the request has passed to the next specialist on duty."""
    with translation.override("da"):
        _send(
            key=f"escalated:{conference.public_id}:{offer_number}",
            users=[conference.requester],
            subject=_("Your conference request in Samspil has passed to the next on duty"),
            lines=[
                _(
                    "Nobody accepted in time, so the request has gone to the next specialist on duty "
                    "at %(department)s."
                )
                % {"department": conference.department}
            ],
            link=conference_link(conference),
        )


def unanswered(conference: Conference) -> None:
    """Nobody else is on duty: the requester is told and offered written correspondence."""
    with translation.override("da"):
        _send(
            key=f"unanswered:{conference.public_id}",
            users=[conference.requester],
            subject=_("Nobody has accepted your conference request in Samspil"),
            lines=[
                _(
                    "Nobody else is on duty in the specialty now. You can write to the specialty instead: "
                    "written correspondence is answered within three working days."
                ),
                absolute_reverse("correspondence:new"),
            ],
            link=conference_link(conference),
        )


def note_written(conference: Conference) -> None:
    """The specialist's note goes to the practice: the GP in the conference is told."""
    with translation.override("da"):
        _send(
            key=f"note:{conference.public_id}",
            users=informational([conference.gp]),
            subject=_("A conference note from the hospital in Samspil"),
            lines=[
                _("%(department)s has written the note after your conference.")
                % {"department": conference.department}
            ],
            link=conference_link(conference),
        )


def case_session_link(session) -> str:
    return absolute_reverse("conferences:case_session", public_id=session.public_id)


def case_session_minutes_published(session) -> None:
    """The minutes of a joint case session are out: to everyone signed up (submitters are).

    The theme and the department only; no question, case or answer leaves in the e-mail.
    """
    from .models import SessionCase

    participants = User.objects.filter(pk__in=session.participants.values("gp_id")) | User.objects.filter(
        pk__in=SessionCase.objects.filter(session=session).values("submitter_id")
    )
    with translation.override("da"):
        if not _send(
            key=f"case_session_minutes:{session.public_id}",
            users=informational(participants.distinct()),
            subject=_("Minutes of a joint case session in Samspil"),
            lines=[
                _("%(department)s has published the minutes of the joint case session on %(date)s.")
                % {
                    "department": session.department,
                    "date": date_format(timezone.localtime(session.starts_at), "DATE_FORMAT"),
                }
            ],
            link=case_session_link(session),
        ):
            logger.info("conferences: case session %s had no participants to tell", session.pk)
