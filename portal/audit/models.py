"""The access log: who saw or changed which patient's data, when and why.

The Danish health act lets a clinician look a patient up only for current
treatment; this log is the evidence, so it is append-only. Through the ORM a
row can be created but never updated or deleted (the model and its QuerySet
refuse); on PostgreSQL a trigger also refuses UPDATE and DELETE from any
client (migration 0002), except a DELETE inside a transaction that has set
``samspil.audit_purge`` to ``on``, which only ``manage.py purge_access_log``
does. TRUNCATE is not covered by row triggers: the database role the portal
runs as in production should not be granted it.

A patient appears only by the HMAC blind index of their CPR number, never by
the number itself.
"""

from django.apps import apps
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessLogIsAppendOnly(Exception):
    """Raised on any attempt to change or delete an access log entry."""


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AccessLogIsAppendOnly("The access log is append-only: entries cannot be updated.")

    def delete(self):
        raise AccessLogIsAppendOnly("The access log is append-only: use manage.py purge_access_log.")

    def purge(self) -> int:
        """Delete these entries; for ``purge_access_log`` only, which sets the PostgreSQL flag first."""
        deleted, _per_model = super().delete()
        return deleted


blind_index_validator = RegexValidator(
    r"^[0-9a-f]{64}$",
    # Guards against a CPR number being passed where the blind index belongs.
    _("A patient is logged by the 64-character blind index of the CPR number, never by the number."),
)


class AccessLogEntry(models.Model):
    """One read or write of one patient's data by one person (or a system job)."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        CREATE = "create", _("Created")
        CHANGE = "change", _("Changed")
        REVEAL = "reveal", _("Revealed the full CPR number")
        EXPORT = "export", _("Exported")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
        help_text=_("Empty only for system jobs."),
    )
    # Copied at the time of access, so the evidence still names the person
    # after a rename.
    actor_name = models.CharField(_("name"), max_length=301)
    patient_index = models.CharField(
        _("patient (blind index)"), max_length=64, db_index=True, validators=[blind_index_validator]
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type}"

    @property
    def object_type_label(self) -> str:
        """The model's verbose name for people; the stored ``object_type`` stays technical."""
        try:
            return str(apps.get_model(self.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.object_type

    def save(self, *args, **kwargs):
        if not self._state.adding or kwargs.get("force_update"):
            raise AccessLogIsAppendOnly("The access log is append-only: entries cannot be updated.")
        # Never let Django fall back to an UPDATE, e.g. for an entry given an explicit pk.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AccessLogIsAppendOnly("The access log is append-only: use manage.py purge_access_log.")
