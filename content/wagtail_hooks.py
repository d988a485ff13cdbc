"""Admin integration of the knowledge base: vocabularies and the review report.

Specialties are registered by ``portal.accounts`` (they belong to
organisations too); sectors and topics are the editors' own vocabularies.
"""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Sector, Topic
from .reports import PagesDueForReviewView


class SectorViewSet(SnippetViewSet):
    model = Sector
    icon = "site"


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


class VocabularyGroup(SnippetViewSetGroup):
    menu_label = _("Vocabularies")
    menu_icon = "tag"
    menu_order = 290
    items = (SectorViewSet, TopicViewSet)


register_snippet(VocabularyGroup)


@hooks.register("register_reports_menu_item")
def register_review_report_menu_item():
    return MenuItem(_("Pages due for review"), reverse("pages_due_for_review"), icon_name="time", order=150)


@hooks.register("register_admin_urls")
def register_review_report_url():
    return [
        path("reports/due-for-review/", PagesDueForReviewView.as_view(), name="pages_due_for_review"),
        path(
            "reports/due-for-review/results/",
            PagesDueForReviewView.as_view(results_only=True),
            name="pages_due_for_review_results",
        ),
    ]


@hooks.register("insert_editor_js")
def editor_field_labels_js():
    """Accessible names for the editor's widgets that Wagtail leaves unlabelled (the tag box)."""
    return format_html('<script src="{}"></script>', static("content/admin-field-labels.js"))
