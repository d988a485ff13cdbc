from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _


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
