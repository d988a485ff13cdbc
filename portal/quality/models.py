"""Quality clusters (kvalitetsklynger): general practices in an area that improve together.

A cluster is the unit the shared quality loop reports to (issue 15): its members see the
cluster's figures, aggregated, beside their health council area's, and run audit rounds
together. Membership is by practice, not by person: a GP belongs to the clusters of the
practices she works in, so leaving a practice leaves its clusters too.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import HealthCouncilArea, Organisation


class QualityCluster(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    health_council_area = models.ForeignKey(
        HealthCouncilArea,
        on_delete=models.PROTECT,
        related_name="quality_clusters",
        verbose_name=_("health council area"),
    )
    practices = models.ManyToManyField(
        Organisation,
        related_name="quality_clusters",
        limit_choices_to={"kind": Organisation.Kind.GENERAL_PRACTICE},
        blank=True,
        verbose_name=_("practices"),
    )

    class Meta:
        verbose_name = _("quality cluster")
        verbose_name_plural = _("quality clusters")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.pk and self.practices.exclude(kind=Organisation.Kind.GENERAL_PRACTICE).exists():
            raise ValidationError({"practices": _("Only general practices can be members of a cluster.")})
