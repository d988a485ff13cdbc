"""E-mails to a cluster's GPs about its audit rounds, queued in the outbox inside the caller's
transaction. Only the kit's title, the period and a link: never a figure, never a patient."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.core.links import absolute_reverse
from portal.outbox.services import outbox_email_enqueue

from . import selectors
from .models import AuditRound


def _period(audit_round: AuditRound) -> str:
    return f"{date_format(audit_round.period_start)} – {date_format(audit_round.period_end)}"


def _to_gps(audit_round: AuditRound, *, key: str, subject: str, line: str) -> int:
    link = absolute_reverse("auditrounds:detail", pk=audit_round.pk)
    sent = 0
    for user in selectors.gps_of_cluster(audit_round.cluster):
        if not user.email:
            continue
        outbox_email_enqueue(
            key=f"auditrounds.{key}:{audit_round.pk}:to:{user.pk}",
            to=[user.email],
            subject=subject,
            body="\n\n".join([line, link, _("— Samspil")]),
        )
        sent += 1
    return sent


def started(audit_round: AuditRound) -> int:
    return _to_gps(
        audit_round,
        key="started",
        subject=_("Audit round started: %(kit)s") % {"kit": audit_round.kit_title},
        line=_(
            "%(cluster)s has started an audit round with “%(kit)s”, %(period)s. Register your "
            "practice's results here (counts only, no patient data):"
        )
        % {"cluster": audit_round.cluster.name, "kit": audit_round.kit_title, "period": _period(audit_round)},
    )


def ending_soon(audit_round: AuditRound) -> int:
    return _to_gps(
        audit_round,
        key=f"ending:{audit_round.period_end.isoformat()}",
        subject=_("One week left: %(kit)s") % {"kit": audit_round.kit_title},
        line=_(
            "The audit round with “%(kit)s” in %(cluster)s ends on %(end)s. If your practice has not "
            "registered its results yet, you can do it here:"
        )
        % {
            "kit": audit_round.kit_title,
            "cluster": audit_round.cluster.name,
            "end": date_format(audit_round.period_end),
        },
    )
