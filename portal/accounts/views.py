"""Two-factor enrolment and verification.

https://django-otp-official.readthedocs.io/ — we use its TOTP and static (recovery
code) devices and its ``login`` to mark the session as verified.
"""

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from .forms import PasswordAgainForm, TokenAndPasswordForm, TokenForm
from .two_factor import (
    has_confirmed_device,
    recovery_codes_issue,
    totp_device_confirm,
    totp_device_pending,
    verify_token,
)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@never_cache
@login_required
def two_factor_enrol(request):
    adding = has_confirmed_device(request.user)
    if adding and not request.user.is_verified():
        return redirect("two_factor_verify")
    device = totp_device_pending(request.user)
    # A second authenticator (and the new recovery codes that come with it) needs the
    # password again: an unattended, verified session must not be able to add one.
    if adding:
        form = TokenAndPasswordForm(request.POST or None, request=request)
    else:
        form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token("".join(c for c in form.cleaned_data["token"] if c.isdigit())):
            codes = totp_device_confirm(device=device)
            otp_login(request, device)
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
            )
        form.add_error("token", _("The code is not right. Check the time on your phone and try again."))
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            # The QR code is our own SVG markup, generated from the device's URI.
            "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _next_url(request),
            "adding": adding,
        },
    )


@never_cache
@login_required
def two_factor_recovery_codes(request):
    """Ten new recovery codes (the old ones stop working), after the password once more."""
    if not has_confirmed_device(request.user):
        return redirect("two_factor_enrol")
    if not request.user.is_verified():
        return redirect(f"{reverse('two_factor_verify')}?next={request.path}")
    form = PasswordAgainForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        codes = recovery_codes_issue(user=request.user)
        return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": "/"})
    return render(request, "accounts/recovery_codes_new.html", {"form": form})


@never_cache
@login_required
def two_factor_verify(request):
    if not has_confirmed_device(request.user):
        return redirect("two_factor_enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = verify_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            if device.persistent_id.startswith("otp_static"):
                messages.warning(request, _("You used a recovery code. Each code works only once."))
            return redirect(_next_url(request))
        form.add_error("token", _("The code is not right. Try again, or use a recovery code."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})
