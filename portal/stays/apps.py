from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaysConfig(AppConfig):
    name = "portal.stays"
    label = "stays"
    verbose_name = _("Focused stays")

    def ready(self):
        from . import report_cache

        report_cache.connect()
