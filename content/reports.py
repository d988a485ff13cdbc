"""Admin report: knowledge pages whose next review date has passed.

Built on Wagtail's page report view, so it has the usual filters and the
CSV/XLSX export: https://docs.wagtail.org/en/stable/extending/adding_reports.html
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.reports import PageReportView
from wagtail.models import Page

from content.selectors import pages_past_review


class PagesDueForReviewView(PageReportView):
    page_title = _("Pages due for review")
    header_icon = "time"
    index_url_name = "pages_due_for_review"
    index_results_url_name = "pages_due_for_review_results"
    results_template_name = "content/reports/pages_due_for_review_results.html"
    list_export = PageReportView.list_export + ["next_review", "owners", "days_overdue"]
    export_headings = {
        **PageReportView.export_headings,
        "next_review": _("Next review"),
        "owners": _("Owner"),
        "days_overdue": _("Days overdue"),
    }
    any_permission_required = ["add", "change", "publish"]

    def get_queryset(self):
        # Specific pages, so that each row has its own next_review; the longest overdue first.
        return (
            Page.objects.filter(pk__in=[p.pk for p in pages_past_review()]).select_related("owner").specific()
        )

    def decorate_paginated_queryset(self, object_list):
        today = timezone.localdate()
        for page in object_list:
            page.owners = ", ".join(page.review_owner_names())
            page.days_overdue = page.days_past_review(today)
        return object_list

    def to_row_dict(self, item):
        # The export reads every row, not only one page of the listing.
        if not hasattr(item, "days_overdue"):
            self.decorate_paginated_queryset([item])
        return super().to_row_dict(item)
