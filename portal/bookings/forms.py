"""Forms of the booking pages. Bounds here mirror the services', so a hostile number or an
oversized string is a Danish error on the field, not a database error."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organisation

from .models import NAME_MAX_LENGTH, REASON_MAX_LENGTH, SLOT_MAX_CAPACITY, SLOT_MAX_MINUTES, Resource
from .services import SLOT_MIN_MINUTES

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def _datetime_field(label):
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=DATETIME_FORMATS,
    )


def _capacity_field():
    return forms.IntegerField(
        label=_("Places"),
        initial=1,
        min_value=1,
        max_value=SLOT_MAX_CAPACITY,
        help_text=_("How many can book the time; 1 for an ordinary appointment."),
    )


class ResourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Resource.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX_LENGTH)
    location = forms.CharField(label=_("Where (optional)"), max_length=NAME_MAX_LENGTH, required=False)


class SlotForm(forms.Form):
    starts_at = _datetime_field(_("Starts"))
    ends_at = _datetime_field(_("Ends"))
    capacity = _capacity_field()

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The slot must end after it starts."))
        return data


class SeriesForm(forms.Form):
    first_day = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    day_start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    day_end = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}))
    slot_minutes = forms.IntegerField(
        label=_("Length of each time in minutes"),
        initial=30,
        min_value=SLOT_MIN_MINUTES,
        max_value=SLOT_MAX_MINUTES,
    )
    capacity = _capacity_field()

    def clean(self):
        data = super().clean()
        if data.get("first_day") and data.get("last_day") and data["last_day"] < data["first_day"]:
            self.add_error("last_day", _("The last day must not be before the first."))
        if data.get("day_start") and data.get("day_end") and data["day_end"] <= data["day_start"]:
            self.add_error("day_end", _("The day must end after it starts."))
        return data


class HoldForm(forms.Form):
    """Which of the user's organisations the time is booked for."""

    organisation = forms.ModelChoiceField(
        label=_("Book for"), queryset=Organisation.objects.none(), empty_label=None
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        ).select_related("parent")
        self.fields["organisation"].error_messages["invalid_choice"] = _(
            "Choose one of your own organisations."
        )
        if organisations:
            self.initial.setdefault("organisation", organisations[0].pk)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the cancellation"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The other party sees it. No patient data."),
        error_messages={"required": _("Give a reason for the cancellation.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Give a reason for the cancellation."))
        return reason
