"""The editors' report of feedback past its deadline, in the admin's Reports menu."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .reports import OverdueFeedbackView
from .selectors import is_editor


class EditorsOnlyMenuItem(MenuItem):
    def is_shown(self, request):
        return is_editor(request.user)


@hooks.register("register_reports_menu_item")
def register_overdue_feedback_menu_item():
    return EditorsOnlyMenuItem(
        _("Feedback past its deadline"), reverse("feedback_overdue"), icon_name="warning", order=160
    )


@hooks.register("register_admin_urls")
def register_overdue_feedback_url():
    return [
        path("reports/feedback-overdue/", OverdueFeedbackView.as_view(), name="feedback_overdue"),
        path(
            "reports/feedback-overdue/results/",
            OverdueFeedbackView.as_view(results_only=True),
            name="feedback_overdue_results",
        ),
    ]
