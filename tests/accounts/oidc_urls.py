"""The project's URLs with the OIDC routes mounted, as they are when OIDC_RP_CLIENT_ID is set."""

from django.urls import include, path

from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [path("oidc/", include("mozilla_django_oidc.urls")), *portal_urlpatterns]
