"""Administrators keep the outreach directory and its geography (Wagtail snippets).

Orders are never in the admin: they may hold patient data and are read only through the
order views, which check the rules and log the access.
https://docs.wagtail.org/en/stable/topics/snippets/registering.html
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Municipality, OrganisationPostcode, OutreachService, Postcode


class OutreachServiceViewSet(SnippetViewSet):
    model = OutreachService
    icon = "site"
    list_display = ["name", "kind", "owner", "phone", "order_form", "active"]
    list_filter = ["kind", "active", "order_form"]
    search_fields = ["name"]
    panels = [
        FieldPanel("kind"),
        FieldPanel("name"),
        FieldPanel("owner"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("orderable_by_gp"),
                FieldPanel("orderable_by_hospital"),
                FieldPanel("orderable_by_home_care"),
                FieldPanel("orderable_by_citizen"),
            ],
            heading=_("Who may order it"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("phone"),
                FieldPanel("order_form"),
                FieldPanel("response_working_days"),
                FieldPanel("hours"),
            ],
            heading=_("How to order"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("municipalities", widget=forms.CheckboxSelectMultiple),
                FieldPanel("postcodes"),
            ],
            heading=_("Area covered"),
        ),
        FieldPanel("active"),
    ]


class MunicipalityViewSet(SnippetViewSet):
    model = Municipality
    icon = "globe"
    list_display = ["name", "code", "health_council_area"]
    list_filter = ["health_council_area"]
    search_fields = ["name", "code"]
    panels = [FieldPanel("code"), FieldPanel("name"), FieldPanel("health_council_area")]


class PostcodeViewSet(SnippetViewSet):
    model = Postcode
    icon = "pick"
    list_display = ["number", "name", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["number", "name"]
    panels = [FieldPanel("number"), FieldPanel("name"), FieldPanel("municipality")]


class OrganisationPostcodeViewSet(SnippetViewSet):
    model = OrganisationPostcode
    icon = "home"
    list_display = ["organisation", "postcode"]
    panels = [FieldPanel("organisation"), FieldPanel("postcode")]


class OutreachGroup(SnippetViewSetGroup):
    menu_label = _("Outreach services")
    menu_icon = "site"
    menu_order = 320
    items = (OutreachServiceViewSet, MunicipalityViewSet, PostcodeViewSet, OrganisationPostcodeViewSet)


register_snippet(OutreachGroup)
