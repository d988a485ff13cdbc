"""Administrators name the coordinators' regions and the hospitals' locations (Wagtail snippets).

Offers, needs and stays are never in the admin: each side keeps its own through the portal's
pages, which check the rules. https://docs.wagtail.org/en/stable/topics/snippets/registering.html
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import RegionCoordinator, SiteLocation


class RegionCoordinatorViewSet(SnippetViewSet):
    model = RegionCoordinator
    icon = "user"
    list_display = ["user", "region"]
    list_filter = ["region"]
    panels = [FieldPanel("user"), FieldPanel("region")]


class SiteLocationViewSet(SnippetViewSet):
    model = SiteLocation
    icon = "site"
    list_display = ["organisation", "latitude", "longitude"]
    panels = [FieldPanel("organisation"), FieldPanel("latitude"), FieldPanel("longitude")]


class StaysGroup(SnippetViewSetGroup):
    menu_label = _("Focused stays")
    menu_icon = "date"
    menu_order = 310
    items = (RegionCoordinatorViewSet, SiteLocationViewSet)


register_snippet(StaysGroup)
