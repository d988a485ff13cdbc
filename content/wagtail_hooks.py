"""Admin integration of the knowledge base: vocabularies and the review report.

Specialties are registered by ``portal.accounts`` (they belong to
organisations too); sectors and topics are the editors' own vocabularies.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Sector, Topic
from .models.moderation import needs_second_person
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


# -- The two-person rule: no direct publishing where a second editor must approve ----------------


def _submit_instead_of_publishing(request):
    """Turn a "Publish" post into "Submit for moderation": the editor's changes are saved and go to
    a colleague, nothing typed is lost, and the rule holds. Where the page already awaits
    approval, Wagtail saves the draft into the running workflow."""
    post = request.POST.copy()
    post.pop("action-publish", None)
    post["action-submit"] = "1"
    request.POST = post
    messages.info(
        request,
        _("Published once another editor approves: your changes are saved and sent for approval."),
    )


@hooks.register("construct_page_action_menu")
def hide_publish_where_a_second_editor_approves(menu_items, request, context):
    page = context.get("page")
    if page is None or page.pk is None:  # a page being created: its parent's workflow applies
        page = context.get("parent_page")
    if needs_second_person(page):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("before_edit_page")
def submit_instead_of_publishing_on_edit(request, page):
    # Also the "revert to this revision" form, which posts to a subclass of the edit view.
    if request.method == "POST" and request.POST.get("action-publish") and needs_second_person(page):
        _submit_instead_of_publishing(request)


@hooks.register("before_create_page")
def submit_instead_of_publishing_on_create(request, parent_page, page_class):
    if request.method == "POST" and request.POST.get("action-publish") and needs_second_person(parent_page):
        _submit_instead_of_publishing(request)


@hooks.register("before_bulk_action")
def refuse_bulk_publish(request, action_type, objects, action_class_instance):
    if action_type == "publish" and any(needs_second_person(page) for page in objects):
        messages.error(
            request,
            _("Pages that another editor approves cannot be published in bulk: submit each for moderation."),
        )
        return redirect(request.GET.get("next") or reverse("wagtailadmin_explore_root"))
    return None
