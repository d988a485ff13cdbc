from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "portal.feedback"
    label = "feedback"
    verbose_name = _("Feedback on knowledge pages")

    def ready(self):
        from . import rules  # noqa: F401 -- registers the permissions
