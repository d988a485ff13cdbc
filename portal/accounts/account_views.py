"""Min konto: who I am in Samspil, my second factor, what I am told by e-mail."""

from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.core.view_errors import service_call

from . import services
from .forms import NotificationSettingsForm, ProfileForm
from .middleware import TWO_FACTOR_BACKENDS
from .selectors import memberships_for_user
from .two_factor import has_confirmed_device, two_factor_required


@never_cache
@login_required
def account(request):
    user = request.user
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "title": user.title,
        "phone": user.phone,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with service_call(form) as call:
                services.profile_update(user=user, **form.cleaned_data)
            if call.ok:
                messages.success(request, _("Your details are saved."))
                return redirect("account")
        status = 400
    memberships = memberships_for_user(user)
    context = {
        "form": form,
        "notification_form": NotificationSettingsForm(
            initial={"informational_emails": user.informational_emails}
        ),
        "memberships": memberships,
        "has_device": has_confirmed_device(user),
        "two_factor_required": two_factor_required(user),
        # A MitID Erhverv login is two-factor already; its users have no authenticator here.
        "sso_login": request.session.get(BACKEND_SESSION_KEY) in TWO_FACTOR_BACKENDS,
    }
    return render(request, "accounts/account.html", context, status=status)


@never_cache
@login_required
@require_POST
def notification_settings(request):
    """A checkbox: an unticked box is simply absent from the post, so any post is valid."""
    form = NotificationSettingsForm(request.POST)
    form.is_valid()
    services.notification_settings_update(
        user=request.user, informational_emails=bool(form.cleaned_data.get("informational_emails"))
    )
    messages.success(request, _("Your notification settings are saved."))
    return redirect("account")


def login_status(request):
    """The header's login state for a baked page, which every visitor gets in its anonymous form.

    Never cached anywhere (``private, no-store``): the answer is this visitor's. Also the CSRF
    token for the baked page's forms (the language switch), whose token the bake left empty.
    A user who has not finished the second factor is sent to it by the middleware, and her
    baked pages keep the anonymous header.
    """
    data = {"authenticated": False, "csrf_token": get_token(request)}
    if request.user.is_authenticated:
        data.update(
            authenticated=True,
            name=request.user.get_full_name(),
            header_html=render_to_string("includes/_portal_user.html", request=request),
            drawer_html=render_to_string("includes/_portal_user_mobile.html", request=request),
        )
    response = JsonResponse(data)
    response["Cache-Control"] = "private, no-store"
    return response
