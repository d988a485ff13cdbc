from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditRoundsConfig(AppConfig):
    name = "portal.auditrounds"
    label = "auditrounds"
    verbose_name = _("Audit rounds")

    def ready(self):
        from . import rules  # noqa: F401 -- registers the permissions
