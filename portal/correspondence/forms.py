"""Forms of the correspondence pages. They check the shape of the input; the rules are in services."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import HealthCouncilArea, Organisation, Specialty, User
from portal.core.uploads import AttachmentsField
from portal.patients.cpr import POSSIBLE_TYPO_HINT, validate_cpr

from .models import (
    BODY_MAX_LENGTH,
    REASON_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TOPIC_MAX_LENGTH,
    Category,
    Priority,
)
from .selectors import Box

SEARCH_MAX_LENGTH = 200
REVEAL_REASON_MAX_LENGTH = 150


class ClientTokenMixin(forms.Form):
    # A fresh token for every rendered form: the same form posted twice is one thread or message.
    client_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_token", uuid.uuid4())


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class ThreadForm(ClientTokenMixin):
    TO_SPECIALTY = "speciale"
    TO_DEPARTMENT = "afdeling"
    TO_PRACTICE = "praksis"

    sender_organisation = OrganisationChoiceField(
        label=_("Write from"), queryset=Organisation.objects.none(), empty_label=None
    )
    recipient_kind = forms.ChoiceField(
        label=_("Write to"),
        widget=forms.RadioSelect,
        choices=[
            (TO_SPECIALTY, _("A specialty in a health council area")),
            (TO_DEPARTMENT, _("A named hospital department")),
        ],
        initial=TO_SPECIALTY,
    )
    specialty = forms.ModelChoiceField(
        label=_("Specialty"), queryset=Specialty.objects.order_by("name"), required=False
    )
    area = forms.ModelChoiceField(
        label=_("Health council area"), queryset=HealthCouncilArea.objects.order_by("name"), required=False
    )
    department = OrganisationChoiceField(
        label=_("Department"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT)
        .select_related("parent")
        .order_by("name", "pk"),
        required=False,
    )
    practice = OrganisationChoiceField(
        label=_("The patient's general practice"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.GENERAL_PRACTICE).order_by("name", "pk"),
        required=False,
    )
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX_LENGTH)
    category = forms.ChoiceField(label=_("Category"), choices=[("", "---------"), *Category.choices])
    topic = forms.CharField(
        label=_("Other category: which?"),
        max_length=TOPIC_MAX_LENGTH,
        required=False,
        help_text=_("Required when the category is “other”."),
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=[("", _("No priority")), *Priority.choices],
        required=False,
        help_text=_("Only when the thread concerns a referral."),
    )
    cpr = forms.CharField(
        label=_("Patient's CPR number (optional)"),
        max_length=20,
        required=False,
        help_text=_("DDMMYY-SSSS. Leave empty when the question is not about a particular patient."),
    )
    cpr_checked = forms.BooleanField(label=_("I have checked the CPR number, it is correct"), required=False)
    body = forms.CharField(
        label=_("Message"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Plain text. Line breaks and your signature lines are kept exactly as you write them."),
        strip=False,  # clinical text as written; the service trims only blank lines
    )
    attachments = AttachmentsField(label=_("Attachments"), required=False, help_text=_("PDF, PNG or JPEG."))
    awaits_reply = forms.BooleanField(label=_("I await a reply"), required=False, initial=True)

    def __init__(self, *args, user: User, sender_organisations: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["sender_organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in sender_organisations]
        ).select_related("parent")
        self.single_sender = len(sender_organisations) == 1
        if sender_organisations:
            first = sender_organisations[0]
            self.initial.setdefault("sender_organisation", first.pk)
            area = first.area
            if area is not None:
                self.initial.setdefault("area", area.pk)
        # A hospital specialist may write to a patient's general practice.
        if any(o.kind == Organisation.Kind.DEPARTMENT for o in sender_organisations):
            self.fields["recipient_kind"].choices = [
                *self.fields["recipient_kind"].choices,
                (self.TO_PRACTICE, _("A general practice (the patient's GP)")),
            ]
        else:
            del self.fields["practice"]
        self.possible_typo = False

    def clean_cpr(self):
        text = self.cleaned_data.get("cpr", "").strip()
        if not text:
            return ""
        check = validate_cpr(text)
        self.possible_typo = check.possible_typo
        return check.cpr

    #: The fields that name a recipient, per way of choosing one (the area comes preselected).
    RECIPIENT_FIELDS = {TO_SPECIALTY: "specialty", TO_DEPARTMENT: "department", TO_PRACTICE: "practice"}

    def recipients_given(self) -> list[str]:
        """The ways of choosing a recipient that arrived filled in."""
        return [
            kind
            for kind, field in self.RECIPIENT_FIELDS.items()
            if field in self.fields and self.data.get(field)
        ]

    @property
    def conflicting_recipients(self) -> bool:
        """A specialty and a named department (or practice) at once: which one was meant is a guess."""
        return self.is_bound and len(self.recipients_given()) > 1

    def clean(self):
        data = super().clean()
        kind = data.get("recipient_kind")
        if self.conflicting_recipients:
            # Never guess where a clinical question goes; the page then shows every choice to clear one.
            raise forms.ValidationError(
                _(
                    "Choose the recipient one way only: a specialty in an area,"
                    " or a named recipient, not both."
                ),
                code="conflicting_recipients",
            )
        if kind == self.TO_SPECIALTY:
            for field in ("specialty", "area"):
                if not data.get(field):
                    self.add_error(field, _("Choose a specialty and a health council area."))
        elif kind == self.TO_DEPARTMENT and not data.get("department"):
            self.add_error("department", _("Choose the department you write to."))
        elif kind == self.TO_PRACTICE and not data.get("practice"):
            self.add_error("practice", _("Choose the general practice you write to."))
        if data.get("cpr") and self.possible_typo and not data.get("cpr_checked"):
            self.add_error("cpr", POSSIBLE_TYPO_HINT)
        return data

    def recipient(self) -> dict:
        """The addressing arguments of ``services.thread_open``."""
        kind = self.cleaned_data["recipient_kind"]
        if kind == self.TO_DEPARTMENT:
            return {"recipient_organisation": self.cleaned_data["department"]}
        if kind == self.TO_PRACTICE:
            return {"recipient_organisation": self.cleaned_data["practice"]}
        return {"specialty": self.cleaned_data["specialty"], "area": self.cleaned_data["area"]}


class ReplyForm(ClientTokenMixin):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Plain text: shown and sent exactly as you write it."),
        strip=False,  # clinical text as written; the service trims only blank lines
    )
    attachments = AttachmentsField(label=_("Attachments"), required=False, help_text=_("PDF, PNG or JPEG."))
    awaits_reply = forms.BooleanField(label=_("I await a reply"), required=False, initial=True)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Clinician"), queryset=User.objects.none())

    def __init__(self, *args, clinicians, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = clinicians
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name()


class RerouteForm(forms.Form):
    to_organisation = OrganisationChoiceField(label=_("Department"), queryset=Organisation.objects.none())
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = departments


class CloseForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Both sides see it."),
    )


class InboxFilterForm(forms.Form):
    """The inbox's query string: the view, and filters that narrow it."""

    visning = forms.ChoiceField(required=False, choices=[(box, box) for box in Box.ALL])
    speciale = forms.ModelChoiceField(
        label=_("Specialty"),
        queryset=Specialty.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All specialties"),
    )
    kategori = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All categories")), *Category.choices], required=False
    )
    q = forms.CharField(label=_("Search your threads"), max_length=SEARCH_MAX_LENGTH, required=False)
    patient = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)


class PatientLookupForm(forms.Form):
    cpr = forms.CharField(label=_("Patient's CPR number"), max_length=20)

    def clean_cpr(self):
        return validate_cpr(self.cleaned_data["cpr"]).cpr


class RevealCprForm(forms.Form):
    """Seeing the full CPR number is logged; a reason helps whoever reads the access log."""

    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=REVEAL_REASON_MAX_LENGTH,
        required=False,
        help_text=_("For example: to find the patient in the records. It is kept in the access log."),
    )


class QualityForm(forms.Form):
    dage = forms.IntegerField(label=_("Days back"), min_value=1, max_value=730, required=False)
