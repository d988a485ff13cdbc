"""Administrators keep the clusters and their practices (a Wagtail snippet).

https://docs.wagtail.org/en/stable/topics/snippets/registering.html
"""

from django import forms
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import QualityCluster


class QualityClusterViewSet(SnippetViewSet):
    model = QualityCluster
    icon = "group"
    list_display = ["name", "health_council_area"]
    list_filter = ["health_council_area"]
    search_fields = ["name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("health_council_area"),
        FieldPanel("practices", widget=forms.CheckboxSelectMultiple),
    ]


register_snippet(QualityClusterViewSet)
