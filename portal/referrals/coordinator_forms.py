"""The coordinating GP (tovholder) forms: shape and length; the services check the rules."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import COORDINATOR_NOTE_MAX_LENGTH
from .palliative_forms import PalliativeHandoverForm


def _note_field() -> forms.CharField:
    return forms.CharField(
        label=_("Care plan and agreements"),
        help_text=_("Short: who does what, the agreed controls, whom to contact."),
        max_length=COORDINATOR_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        strip=False,
    )


class CoordinatorProposeForm(PalliativeHandoverForm):
    """A department proposes the patient's practice: the palliative form's department, practice
    and CPR, with the care note instead of the plan and the phone agreement."""

    note = _note_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["plan"], self.fields["phone_agreement"]
        self.order_fields(["department", "practice", "cpr", "note"])


class CoordinatorHandOverForm(forms.Form):
    practice = forms.ModelChoiceField(label=_("The patient's new GP practice"), queryset=None)
    note = _note_field()
    client_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, practices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practice"].queryset = practices
        if not self.is_bound:
            self.initial.setdefault("client_token", uuid.uuid4())


class CoordinatorDepartmentForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=None)

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
