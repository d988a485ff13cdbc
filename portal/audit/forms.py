"""Forms of the administrator's access log view.

The CPR number is typed into a POST form and never written back into a page:
the input widget renders no value, and the export form carries only the blind
index.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.patients.cpr import normalise_cpr

from .models import blind_index_validator


class NoEchoTextInput(forms.TextInput):
    """A text input that never renders the submitted value back into the HTML."""

    def format_value(self, value):
        return None


class AccessLogLookupForm(forms.Form):
    cpr = forms.CharField(
        label=_("CPR number"),
        max_length=20,
        help_text=_("Ten digits, with or without a hyphen. The number is not shown again or kept."),
        widget=NoEchoTextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}),
    )

    def clean_cpr(self) -> str:
        # Format only: an administrator may need the log of a number whose
        # patient reference was never created or has been removed.
        return normalise_cpr(self.cleaned_data["cpr"])


class AccessLogExportForm(forms.Form):
    patient_index = forms.CharField(
        max_length=64, validators=[blind_index_validator], widget=forms.HiddenInput
    )
