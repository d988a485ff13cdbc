"""Administrators set reply deadlines and the person told about overdue replies, and see the
MedCom messages the portal could not deliver.

Threads themselves are never shown in the admin: they hold patient data and are read
only through the correspondence views, which check the rules and log the access. The list of
undelivered messages shows who sent them to whom and why, never the patient.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from .models import DeadLetter, InboxSettings, SpecialtyDeadline
from .notifications import NO_RECIPIENT_ADMIN_URL
from .selectors import departments_without_recipient


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


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Dead letters are made by the import, never added or edited by hand (deleting one is allowed)."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "copy"):
            return False
        return super().user_has_permission(user, action)


register_permission_policy(DeadLetter, ReadOnlyPermissionPolicy(DeadLetter))

RETRY_PERMISSION = "correspondence.change_deadletter"
DEAD_LETTER_URLS = "wagtailsnippets_correspondence_deadletter"


class DeadLetterIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if instance.status == DeadLetter.Status.WAITING and self.request.user.has_perm(RETRY_PERMISSION):
            buttons.insert(
                0,
                ListingButton(
                    _("Retry delivery"),
                    url=reverse(f"{DEAD_LETTER_URLS}:retry", args=[instance.pk]),
                    icon_name="resubmit",
                    priority=5,
                ),
            )
        return buttons


@require_http_methods(["GET", "POST"])
def dead_letter_retry_view(request, pk):
    """GET asks, POST tries to deliver again (the organisation may have been set up since)."""
    from .medcom.importing import DEAD_LETTERED, dead_letter_retry

    if not request.user.has_perm(RETRY_PERMISSION):
        raise PermissionDenied
    dead_letter = get_object_or_404(DeadLetter, pk=pk, status=DeadLetter.Status.WAITING)
    index_url = reverse(f"{DEAD_LETTER_URLS}:list")
    if request.method == "GET":
        return TemplateResponse(
            request,
            "correspondence/admin/dead_letter_retry.html",
            {"dead_letter": dead_letter, "index_url": index_url},
        )
    outcome = dead_letter_retry(dead_letter=dead_letter, actor=request.user)
    if outcome.delivered:
        messages.success(request, _("The message was delivered."))
    elif outcome.status == DEAD_LETTERED:
        messages.warning(
            request, _("The message still cannot be delivered: %(reason)s") % {"reason": outcome.reason}
        )
    else:
        messages.error(request, _("The message was refused: %(reason)s") % {"reason": outcome.reason})
    return redirect(index_url)


class DeadLetterViewSet(SnippetViewSet):
    model = DeadLetter
    icon = "warning"
    index_view_class = DeadLetterIndexView
    list_display = [
        "received_at",
        "status",
        "reason",
        "sender_name",
        "sender_sor",
        "receiver_name",
        "receiver_sor",
        "attempts",
    ]
    list_filter = ["status"]
    search_fields = ["sender_name", "sender_sor", "receiver_name", "receiver_sor", "header_id"]
    inspect_view_enabled = True
    # Never the bundle: it carries the patient's CPR number.
    inspect_view_fields = [
        "received_at",
        "status",
        "reason",
        "header_id",
        "sender_name",
        "sender_sor",
        "receiver_name",
        "receiver_sor",
        "attempts",
        "last_attempt_at",
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("retry/<int:pk>/", dead_letter_retry_view, name="retry"),
        ]


INBOX_SETTINGS_PERMISSION = "correspondence.change_inboxsettings"


def no_recipient_view(request):
    """The departments that name nobody to receive new threads: the administrators' to-do list,
    announced by e-mail when such a department receives a thread (notifications)."""
    if not request.user.has_perm(INBOX_SETTINGS_PERMISSION):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "correspondence/admin/no_recipient.html",
        {
            "departments": departments_without_recipient(),
            "settings_url": "wagtailsnippets_correspondence_inboxsettings",
        },
    )


class NoRecipientMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(INBOX_SETTINGS_PERMISSION)


class NoRecipientViewSet(ViewSet):
    name = NO_RECIPIENT_ADMIN_URL.split(":")[0]
    icon = "warning"
    menu_label = _("Departments without a recipient")
    menu_item_class = NoRecipientMenuItem

    def get_urlpatterns(self):
        return [path("", no_recipient_view, name="index")]


class CorrespondenceGroup(SnippetViewSetGroup):
    menu_label = _("Correspondence")
    menu_icon = "mail"
    menu_order = 310
    items = (InboxSettingsViewSet, SpecialtyDeadlineViewSet, NoRecipientViewSet, DeadLetterViewSet)


register_snippet(CorrespondenceGroup)
