"""The palliative handover form: shape and length; the service checks the rules."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PHONE_AGREEMENT_MAX_LENGTH, PLAN_MAX_LENGTH


class PalliativeHandoverForm(forms.Form):
    department = forms.TypedChoiceField(label=_("From department"), coerce=int)
    practice = forms.ModelChoiceField(label=_("The patient's GP practice"), queryset=None)
    cpr = forms.CharField(
        label=_("Patient's CPR number"), max_length=11, help_text=_("DDMMYY-XXXX. Never shown in full again.")
    )
    phone_agreement = forms.CharField(
        label=_("Agreed on the phone with"),
        help_text=_("Who at the practice agreed, and when, e.g. 'Dr. Hanne Mikkelsen, 1 December 14.30'."),
        max_length=PHONE_AGREEMENT_MAX_LENGTH,
        strip=False,
    )
    plan = forms.CharField(
        label=_("Agreed plan"),
        help_text=_("Symptom relief, medicine, contacts, what to do when the condition worsens."),
        max_length=PLAN_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        strip=False,
    )
    client_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, departments=(), practices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = {d.pk: d for d in departments}
        self.fields["department"].choices = [(d.pk, str(d)) for d in departments]
        if len(departments) == 1:
            self.fields["department"].widget = forms.HiddenInput()
            self.initial.setdefault("department", departments[0].pk)
        self.fields["practice"].queryset = practices
        if not self.is_bound:
            self.initial.setdefault("client_token", uuid.uuid4())

    def clean_department(self):
        department = self.departments.get(self.cleaned_data["department"])
        if department is None:
            raise forms.ValidationError(_("Choose your department."))
        return department
