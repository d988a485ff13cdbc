"""Writes for audit rounds: start, register a practice's results, close.

Each is one transaction: a registration is saved whole or not at all. Refusals are
``PermissionDenied`` (the view answers 404) or a Danish ``ValidationError``.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from content.blocks.audit import COUNT, PROPORTION
from content.models import AuditMaterialPage
from portal.accounts.models import Organisation
from portal.quality.models import QualityCluster

from . import notifications, selectors
from .models import AuditRound, IndicatorResult, PracticeRegistration

# A practice's count over an audit period; anything larger is a typing error.
MAX_COUNT = 100_000


def kit_indicators(kit: AuditMaterialPage) -> list[dict]:
    """The kit's indicators as the round keeps them: the block id is what results refer to."""
    return [
        {
            "id": block.id,
            "name": block.value["name"],
            "target": block.value.get("target") or "",
            "measure": block.value.get("measure") or PROPORTION,
        }
        for block in kit.indicators
    ]


@transaction.atomic
def audit_round_start(
    *, actor, cluster: QualityCluster, kit: AuditMaterialPage, period_start: date, period_end: date
) -> AuditRound:
    if not actor.has_perm("auditrounds.start_auditround", cluster):
        raise PermissionDenied
    if not kit.live:
        raise ValidationError({"kit": _("The audit kit is not published.")})
    indicators = kit_indicators(kit)
    if not indicators:
        raise ValidationError({"kit": _("The audit kit has no indicators to register.")})
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period cannot end before it starts.")})
    audit_round = AuditRound.objects.create(
        cluster=cluster,
        kit=kit,
        kit_title=kit.title,
        indicators=indicators,
        # The version the kit audits, copied: a later relink of the kit leaves this round as it was.
        guideline_id=kit.guideline_id,
        guideline_revision_id=kit.guideline_revision_id,
        guideline_version_at=kit.guideline_version_at,
        period_start=period_start,
        period_end=period_end,
        started_by=actor,
    )
    notifications.started(audit_round)
    return audit_round


def _checked(indicator: dict, numerator, denominator) -> tuple[int, int | None]:
    name = indicator["name"]
    if numerator is None or (indicator["measure"] == PROPORTION and denominator is None):
        raise ValidationError(_("“%(name)s”: fill in every number.") % {"name": name})
    values = [numerator] if indicator["measure"] == COUNT else [numerator, denominator]
    if any(not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= MAX_COUNT for v in values):
        raise ValidationError(
            _("“%(name)s”: the numbers must be whole numbers from 0 to %(max)s.")
            % {"name": name, "max": MAX_COUNT}
        )
    if indicator["measure"] == COUNT:
        return numerator, None
    if numerator > denominator:
        raise ValidationError(
            _("“%(name)s”: the numerator cannot be larger than the denominator.") % {"name": name}
        )
    return numerator, denominator


@transaction.atomic
def audit_registration_save(
    *, actor, audit_round: AuditRound, practice: Organisation, values: dict[str, tuple]
) -> PracticeRegistration:
    """Replace the practice's results with ``values`` ({indicator id: (numerator, denominator)})."""
    if not actor.has_perm("auditrounds.view_auditround", audit_round):
        raise PermissionDenied
    # Locks the round row: a close that commits first makes this registration wait, then refuse.
    audit_round = AuditRound.objects.select_for_update().get(pk=audit_round.pk)
    if not audit_round.is_open:
        raise ValidationError(_("The audit round is closed: registrations can no longer be changed."))
    if not selectors.registrable_practices(actor, audit_round).filter(pk=practice.pk).exists():
        raise PermissionDenied
    errors, checked = [], {}
    for indicator in audit_round.indicators:
        numerator, denominator = values.get(indicator["id"], (None, None))
        try:
            checked[indicator["id"]] = _checked(indicator, numerator, denominator)
        except ValidationError as error:
            errors.extend(error.messages)
    unknown = set(values) - {i["id"] for i in audit_round.indicators}
    if unknown:
        errors.append(_("The registration names indicators that are not in this round."))
    if errors:
        raise ValidationError(errors)
    registration, created = PracticeRegistration.objects.get_or_create(
        audit_round=audit_round, practice=practice, defaults={"registered_by": actor}
    )
    if not created:
        registration.registered_by = actor
        registration.save(update_fields=["registered_by", "updated_at"])
        registration.results.all().delete()
    IndicatorResult.objects.bulk_create(
        IndicatorResult(
            registration=registration,
            indicator_id=indicator["id"],
            measure=indicator["measure"],
            numerator=checked[indicator["id"]][0],
            denominator=checked[indicator["id"]][1],
        )
        for indicator in audit_round.indicators
    )
    return registration


@transaction.atomic
def audit_round_close(*, actor, audit_round: AuditRound) -> AuditRound:
    if not actor.has_perm("auditrounds.close_auditround", audit_round):
        raise PermissionDenied
    audit_round = AuditRound.objects.select_for_update().get(pk=audit_round.pk)
    if not audit_round.is_open:
        raise ValidationError(_("The audit round is already closed."))
    audit_round.status, audit_round.closed_at = AuditRound.Status.CLOSED, timezone.now()
    audit_round.save(update_fields=["status", "closed_at"])
    return audit_round
