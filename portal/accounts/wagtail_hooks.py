"""Organisations and memberships are managed by administrators in the Wagtail admin.

https://docs.wagtail.org/en/stable/topics/snippets/registering.html
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import HealthCouncilArea, Membership, Organisation, Region, Specialty


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    list_display = ["name", "kind", "health_council_area", "specialty", "yder_number", "sor_code"]
    list_filter = ["kind", "health_council_area"]
    search_fields = ["name", "yder_number", "sor_code"]
    panels = [
        FieldPanel("kind"),
        FieldPanel("name"),
        FieldPanel("parent"),
        FieldPanel("health_council_area"),
        FieldPanel("specialty"),
        FieldPanel("yder_number"),
        FieldPanel("sor_code"),
        FieldPanel("phone"),
    ]


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "user"
    list_display = ["user", "role", "organisation", "is_conference_specialist"]
    list_filter = ["role", "is_conference_specialist"]


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"


class HealthCouncilAreaViewSet(SnippetViewSet):
    model = HealthCouncilArea
    icon = "site"
    list_display = ["name", "region"]


class SpecialtyViewSet(SnippetViewSet):
    model = Specialty
    icon = "tag"
    list_display = ["name", "group", "focused_stay"]
    list_filter = ["focused_stay"]
    search_fields = ["name"]


class OrganisationsGroup(SnippetViewSetGroup):
    menu_label = _("Organisations")
    menu_icon = "group"
    menu_order = 300
    items = (
        OrganisationViewSet,
        MembershipViewSet,
        RegionViewSet,
        HealthCouncilAreaViewSet,
        SpecialtyViewSet,
    )


register_snippet(OrganisationsGroup)
