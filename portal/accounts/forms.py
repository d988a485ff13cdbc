import re

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

PHONE = re.compile(r"\+?[0-9][0-9 ]{5,28}")


class PasswordAgainMixin(forms.Form):
    """The password once more, before a change that lets someone else in (a new factor, new codes).

    Checked through ``authenticate`` so that wrong guesses count towards the lockout
    (django-axes) just as on the login page: a session left open is not enough.
    """

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        checked = authenticate(self.request, username=user.get_username(), password=password)
        if checked is None or checked.pk != user.pk:
            raise forms.ValidationError(_("The password is not right."), code="wrong_password")
        return password


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("The six digits from your authenticator app, or a recovery code."),
    )


class TokenAndPasswordForm(PasswordAgainMixin, TokenForm):
    """Adding another authenticator to an account that has one already."""


class PasswordAgainForm(PasswordAgainMixin):
    """New recovery codes: the old ones stop working."""


class LoginForm(AuthenticationForm):
    """E-mail and password, in Danish. The e-mail field keeps Django's name "username",
    which django-axes (lockout) and the login rate limit read."""

    error_messages = {
        "invalid_login": _("The e-mail address or the password is not right. Both are case-sensitive."),
        "inactive": _("This account is closed. Contact your administrator."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = pgettext_lazy("login form", "E-mail address")
        # Django sets max_length on this field after building it, so it adds no validator:
        # a longer "e-mail" would reach authenticate() (and the lockout's 255-character column).
        self.fields["username"].max_length = 254
        self.fields["username"].validators.append(MaxLengthValidator(254))
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "autofocus": True})
        self.fields["password"].label = pgettext_lazy("login form", "Password")


class ProfileForm(forms.Form):
    """What the user keeps up to date herself: it signs her messages and notes."""

    first_name = forms.CharField(label=pgettext_lazy("account", "First name"), max_length=150)
    last_name = forms.CharField(label=pgettext_lazy("account", "Last name"), max_length=150)
    title = forms.CharField(
        label=_("Job title"),
        max_length=150,
        required=False,
        help_text=_("Shown under your name in messages, e.g. “Overlæge, ph.d.”."),
    )
    phone = forms.CharField(
        label=_("Direct phone"),
        max_length=30,
        required=False,
        help_text=_("For colleagues who need to call you back, e.g. in a conference."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.fullmatch(phone):
            raise forms.ValidationError(
                _("Write the phone number with digits, spaces and an optional +, e.g. +45 78 45 00 00."),
                code="phone",
            )
        return phone


class NotificationSettingsForm(forms.Form):
    informational_emails = forms.BooleanField(
        required=False,
        label=_("Also e-mail me what happened: a thread closed, a conference note written, minutes out"),
    )
