"""Forms of the outreach pages. They check shape and length; the services check the rules (the
service covers the postcode, the user may order it from the organisation)."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organisation

from .models import REQUEST_MAX_LENGTH, postcode_validator


class PostcodeLookupForm(forms.Form):
    postnummer = forms.CharField(
        label=_("Postcode"),
        max_length=4,
        min_length=4,
        validators=[postcode_validator],
        error_messages={"min_length": _("A postcode is four digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )


class OutreachOrderForm(forms.Form):
    postcode = forms.CharField(
        label=_("Postcode where the service is needed"),
        max_length=4,
        help_text=_("Usually the patient's home."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    cpr = forms.CharField(
        label=_("Patient's CPR number"),
        max_length=11,
        required=False,
        help_text=_("DDMMYY-XXXX, if the order concerns a patient. Never shown in full again."),
    )
    request = forms.CharField(
        label=_("What is needed"),
        max_length=REQUEST_MAX_LENGTH,
        help_text=_("For example: CRP, haemoglobin and fluid counts at home tomorrow morning."),
        widget=forms.Textarea(attrs={"rows": 5}),
        strip=False,
    )
    callback_phone = forms.CharField(label=_("Phone for questions"), max_length=30)
    client_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        organisations = list(organisations)
        self.fields["organisation"] = forms.ModelChoiceField(
            queryset=Organisation.objects.filter(pk__in=[o.pk for o in organisations]),
            label=_("Ordered from"),
            initial=organisations[0].pk if organisations else None,
            empty_label=None,
        )
        self.order_fields(["organisation", "postcode", "cpr", "request", "callback_phone"])
        if not self.is_bound:
            self.initial.setdefault("client_token", uuid.uuid4())
