"""Forms of the referral pages. They check shape and length; the services check the rules."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organisation

from .models import (
    CLINICAL_TEXT_MAX_LENGTH,
    DIAGNOSIS_TEXT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    VETO_REASON_MAX_LENGTH,
    Referral,
    ReferralEvent,
    icd10_validator,
)


class _PracticeMixin:
    def _practice_field(self, practices):
        self.fields["practice"] = forms.ModelChoiceField(
            queryset=Organisation.objects.filter(pk__in=[p.pk for p in practices]),
            label=_("Your practice"),
            initial=practices[0].pk if practices else None,
            empty_label=None,
        )


class _ReferralBase(_PracticeMixin, forms.Form):
    cpr = forms.CharField(
        label=_("Patient's CPR number"), max_length=11, help_text=_("DDMMYY-XXXX. Never shown in full again.")
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Referral.Urgency.choices)
    clinical_text = forms.CharField(
        label=_("Clinical information and the question to the hospital"),
        max_length=CLINICAL_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        strip=False,
    )
    client_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    # A subacute outpatient time within 72 hours, by its public id; empty: the department decides.
    slot = forms.UUIDField(label=_("Book a subacute time within 72 hours"), required=False)

    def __init__(self, *args, practices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._practice_field(list(practices))
        self.order_fields(["practice", *[name for name in self.fields if name != "practice"]])
        if not self.is_bound:
            self.initial.setdefault("client_token", uuid.uuid4())


class DiagnosisReferralForm(_ReferralBase):
    diagnosis_code = forms.CharField(label=_("ICD-10 code"), max_length=10, help_text=_("E.g. I48 or J44.1."))
    diagnosis_text = forms.CharField(label=_("Diagnosis"), max_length=DIAGNOSIS_TEXT_MAX_LENGTH)
    destination_kind = forms.ChoiceField(
        label=_("Refer to"),
        choices=[
            (Referral.DestinationKind.DEPARTMENT, _("A named department")),
            (
                Referral.DestinationKind.CENTRAL_VISITATION,
                _("Central elective visitation (finds the right place)"),
            ),
        ],
        widget=forms.RadioSelect,
        initial=Referral.DestinationKind.DEPARTMENT,
    )
    destination = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Department"),
        required=False,
        help_text=_("Not needed for central visitation."),
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["destination"].queryset = departments
        self.fields["destination"].label_from_instance = str

    def clean_diagnosis_code(self):
        # Upper-cased before the check: "j44.1" is what a GP types.
        code = self.cleaned_data["diagnosis_code"].strip().upper()
        icd10_validator(code)
        return code


class PackageReferralForm(_ReferralBase):
    checklist = forms.MultipleChoiceField(
        label=_("What you attach"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, package=None, **kwargs):
        super().__init__(*args, **kwargs)
        items = package.checklist_items if package else []
        self.fields["checklist"].choices = [(item, item) for item in items]


class AcceptForm(forms.Form):
    appointment_start = forms.DateTimeField(
        label=_("Time, or the start of the window"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    appointment_end = forms.DateTimeField(
        label=_("End of the window (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    note = forms.CharField(
        label=_("Note to the GP (optional)"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        strip=False,
    )


class RerouteForm(forms.Form):
    to_department = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Re-route to"))
    reason_code = forms.ChoiceField(label=_("Reason"), choices=ReferralEvent.Reason.choices)
    reason = forms.CharField(
        label=_("Why, in a few words to the GP"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        strip=False,
    )
    alternative = forms.CharField(
        label=_("The alternative offered (optional)"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        strip=False,
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["to_department"].queryset = departments
        self.fields["to_department"].label_from_instance = str


class DialogueForm(forms.Form):
    message = forms.CharField(
        label=_("Your message to the GP"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        strip=False,
    )


class PrevisitationForm(forms.Form):
    note = forms.CharField(
        label=_("What the patient was asked or told"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        strip=False,
    )


class ReturnForm(forms.Form):
    reason_code = forms.ChoiceField(label=_("Reason"), choices=ReferralEvent.Reason.choices)
    reason = forms.CharField(
        label=_("Why, as agreed in the dialogue"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        strip=False,
    )
    advice = forms.CharField(
        label=_("Advice for the GP (optional)"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        strip=False,
    )


class VetoForm(forms.Form):
    reason = forms.CharField(label=_("Short reason"), max_length=VETO_REASON_MAX_LENGTH)


class HandoverForm(forms.Form):
    to_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Hand over to"), empty_label=None
    )

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = Organisation.objects.filter(pk__in=[t.pk for t in targets])
        self.fields["to_organisation"].label_from_instance = str


class QualityForm(forms.Form):
    dage = forms.IntegerField(label=_("Days back"), min_value=1, max_value=3650, required=False, initial=90)


class BookingCancelForm(forms.Form):
    reason = forms.CharField(label=_("Why the time is cancelled"), max_length=500)


class BookingRebookForm(forms.Form):
    slot = forms.UUIDField(label=_("The new time"))
    reason = forms.CharField(label=_("Why the time is moved (optional)"), max_length=500, required=False)
