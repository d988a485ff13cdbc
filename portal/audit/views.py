"""The administrator's view of one patient's access log, like sundhed.dk's "min log".

Only superusers see it; everyone else gets 404, so the page does not even
reveal that it exists. The CPR number travels only in a POST body, never in a
URL, and is turned into the blind index at once. Looking at a patient's log
is itself logged: who looked at whom is patient data too.

The view borrows the CPR format check and the blind-index function from
``portal.patients`` (pure functions, no models), because the log knows a
patient only by that index.
"""

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.patients.cpr import mask_cpr
from portal.patients.crypto import blind_index

from . import selectors, services
from .forms import AccessLogExportForm, AccessLogLookupForm


class AccessLogReaderMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("audit.view_accesslogentry"):
            raise Http404
        response = super().dispatch(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response


class AccessLogView(AccessLogReaderMixin, WagtailAdminTemplateMixin, View):
    page_title = _("Access log per patient")
    header_icon = "list-ul"
    template_name = "audit/access_log_for_patient.html"
    http_method_names = ["get", "post"]

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=AccessLogLookupForm()))

    # Error reports (the debug page, mails to admins) show "cpr" as stars.
    @method_decorator(sensitive_post_parameters("cpr"))
    def post(self, request):
        form = AccessLogLookupForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        cpr = form.cleaned_data["cpr"]
        patient_index = blind_index(cpr)
        services.access_log_record_insight(actor=request.user, patient_index=patient_index, request=request)
        return self.render_to_response(
            self.get_context_data(
                form=AccessLogLookupForm(),
                masked_cpr=mask_cpr(cpr),
                entries=list(selectors.access_log_for_patient(patient_index=patient_index)),
                export_form=AccessLogExportForm(initial={"patient_index": patient_index}),
            )
        )


class AccessLogExportView(AccessLogReaderMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        form = AccessLogExportForm(request.POST)
        if not form.is_valid():
            return HttpResponse(status=400)
        text = services.access_log_export_csv(
            patient_index=form.cleaned_data["patient_index"], actor=request.user, request=request
        )
        # The BOM makes spreadsheet programs read the file as UTF-8 (æ, ø, å).
        response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
        filename = f"adgangslog-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
