"""Forms of the investigation pages. They check shape and length; the services check the rules
(the chosen time belongs to the investigation, has not passed and is free)."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.dates import weekday_datetime

from .forms import _PracticeMixin
from .models import CLINICAL_QUESTION_MAX_LENGTH, RESULT_NOTICE_MAX_LENGTH


def slot_label(slot) -> str:
    return weekday_datetime(slot.starts_at)


class TimeChoiceField(forms.ChoiceField):
    """The free times as radio buttons; whether the posted one is valid is the service's call
    (it belongs to the investigation, has not passed, is still free), so it can say why."""

    def valid_value(self, value) -> bool:
        return True


class InvestigationOrderForm(_PracticeMixin, forms.Form):
    cpr = forms.CharField(
        label=_("Patient's CPR number"), max_length=11, help_text=_("DDMMYY-XXXX. Never shown in full again.")
    )
    clinical_question = forms.CharField(
        label=_("Clinical question to the department"),
        max_length=CLINICAL_QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        strip=False,
    )
    # The slot's public id.
    slot = TimeChoiceField(label=_("Time"), required=False, widget=forms.RadioSelect)
    client_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, practices=(), slots=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._practice_field(list(practices))
        self.order_fields(["practice", "cpr", "clinical_question", "slot"])
        if slots is None:
            del self.fields["slot"]
        else:
            self.fields["slot"].required = True
            self.fields["slot"].choices = [(str(s.public_id), slot_label(s)) for s in slots]
        if not self.is_bound:
            self.initial.setdefault("client_token", uuid.uuid4())


class PerformedForm(forms.Form):
    performed_at = forms.DateTimeField(
        label=_("When the investigation took place"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class ResultNoticeForm(forms.Form):
    notice = forms.CharField(
        label=_("Short result notice to the GP"),
        max_length=RESULT_NOTICE_MAX_LENGTH,
        help_text=_("What the GP must follow up on; the full result goes the usual way."),
        widget=forms.Textarea(attrs={"rows": 3}),
        strip=False,
    )
