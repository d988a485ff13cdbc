"""The patient as the portal knows them: an encrypted CPR number and its blind index.

Nothing else about the patient is stored here, not even the birth date that
the first six digits carry: modules that need more keep it themselves and
reach the patient only through ``services`` and ``selectors``, which log every
access (``portal.audit``).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cpr import mask_cpr
from .crypto import decrypt_cpr


class PatientReference(models.Model):
    # A Fernet token; see portal.patients.crypto for the keys and their rotation.
    cpr_encrypted = models.TextField(_("CPR number (encrypted)"))
    # HMAC-SHA256 of the number: how the patient is found again and how the
    # access log names them.
    cpr_index = models.CharField(_("CPR blind index"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("patient reference")
        verbose_name_plural = _("patient references")

    def __str__(self):
        # Never the number, not even masked: str() ends up in logs and error pages.
        return f"PatientReference {self.pk}"

    @property
    def masked_cpr(self) -> str:
        """DDMMYY-XXXX, computed from the decrypted number (nothing else is stored)."""
        return mask_cpr(decrypt_cpr(self.cpr_encrypted))
