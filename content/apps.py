from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Knowledge")

    def ready(self):
        from . import freshness, navigation
        from .baking import signals as baking_signals

        navigation.connect()
        freshness.connect()
        baking_signals.connect()
