from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The search index. Built out by the search issue; the app exists so that
    its migrations and documents have their home from the start."""

    name = "search"
    verbose_name = _("Search")
