"""Forms of the support pages. They check shape and length; the services check the rules (the
chosen time is a practice's acute time within two days, has not passed and is free)."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.dates import weekday_datetime

from .models import PURPOSE_MAX_LENGTH, REASON_MAX_LENGTH, VIDEO_URL_MAX_LENGTH, AcuteSlotNote


class TimeChoiceField(forms.ChoiceField):
    """The free times as radio buttons; whether the posted one is valid is the service's call,
    so that it can say why (passed, taken meanwhile, not an acute time)."""

    def valid_value(self, value) -> bool:
        return True


def acute_slot_label(slot) -> str:
    return f"{slot.resource.organisation}: {weekday_datetime(slot.starts_at)}"


class AcuteSlotNoteForm(forms.Form):
    department = forms.TypedChoiceField(label=_("Acute reception"), coerce=int)
    cpr = forms.CharField(
        label=_("Patient's CPR number"), max_length=11, help_text=_("DDMMYY-XXXX. Never shown in full again.")
    )
    colour = forms.ChoiceField(
        label=_("Discharge note"), choices=AcuteSlotNote.Colour.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Why the patient comes"),
        help_text=_("What the practice should look at; the practice sees this text."),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        strip=False,
    )
    slot = TimeChoiceField(label=_("Acute time at the patient's own practice"), widget=forms.RadioSelect)
    client_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, departments=(), slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = {d.pk: d for d in departments}
        self.fields["department"].choices = [(d.pk, str(d)) for d in departments]
        if len(departments) == 1:
            self.fields["department"].widget = forms.HiddenInput()
            self.initial.setdefault("department", departments[0].pk)
        self.set_slots(slots)
        if not self.is_bound:
            self.initial.setdefault("client_token", uuid.uuid4())

    def set_slots(self, slots) -> None:
        self.fields["slot"].choices = [(str(s.public_id), acute_slot_label(s)) for s in slots]

    def clean_department(self):
        department = self.departments.get(self.cleaned_data["department"])
        if department is None:
            raise forms.ValidationError(_("Choose your department."))
        return department


class VideoConsultationForm(forms.Form):
    department = forms.TypedChoiceField(label=_("Ward"), coerce=int)
    cpr = forms.CharField(
        label=_("Patient's CPR number"), max_length=11, help_text=_("DDMMYY-XXXX. Never shown in full again.")
    )
    purpose = forms.CharField(
        label=_("What to talk about"),
        max_length=PURPOSE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        strip=False,
    )
    video_url = forms.CharField(
        label=_("Video link"), max_length=VIDEO_URL_MAX_LENGTH, help_text=_("The video room, https://...")
    )
    slot = TimeChoiceField(label=_("The GP's free video time"), widget=forms.RadioSelect)
    client_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, departments=(), slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = {d.pk: d for d in departments}
        self.fields["department"].choices = [(d.pk, str(d)) for d in departments]
        if len(departments) == 1:
            self.fields["department"].widget = forms.HiddenInput()
            self.initial.setdefault("department", departments[0].pk)
        self.fields["slot"].choices = [(str(s.public_id), weekday_datetime(s.starts_at)) for s in slots]
        if not self.is_bound:
            self.initial.setdefault("client_token", uuid.uuid4())

    def clean_department(self):
        department = self.departments.get(self.cleaned_data["department"])
        if department is None:
            raise forms.ValidationError(_("Choose your department."))
        return department


class InpatientVisitForm(forms.Form):
    department = forms.TypedChoiceField(label=_("Ward"), coerce=int)
    cpr = forms.CharField(
        label=_("Patient's CPR number"), max_length=11, help_text=_("DDMMYY-XXXX. Never shown in full again.")
    )
    reason = forms.CharField(
        label=_("Why the patient comes"),
        help_text=_("E.g. a skin problem, blood-pressure follow-up, the broader health talk."),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        strip=False,
    )
    slot = TimeChoiceField(label=_("The GP's free consultation time"), widget=forms.RadioSelect)
    client_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, departments=(), slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = {d.pk: d for d in departments}
        self.fields["department"].choices = [(d.pk, str(d)) for d in departments]
        if len(departments) == 1:
            self.fields["department"].widget = forms.HiddenInput()
            self.initial.setdefault("department", departments[0].pk)
        self.fields["slot"].choices = [(str(s.public_id), weekday_datetime(s.starts_at)) for s in slots]
        if not self.is_bound:
            self.initial.setdefault("client_token", uuid.uuid4())

    def clean_department(self):
        department = self.departments.get(self.cleaned_data["department"])
        if department is None:
            raise forms.ValidationError(_("Choose your department."))
        return department
