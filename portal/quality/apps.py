from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "portal.quality"
    label = "quality"
    verbose_name = _("Quality clusters")

    def ready(self):
        from . import rules  # noqa: F401 -- registers the permissions
