from django import forms
from django.utils.translation import gettext_lazy as _

from content.blocks.audit import COUNT

from . import selectors
from .services import MAX_COUNT

NO_PATIENT_DATA = _(
    "Only counts for the whole practice: no names, CPR numbers or other patient data are registered."
)


class RoundStartForm(forms.Form):
    cluster = forms.ModelChoiceField(queryset=None, label=_("Quality cluster"), empty_label=None)
    kit = forms.ModelChoiceField(queryset=None, label=_("Audit kit"))
    period_start = forms.DateField(
        label=_("Period start"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    period_end = forms.DateField(
        label=_("Period end"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = selectors.startable_clusters(user)
        self.fields["kit"].queryset = selectors.kits_to_audit()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return cleaned


def _number(label, help_text=""):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_COUNT,
        help_text=help_text,
        error_messages={
            "required": _("Fill in the number."),
            "invalid": _("Enter a whole number."),
            "min_value": _("The number cannot be negative."),
            "max_value": _("The number cannot be larger than %(limit_value)s."),
        },
    )


class RegistrationForm(forms.Form):
    """One or two numbers per indicator of the round, as the kit defines the indicator."""

    def __init__(self, *args, indicators: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            name = indicator["name"]
            if indicator["measure"] == COUNT:
                self.fields[f"{indicator['id']}-count"] = _number(
                    _("%(name)s: count") % {"name": name}, NO_PATIENT_DATA
                )
            else:
                self.fields[f"{indicator['id']}-numerator"] = _number(
                    _("%(name)s: numerator") % {"name": name},
                    _("How many of the registered cases met the indicator."),
                )
                self.fields[f"{indicator['id']}-denominator"] = _number(
                    _("%(name)s: denominator") % {"name": name},
                    _("How many cases were registered for the indicator. %(no_patient_data)s")
                    % {"no_patient_data": NO_PATIENT_DATA},
                )

    @staticmethod
    def initial_from(values: dict[str, dict]) -> dict:
        initial = {}
        for indicator_id, value in values.items():
            initial[f"{indicator_id}-count"] = value["numerator"]
            initial[f"{indicator_id}-numerator"] = value["numerator"]
            initial[f"{indicator_id}-denominator"] = value["denominator"]
        return initial

    def clean(self):
        cleaned = super().clean()
        for indicator in self.indicators:
            numerator = cleaned.get(f"{indicator['id']}-numerator")
            denominator = cleaned.get(f"{indicator['id']}-denominator")
            if numerator is not None and denominator is not None and numerator > denominator:
                self.add_error(
                    f"{indicator['id']}-numerator", _("The numerator cannot be larger than the denominator.")
                )
        return cleaned

    def values(self) -> dict[str, tuple]:
        result = {}
        for indicator in self.indicators:
            key = indicator["id"]
            if indicator["measure"] == COUNT:
                result[key] = (self.cleaned_data[f"{key}-count"], None)
            else:
                result[key] = (self.cleaned_data[f"{key}-numerator"], self.cleaned_data[f"{key}-denominator"])
        return result
