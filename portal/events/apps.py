from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "portal.events"
    label = "events"
    verbose_name = _("Meetings")

    def ready(self):
        from . import rules  # noqa: F401 -- registers the permissions
