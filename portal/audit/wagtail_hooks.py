"""The access log in the Wagtail admin: Reports → "Access log per patient", for superusers only.

https://docs.wagtail.org/en/stable/reference/hooks.html#register-admin-urls
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import AccessLogExportView, AccessLogView


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_reports_menu_item")
def register_access_log_menu_item():
    return SuperuserMenuItem(
        _("Access log per patient"), reverse("audit_access_log"), icon_name="list-ul", order=900
    )


@hooks.register("register_admin_urls")
def register_access_log_urls():
    return [
        # Under /admin/adgangslog/, one of settings.PATIENT_AREA_PREFIXES (the short idle timeout).
        path("adgangslog/", AccessLogView.as_view(), name="audit_access_log"),
        path("adgangslog/eksport/", AccessLogExportView.as_view(), name="audit_access_log_export"),
    ]
