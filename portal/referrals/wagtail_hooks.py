"""Editors keep the symptom packages; administrators keep the visitation numbers (Wagtail snippets).

Referrals themselves are never in the admin: they hold patient data and are read only
through the referral views, which check the rules and log the access.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import AreaVisitation, InvestigationType, SymptomPackage


class SymptomPackageViewSet(SnippetViewSet):
    model = SymptomPackage
    icon = "list-ul"
    list_display = ["name", "clinic", "active"]
    search_fields = ["name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("clinic"),
        FieldPanel("description"),
        FieldPanel("checklist"),
        FieldPanel("active"),
    ]


class AreaVisitationViewSet(SnippetViewSet):
    model = AreaVisitation
    icon = "mobile-alt"
    list_display = ["health_council_area", "acute_admission_phone", "subacute_outpatient_phone"]
    panels = [
        FieldPanel("health_council_area"),
        FieldPanel("acute_admission_phone"),
        FieldPanel("subacute_admission_phone"),
        FieldPanel("subacute_outpatient_phone"),
        FieldPanel("psychiatry_acute_phone"),
        FieldPanel("psychiatry_subacute_phone"),
        FieldPanel("opening_hours"),
        FieldPanel("central_visitation"),
    ]


class InvestigationTypeViewSet(SnippetViewSet):
    """The catalogue of investigations GPs order directly (ordering diagnostics)."""

    model = InvestigationType
    icon = "clipboard-list"
    list_display = ["name", "department", "drop_in", "active"]
    search_fields = ["name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("department"),
        FieldPanel("preparation"),
        FieldPanel("drop_in"),
        FieldPanel("resource"),
        FieldPanel("drop_in_hours"),
        FieldPanel("active"),
    ]


class ReferralsViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Referrals")
    menu_icon = "doc-full"
    items = (SymptomPackageViewSet, AreaVisitationViewSet, InvestigationTypeViewSet)


register_snippet(ReferralsViewSetGroup)
