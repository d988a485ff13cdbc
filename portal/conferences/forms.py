"""Forms of the conference pages. They check the shape of the input; the rules are in services."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organisation, Specialty
from portal.patients.cpr import POSSIBLE_TYPO_HINT, validate_cpr

from .models import (
    CASE_ANSWER_MAX_LENGTH,
    CASE_DECLINE_REASON_MAX_LENGTH,
    CASE_DESCRIPTION_MAX_LENGTH,
    CASE_QUESTION_MAX_LENGTH,
    CASE_SESSION_DEFAULT_MINUTES,
    CASE_SESSION_MAX_CASES_LIMIT,
    CASE_SESSION_MAX_MINUTES,
    CASE_SESSION_MIN_MINUTES,
    CASE_SESSION_MINUTES_MAX_LENGTH,
    CASE_SESSION_TITLE_MAX_LENGTH,
    DIAGNOSES_MAX,
    DIAGNOSIS_TEXT_MAX_LENGTH,
    DROP_IN_DEFAULT_MINUTES,
    DROP_IN_MAX_MINUTES,
    DROP_IN_MIN_MINUTES,
    DROP_IN_TITLE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    OVERVIEW_TEXT_MAX_LENGTH,
    TOPIC_MAX_LENGTH,
    VISIT_PURPOSE_MAX_LENGTH,
    Conference,
    PatientOverview,
    SessionCase,
    icd10_validator,
)
from .questions import ANSWER_MAX_LENGTH, questions_for


class _CprMixin(forms.Form):
    cpr = forms.CharField(
        label=_("Patient's CPR number"),
        max_length=20,
        required=False,
        help_text=_("DDMMYY-SSSS."),
    )
    cpr_checked = forms.BooleanField(label=_("I have checked the CPR number, it is correct"), required=False)
    client_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.possible_typo = False
        if not self.is_bound:
            self.initial.setdefault("client_token", uuid.uuid4())

    def clean_cpr(self):
        text = self.cleaned_data.get("cpr", "").strip()
        if not text:
            return ""
        check = validate_cpr(text)
        self.possible_typo = check.possible_typo
        return check.cpr

    def clean(self):
        data = super().clean()
        if data.get("cpr") and self.possible_typo and not data.get("cpr_checked"):
            self.add_error("cpr", POSSIBLE_TYPO_HINT)
        return data


class RequestForm(_CprMixin):
    """A GP asks the specialist on duty."""

    practice = forms.ModelChoiceField(
        label=_("Ask from"), queryset=Organisation.objects.none(), empty_label=None
    )
    specialty = forms.ModelChoiceField(
        label=_("Specialty"), queryset=Specialty.objects.order_by("name"), to_field_name="slug"
    )
    topic = forms.CharField(
        label=_("Topic"),
        max_length=TOPIC_MAX_LENGTH,
        help_text=_("A line the specialist reads before accepting. Not sent by e-mail."),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Conference.Urgency.choices, initial="today")
    mode = forms.ChoiceField(label=_("Preferred form"), choices=Conference.Mode.choices, initial="phone")

    def __init__(self, *args, practices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practice"].queryset = Organisation.objects.filter(pk__in=[p.pk for p in practices])
        self.single_practice = len(practices) == 1
        if practices:
            self.initial.setdefault("practice", practices[0].pk)
        self.fields["cpr"].label = _("Patient's CPR number (optional)")
        self.fields["cpr"].help_text = _(
            "DDMMYY-SSSS. Leave empty when the question is not about a particular patient."
        )


class HospitalRequestForm(_CprMixin):
    """A hospital doctor asks a GP practice, with the kind's short template."""

    department = forms.ModelChoiceField(
        label=_("Ask from"), queryset=Organisation.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(
        label=_("Kind of conference"),
        widget=forms.RadioSelect,
        choices=[(k.value, k.label) for k in Conference.HOSPITAL_KINDS],
    )
    practice = forms.ModelChoiceField(
        label=_("The patient's general practice"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.GENERAL_PRACTICE).order_by("name", "pk"),
    )
    topic = forms.CharField(label=_("Topic"), max_length=TOPIC_MAX_LENGTH)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Conference.Urgency.choices, initial="planned")
    mode = forms.ChoiceField(label=_("Preferred form"), choices=Conference.Mode.choices, initial="video")

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Organisation.objects.filter(
            pk__in=[d.pk for d in departments]
        ).select_related("parent")
        self.single_department = len(departments) == 1
        if departments:
            self.initial.setdefault("department", departments[0].pk)
        self.fields["cpr"].required = True
        # Every kind's questions; only the chosen kind's are required (checked in clean()).
        self.question_fields = {}
        for kind in Conference.HOSPITAL_KINDS:
            names = []
            for key, question in questions_for(kind):
                name = f"{kind}__{key}"
                self.fields[name] = forms.CharField(
                    label=question,
                    max_length=ANSWER_MAX_LENGTH,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
                names.append(name)
            self.question_fields[kind] = names

    def question_groups(self):
        return [
            (Conference.Kind(kind).label, [self[name] for name in names])
            for kind, names in self.question_fields.items()
        ]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        for name in self.question_fields.get(kind, []):
            if not (data.get(name) or "").strip():
                self.add_error(name, _("Answer the template's questions for this kind of conference."))
        return data

    def answers(self) -> dict:
        kind = self.cleaned_data["kind"]
        return {
            name.split("__", 1)[1]: self.cleaned_data.get(name, "") for name in self.question_fields[kind]
        }


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Short: the question, the assessment, what was agreed. It goes to the practice."),
    )


class ResumeForm(forms.Form):
    text = forms.CharField(
        label=_("Résumé for the journal"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class OverviewForm(forms.Form):
    treatment_level = forms.ChoiceField(
        label=_("Treatment level"),
        choices=[("", _("Not stated")), *PatientOverview.TreatmentLevel.choices],
        required=False,
    )
    frailty_score = forms.TypedChoiceField(
        label=_("Clinical Frailty Scale"),
        choices=[("", _("Not stated")), *[(str(n), str(n)) for n in range(1, 10)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    medication = forms.CharField(
        label=_("Current medication"),
        max_length=OVERVIEW_TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=OVERVIEW_TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DiagnosisForm(forms.Form):
    code = forms.CharField(label=_("ICD-10 code"), max_length=10, required=False)
    text = forms.CharField(label=_("Diagnosis"), max_length=DIAGNOSIS_TEXT_MAX_LENGTH, required=False)

    def clean(self):
        data = super().clean()
        code = (data.get("code") or "").strip().upper()
        text = (data.get("text") or "").strip()
        if code or text:
            if not code:
                self.add_error("code", _("Give the ICD-10 code."))
            else:
                try:
                    icd10_validator(code)
                except ValidationError as error:
                    self.add_error("code", error)
            if not text:
                self.add_error("text", _("Give the diagnosis in words."))
        data["code"], data["text"] = code, text
        return data


DiagnosisFormSet = forms.formset_factory(
    DiagnosisForm, extra=3, max_num=DIAGNOSES_MAX, validate_max=True, absolute_max=DIAGNOSES_MAX
)


class SpecialtyPickForm(forms.Form):
    speciale = forms.ModelChoiceField(
        label=_("Specialty"),
        queryset=Specialty.objects.order_by("name"),
        to_field_name="slug",
        required=False,
    )


class QualityForm(forms.Form):
    """The period of the quality view, in days back from now."""

    dage = forms.IntegerField(label=_("Days back"), min_value=1, max_value=730, required=False)


def _local_datetime_field(label) -> forms.DateTimeField:
    """A date and time as the browser's datetime-local input sends it."""
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


def _video_url_field() -> forms.URLField:
    return forms.URLField(
        label=_("Video link"),
        max_length=500,
        assume_scheme="https",
        help_text=_("An https:// address of the video room."),
    )


def _https_only(url: str) -> str:
    if not url.lower().startswith("https://"):
        raise ValidationError(_("The video link must be an https:// address."))
    return url


class DepartmentFormMixin(forms.Form):
    """A form for one of the specialist's departments: the first chosen when there is one."""

    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Organisation.objects.none(), empty_label=None
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Organisation.objects.filter(
            pk__in=[d.pk for d in departments]
        ).select_related("parent")
        self.single_department = len(departments) == 1
        if departments:
            self.initial.setdefault("department", departments[0].pk)


class DropInForm(DepartmentFormMixin, forms.Form):
    """A specialist publishes a drop-in hour of a department's specialty."""

    title = forms.CharField(
        label=_("Theme (optional)"),
        max_length=DROP_IN_TITLE_MAX_LENGTH,
        required=False,
        help_text=_("For example: dementia, falls, medicine review."),
    )
    starts_at = _local_datetime_field(_("Starts"))
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"),
        initial=DROP_IN_DEFAULT_MINUTES,
        min_value=DROP_IN_MIN_MINUTES,
        max_value=DROP_IN_MAX_MINUTES,
    )
    video_url = _video_url_field()

    def clean_video_url(self):
        return _https_only(self.cleaned_data["video_url"])


class PracticeVisitForm(DepartmentFormMixin, forms.Form):
    practice = forms.ModelChoiceField(label=_("General practice"), queryset=Organisation.objects.none())
    starts_at = _local_datetime_field(_("When"))
    purpose = forms.CharField(label=_("Purpose"), max_length=VISIT_PURPOSE_MAX_LENGTH)

    def __init__(self, *args, departments, practices, **kwargs):
        super().__init__(*args, departments=departments, **kwargs)
        self.fields["practice"].queryset = practices


class VisitRecordForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Who took part, what was discussed, what was agreed."),
    )


# --- Joint case sessions -------------------------------------------------------------------------


class CaseSessionForm(DepartmentFormMixin, forms.Form):
    """A conference specialist plans a joint case session of a department's specialty."""

    title = forms.CharField(
        label=_("Theme"),
        max_length=CASE_SESSION_TITLE_MAX_LENGTH,
        help_text=_("For example: heart failure in the frail elderly."),
    )
    starts_at = _local_datetime_field(_("Starts"))
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"),
        initial=CASE_SESSION_DEFAULT_MINUTES,
        min_value=CASE_SESSION_MIN_MINUTES,
        max_value=CASE_SESSION_MAX_MINUTES,
    )
    video_url = _video_url_field()
    max_cases = forms.IntegerField(
        label=_("Most cases"), initial=6, min_value=1, max_value=CASE_SESSION_MAX_CASES_LIMIT
    )

    def clean_video_url(self):
        return _https_only(self.cleaned_data["video_url"])


class SessionCaseForm(forms.Form):
    """An anonymised case: no CPR number, no name (the service refuses CPR-shaped text)."""

    question = forms.CharField(
        label=_("Your question"),
        max_length=CASE_QUESTION_MAX_LENGTH,
        help_text=_("What you would like the session to answer."),
    )
    description = forms.CharField(
        label=_("Short case description"),
        max_length=CASE_DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Anonymised: no CPR number, name, address or dates that identify the patient. "
            "Markdown is allowed."
        ),
    )
    age_band = forms.ChoiceField(
        label=_("Age band (optional)"),
        choices=[("", _("Not stated")), *SessionCase.AgeBand.choices],
        required=False,
    )
    sex = forms.ChoiceField(
        label=_("Sex (optional)"), choices=[("", _("Not stated")), *SessionCase.Sex.choices], required=False
    )


class CaseDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the GP sees it)"),
        max_length=CASE_DECLINE_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CaseSessionMinutesForm(forms.Form):
    """The general minutes and one answer per case on the agenda (``answer_<public id>``)."""

    minutes = forms.CharField(
        label=_("General minutes"),
        max_length=CASE_SESSION_MINUTES_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown is allowed. Participants see the minutes once published."),
    )

    def __init__(self, *args, agenda, **kwargs):
        super().__init__(*args, **kwargs)
        self.answer_names = []
        for case in agenda:
            name = f"answer_{case.public_id}"
            self.fields[name] = forms.CharField(
                label=_("Answer to case %(number)s: %(question)s")
                % {"number": case.agenda_position, "question": case.question},
                max_length=CASE_ANSWER_MAX_LENGTH,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            self.initial.setdefault(name, case.answer)
            self.answer_names.append(name)

    def answer_fields(self):
        return [self[name] for name in self.answer_names]

    def answers(self) -> dict[str, str]:
        return {name.removeprefix("answer_"): self.cleaned_data.get(name, "") for name in self.answer_names}
