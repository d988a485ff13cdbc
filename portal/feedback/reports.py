"""Admin report: feedback on knowledge pages past its answer deadline (the editors' report).

Wagtail's report view, so it has the admin's listing, paging and the CSV/XLSX export. Who it
was sent to and when, never the feedback's words: those are for the sender and the answerer.
"""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.reports import ReportView

from portal.core.deadlines import working_days_between

from .selectors import feedback_overdue, is_editor


class OverdueFeedbackView(ReportView):
    page_title = _("Feedback past its deadline")
    header_icon = "warning"
    index_url_name = "feedback_overdue"
    index_results_url_name = "feedback_overdue_results"
    results_template_name = "feedback/reports/overdue_results.html"
    list_export = [
        "page_title",
        "variant_label",
        "owner_display",
        "sent_at",
        "due_at",
        "working_days_overdue",
    ]
    export_headings = {
        "page_title": _("Page"),
        "variant_label": _("About"),
        "owner_display": _("To"),
        "sent_at": _("Sent"),
        "due_at": _("Answer due"),
        "working_days_overdue": _("Working days overdue"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not is_editor(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return feedback_overdue()

    def get_filename(self):
        return f"tilbagemeldinger-over-frist-{timezone.localdate():%Y-%m-%d}"

    def decorate_paginated_queryset(self, object_list):
        now = timezone.now()
        for feedback in object_list:
            feedback.owner_display = (
                feedback.owner.get_full_name() if feedback.owner else str(_("The editors"))
            )
            feedback.variant_label = feedback.get_variant_display()
            feedback.working_days_overdue = working_days_between(feedback.due_at, now)
        return object_list

    def to_row_dict(self, item):
        # The export reads every row, not only one page of the listing.
        if not hasattr(item, "working_days_overdue"):
            self.decorate_paginated_queryset([item])
        return super().to_row_dict(item)
