"""Audit rounds: a quality cluster runs an audit kit over a period, each practice registers its
counts per indicator, and the cluster sees its aggregate beside its health council area's.

Counts only: a registration holds numbers per indicator, never a patient, a CPR number or a
name. The kit's indicators and the guideline version it audits are copied when the round starts,
so an editor changing the kit later does not change what the practices registered against.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import Revision

from content.blocks.audit import COUNT, PROPORTION
from portal.accounts.models import Organisation
from portal.quality.models import QualityCluster


class AuditRound(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    cluster = models.ForeignKey(
        QualityCluster, on_delete=models.PROTECT, related_name="audit_rounds", verbose_name=_("cluster")
    )
    # SET_NULL with the title kept: a deleted kit must not take the practices' results with it.
    kit = models.ForeignKey(
        "content.AuditMaterialPage",
        on_delete=models.SET_NULL,
        null=True,
        related_name="audit_rounds",
        verbose_name=_("audit kit"),
    )
    kit_title = models.CharField(_("audit kit"), max_length=255)
    # [{"id": block id, "name": ..., "target": ..., "measure": "proportion" | "count"}, ...]
    indicators = models.JSONField(_("indicators"), default=list)
    guideline = models.ForeignKey(
        "content.GuidelinePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("guideline audited"),
    )
    guideline_revision = models.ForeignKey(
        Revision, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    guideline_version_at = models.DateTimeField(_("date of the guideline version"), null=True, blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit round")
        verbose_name_plural = _("audit rounds")
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="auditround_period_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["kit", "period_start", "period_end"], name="auditround_kit_period")]

    def __str__(self):
        return f"{self.kit_title} · {self.cluster}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def indicator(self, indicator_id: str) -> dict | None:
        return next((i for i in self.indicators if i["id"] == indicator_id), None)


class PracticeRegistration(models.Model):
    """One practice's results in a round; its own GPs and secretaries register and see them."""

    audit_round = models.ForeignKey(
        AuditRound, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("audit round")
    )
    practice = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="audit_registrations", verbose_name=_("practice")
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("practice registration")
        verbose_name_plural = _("practice registrations")
        constraints = [
            models.UniqueConstraint(fields=["audit_round", "practice"], name="one_registration_per_practice")
        ]

    def __str__(self):
        return f"{self.audit_round} · {self.practice}"


class IndicatorResult(models.Model):
    """A practice's numbers for one indicator: numerator of denominator, or a count (numerator)."""

    registration = models.ForeignKey(
        PracticeRegistration, on_delete=models.CASCADE, related_name="results", verbose_name=_("registration")
    )
    # The indicator's block id in the kit (copied into the round's ``indicators``).
    indicator_id = models.CharField(_("indicator"), max_length=64)
    measure = models.CharField(
        _("measure"), max_length=12, choices=[(PROPORTION, PROPORTION), (COUNT, COUNT)], default=PROPORTION
    )
    numerator = models.PositiveIntegerField(_("numerator"))
    denominator = models.PositiveIntegerField(_("denominator"), null=True, blank=True)

    class Meta:
        verbose_name = _("indicator result")
        verbose_name_plural = _("indicator results")
        constraints = [
            models.UniqueConstraint(fields=["registration", "indicator_id"], name="one_result_per_indicator"),
            models.CheckConstraint(
                condition=(Q(measure=COUNT) & Q(denominator__isnull=True))
                | (Q(measure=PROPORTION) & Q(denominator__isnull=False) & Q(numerator__lte=F("denominator"))),
                name="indicator_result_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.indicator_id}: {self.numerator}/{self.denominator}"
