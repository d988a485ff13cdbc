from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    # Browsers and crawlers ask for /favicon.ico whatever the page says.
    path("favicon.ico", core_views.favicon),
    path("admin/", include(wagtailadmin_urls)),
    path("dokumenter/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("search.urls")),
    path("", include("portal.accounts.urls")),
    path("overblik/", include("portal.overview.urls")),
    path("korrespondance/", include("portal.correspondence.urls")),
    path("konferencer/", include("portal.conferences.urls")),
    path("tider/", include("portal.bookings.urls")),
    path("henvisninger/", include("portal.referrals.urls")),
    path("fokuserede-ophold/", include("portal.stays.urls")),
    path("tilbagemeldinger/", include("portal.feedback.urls")),
    path("tilmeldinger/", include("portal.events.urls")),
    path("stoette/", include("portal.support.urls")),
    path("udgaaende-funktioner/", include("portal.outreach.urls")),
    path("kvalitet/auditrunder/", include("portal.auditrounds.urls")),
    path("kvalitet/", include("portal.quality.urls")),
]

if settings.OIDC_ENABLED:
    urlpatterns += [path("oidc/", include("mozilla_django_oidc.urls"))]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving is the catch-all, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]

handler400 = "portal.core.views.bad_request"
handler403 = "portal.core.views.permission_denied"
handler404 = "portal.core.views.page_not_found"
handler500 = "portal.core.views.server_error"
