"""E-mails about referrals, queued in the outbox inside the caller's transaction.

Like correspondence's: a link and organisation names, never the diagnosis, the clinical
text, the reason or the CPR number (e-mail leaves our control). Each has an idempotency key.
"""

import logging

from django.utils import translation
from django.utils.translation import gettext as _

from portal.accounts.models import Membership
from portal.accounts.roles import CLINICIAN_ROLES, DISTRIBUTOR_ROLES
from portal.core.links import absolute_reverse
from portal.correspondence.selectors import organisation_responsible_person
from portal.outbox.services import outbox_email_enqueue

logger = logging.getLogger(__name__)


def referral_link(referral) -> str:
    return absolute_reverse("referrals:referral", public_id=referral.public_id)


def handover_link(handover) -> str:
    """A palliative or coordinator handover has no referral: its own page."""
    if handover.kind == "coordinator":
        return absolute_reverse("referrals:coordinator_handover", public_id=handover.public_id)
    if handover.referral_id is None:
        return absolute_reverse("referrals:palliative", public_id=handover.public_id)
    return referral_link(handover.referral)


def _send(*, key: str, users, subject: str, line: str, referral=None, link: str = "") -> None:
    for user in {u.pk: u for u in users if u is not None and u.is_active and u.email}.values():
        outbox_email_enqueue(
            key=f"referral:{key}:{user.pk}",
            to=[user.email],
            subject=subject,
            body="\n\n".join([line, link or referral_link(referral), _("— Samspil")]),
        )


def responsible_people(organisation) -> list:
    """Someone is always told: the named responsible person, else the secretaries, else the clinicians."""
    person = organisation_responsible_person(organisation.pk)
    if person is not None:
        return [person]
    members = Membership.objects.filter(organisation=organisation, user__is_active=True).select_related(
        "user"
    )
    for roles in (DISTRIBUTOR_ROLES, CLINICIAN_ROLES):
        people = [m.user for m in members if m.role in roles]
        if people:
            return people
    logger.error("referrals: organisation %s has nobody to tell", organisation.pk)
    return []


def received(referral) -> None:
    with translation.override("da"):
        _send(
            key=f"received:{referral.public_id}",
            users=responsible_people(referral.destination),
            subject=_("New referral in Samspil"),
            line=_("%(organisation)s has sent a referral.") % {"organisation": referral.practice},
            referral=referral,
        )


def rerouted(referral, *, old) -> None:
    with translation.override("da"):
        _send(
            key=f"rerouted:{referral.public_id}:{referral.last_step_at:%Y%m%d%H%M%S%f}",
            users=[referral.author],
            subject=_("Your referral has been re-routed"),
            line=_("%(old)s has re-routed your referral to %(new)s; the reason is on the referral.")
            % {"old": old, "new": referral.destination},
            referral=referral,
        )
        _send(
            key=f"received:{referral.public_id}:{referral.destination_id}",
            users=responsible_people(referral.destination),
            subject=_("New referral in Samspil"),
            line=_("%(organisation)s has re-routed a referral to you.") % {"organisation": old},
            referral=referral,
        )


def decided(referral, *, kind: str) -> None:
    with translation.override("da"):
        _send(
            key=f"decided:{referral.public_id}:{kind}:{referral.last_step_at:%Y%m%d%H%M%S%f}",
            users=[referral.author],
            subject=_("News about your referral"),
            line=_("%(organisation)s has recorded a decision on your referral.")
            % {"organisation": referral.destination},
            referral=referral,
        )


def vetoed(referral) -> None:
    with translation.override("da"):
        _send(
            key=f"veto:{referral.public_id}",
            users=responsible_people(referral.destination),
            subject=_("Veto: a patient must be seen in the acute reception"),
            line=_("%(organisation)s has pressed the veto on a referral to you.")
            % {"organisation": referral.practice},
            referral=referral,
        )


def handover_proposed(referral, handover) -> None:
    with translation.override("da"):
        _send(
            key=f"handover:{referral.public_id}:{handover.pk}",
            users=responsible_people(handover.to_organisation),
            subject=_("Treatment responsibility offered to you"),
            line=_("%(organisation)s proposes to hand the treatment responsibility to you.")
            % {"organisation": handover.from_organisation},
            referral=referral,
        )


def overdue(referral) -> list:
    people = responsible_people(referral.destination)
    with translation.override("da"):
        _send(
            key=f"overdue:{referral.public_id}:{referral.decision_due_at:%Y%m%d%H%M}",
            users=people,
            subject=_("A referral decision in Samspil is overdue"),
            line=_("A decision from %(organisation)s on a referral is past its deadline.")
            % {"organisation": referral.destination},
            referral=referral,
        )
    return people


def handover_reminder(handover, *, round_: int) -> list:
    """The receiving side has not acknowledged a proposed handover: tell its responsible people
    again, once per reminder round (the round is in the key)."""
    people = responsible_people(handover.to_organisation)
    with translation.override("da"):
        if handover.kind == "coordinator":
            # Not treatment responsibility: the practice is asked to coordinate the patient's care.
            subject = _("Reminder: the role as coordinating GP (tovholder) awaits your acknowledgement")
            line = _(
                "%(organisation)s has proposed your practice as coordinating GP (tovholder) for a "
                "patient and is waiting for your acknowledgement. The practice becomes tovholder "
                "only when a GP there acknowledges."
            )
        else:
            subject = _("Reminder: treatment responsibility awaits your acknowledgement")
            line = _(
                "%(organisation)s has proposed to hand the treatment responsibility for a patient to "
                "you and is waiting for your acknowledgement. Until you acknowledge it, "
                "%(organisation)s keeps the responsibility."
            )
        _send(
            key=f"handover-reminder:{handover.pk}:{round_}",
            users=people,
            subject=subject,
            line=line % {"organisation": handover.from_organisation},
            link=handover_link(handover),
        )
    return people


def palliative_handover_proposed(handover) -> None:
    """To the practice's GPs (a palliative patient is a clinician's decision), else its people."""
    gps = [
        m.user
        for m in Membership.objects.filter(
            organisation_id=handover.to_organisation_id, role__in=CLINICIAN_ROLES, user__is_active=True
        ).select_related("user")
    ]
    with translation.override("da"):
        _send(
            key=f"palliative:{handover.public_id}",
            users=gps or responsible_people(handover.to_organisation),
            subject=_("A palliative patient is offered to your practice"),
            line=_(
                "%(organisation)s proposes, as agreed on the phone, that your practice takes over the "
                "treatment responsibility for a palliative patient. Accept it in Samspil."
            )
            % {"organisation": handover.from_organisation},
            link=handover_link(handover),
        )


def _clinicians_else_people(organisation) -> list:
    """A clinical role is a GP's decision: the practice's GPs, else its responsible people."""
    gps = [
        m.user
        for m in Membership.objects.filter(
            organisation_id=organisation.pk, role__in=CLINICIAN_ROLES, user__is_active=True
        ).select_related("user")
    ]
    return gps or responsible_people(organisation)


def coordinator_handover_proposed(handover) -> None:
    with translation.override("da"):
        _send(
            key=f"coordinator:{handover.public_id}",
            users=_clinicians_else_people(handover.to_organisation),
            subject=_("Your practice is proposed as coordinating GP (tovholder)"),
            line=_(
                "%(organisation)s proposes that your practice becomes the coordinating GP (tovholder) "
                "for a patient with complex multimorbidity. Acknowledge it in Samspil."
            )
            % {"organisation": handover.from_organisation},
            link=handover_link(handover),
        )


def coordinator_handover_acknowledged(handover, coordinator) -> None:
    with translation.override("da"):
        _send(
            key=f"coordinator-acknowledged:{handover.public_id}",
            users=[handover.proposed_by, *responsible_people(handover.from_organisation)],
            subject=_("The coordinating GP (tovholder) is acknowledged"),
            line=_("%(organisation)s has acknowledged the coordinating role (tovholder) for the patient.")
            % {"organisation": handover.to_organisation},
            link=absolute_reverse("referrals:coordinator", public_id=coordinator.public_id),
        )


def coordinator_handover_withdrawn(handover) -> None:
    """To those who were asked: the proposal no longer waits for them."""
    with translation.override("da"):
        _send(
            key=f"coordinator-withdrawn:{handover.public_id}",
            users=_clinicians_else_people(handover.to_organisation),
            subject=_("A proposal of coordinating GP (tovholder) is withdrawn"),
            line=_(
                "%(organisation)s has withdrawn the proposal that your practice becomes the coordinating "
                "GP (tovholder) for a patient. Nothing awaits your acknowledgement."
            )
            % {"organisation": handover.from_organisation},
            link=handover_link(handover),
        )


def coordinator_department_added(coordinator, department) -> None:
    with translation.override("da"):
        _send(
            key=f"coordinator-department:{coordinator.public_id}:{department.pk}",
            users=responsible_people(department),
            subject=_("Your department is involved in a patient's coordinated care"),
            line=_(
                "Your department is now among the departments involved with %(organisation)s as "
                "coordinating GP (tovholder) for a patient."
            )
            % {"organisation": coordinator.practice},
            link=absolute_reverse("referrals:coordinator", public_id=coordinator.public_id),
        )
