"""The portal's own login and logout: Danish, Det Fælles Designsystem, the dashboard after.

Django's LoginView does the work (session rotation, safe ``next``); django-axes counts the
wrong passwords through the authentication backend, and the rate limit in
portal.core.ratelimit covers this page as it covers the Wagtail admin's login.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def dispatch(self, request, *args, **kwargs):
        # The Wagtail admin sends everyone it refuses here (WAGTAILADMIN_LOGIN_URL), logged-in
        # clinicians too: they go to their overview with a word, not round in a loop.
        user = request.user
        if (
            user.is_authenticated
            and self.get_success_url().startswith("/admin/")
            and not user.has_perm("wagtailadmin.access_admin")
        ):
            messages.info(request, _("Only editors and administrators use the editorial admin."))
            return redirect(settings.LOGIN_REDIRECT_URL)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["session_expired"] = self.request.GET.get("udloebet") == "1"
        context["oidc_enabled"] = settings.OIDC_ENABLED
        return context

    def form_invalid(self, form):
        # A refused login is a client error; the page says why in Danish.
        response = super().form_invalid(form)
        response.status_code = 400
        return response


@require_POST
def logout_view(request):
    response = auth_views.LogoutView.as_view(next_page="/")(request)
    messages.success(request, _("You are logged out."))
    return response
