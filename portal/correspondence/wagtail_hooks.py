"""Administrators set reply deadlines and the person told about overdue replies.

Threads themselves are never shown in the admin: they hold patient data and are read
only through the correspondence views, which check the rules and log the access.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import InboxSettings, SpecialtyDeadline


class InboxSettingsViewSet(SnippetViewSet):
    model = InboxSettings
    icon = "mail"
    list_display = ["organisation", "responsible", "reply_working_days", "shared_with_members"]
    search_fields = ["organisation__name"]
    panels = [
        FieldPanel("organisation"),
        FieldPanel("responsible"),
        FieldPanel("reply_working_days"),
        FieldPanel("shared_with_members"),
    ]


class SpecialtyDeadlineViewSet(SnippetViewSet):
    model = SpecialtyDeadline
    icon = "time"
    list_display = ["specialty", "reply_working_days"]


class CorrespondenceGroup(SnippetViewSetGroup):
    menu_label = _("Correspondence")
    menu_icon = "mail"
    menu_order = 310
    items = (InboxSettingsViewSet, SpecialtyDeadlineViewSet)


register_snippet(CorrespondenceGroup)
