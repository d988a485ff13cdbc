"""Forms of the focused-stay pages. They check shape and length; the services check the rules
(the window holds the stay, the supervisor is a GP of the practice, the pair is in the region).

Choices are what the user may pick from, built per request: anything else posted is a form
error (a Danish 400), never a look-up of someone else's object.
"""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from .models import (
    NOTES_MAX_LENGTH,
    OBJECTIVE_TEXT_MAX_LENGTH,
    OBJECTIVE_TITLE_MAX_LENGTH,
    PERIOD_CAPACITY_MAX,
    REASON_MAX_LENGTH,
    SCORE_MAX,
    SCORE_MIN,
    STAY_LENGTH_MAX_WEEKS,
    PairRule,
    PracticeType,
)

# A posted list longer than any real choice list is refused before it reaches the database.
MAX_CHOSEN = 100
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BoundedMultipleChoiceField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def clean(self, value):
        if value and len(value) > MAX_CHOSEN:
            raise forms.ValidationError(_("Too many choices."), code="too_many")
        return super().clean(value)


def _choices(rows, label=str) -> list[tuple[str, str]]:
    return [(str(row.pk), label(row)) for row in rows]


class NeedForm(forms.Form):
    department = forms.ChoiceField(label=_("Your department"))
    earliest_start = forms.DateField(label=_("Earliest start"), widget=DATE_WIDGET)
    latest_end = forms.DateField(
        label=_("Latest end"), widget=DATE_WIDGET, help_text=_("The last day the stay may end on.")
    )
    length_weeks = forms.IntegerField(
        label=_("Length in weeks"),
        initial=2,
        validators=[MinValueValidator(1), MaxValueValidator(STAY_LENGTH_MAX_WEEKS)],
    )
    objectives = BoundedMultipleChoiceField(label=_("Learning objectives"), required=False)
    preferred_areas = BoundedMultipleChoiceField(label=_("Preferred areas"), required=False)
    preferred_practice_types = BoundedMultipleChoiceField(
        label=_("Preferred practice types"), required=False, choices=PracticeType.choices
    )
    notes = forms.CharField(
        label=_("Notes to the coordinator"),
        max_length=NOTES_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        strip=False,
    )

    def __init__(self, *args, departments=(), objectives=(), areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = _choices(departments)
        self.fields["objectives"].choices = _choices(objectives, lambda o: f"{o.specialty.name}: {o.title}")
        self.fields["preferred_areas"].choices = _choices(areas)
        if len(departments) == 1 and not self.is_bound:
            self.initial["department"] = str(departments[0].pk)

    def clean(self):
        data = super().clean()
        start, end = data.get("earliest_start"), data.get("latest_end")
        if start and end and end <= start:
            self.add_error("latest_end", _("The window must end after it starts."))
        return data


class OfferForm(forms.Form):
    supervisor = forms.ChoiceField(label=_("Supervising GP"))
    specialties = BoundedMultipleChoiceField(label=_("Specialties you welcome"))
    practice_type = forms.ChoiceField(label=_("Practice type"), choices=PracticeType.choices)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, max_digits=8, decimal_places=5, min_value=-90, max_value=90,
        help_text=_("For the distance from the trainee's hospital, e.g. 56.15678."),
    )  # fmt: skip
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, max_digits=8, decimal_places=5, min_value=-180, max_value=180
    )
    notes = forms.CharField(
        label=_("Practical notes"),
        max_length=NOTES_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Parking, languages spoken, what to bring."),
        strip=False,
    )
    is_active = forms.BooleanField(label=_("Open for stays"), required=False, initial=True)

    def __init__(self, *args, supervisors=(), specialties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].choices = _choices(supervisors, lambda u: u.get_full_name() or u.email)
        self.fields["specialties"].choices = _choices(specialties)

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None) and not self.errors:
            self.add_error("latitude", _("Give both latitude and longitude, or neither."))
        return data


class PeriodForm(forms.Form):
    starts_on = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("To"), widget=DATE_WIDGET)
    capacity = forms.IntegerField(
        label=_("Trainees at once"),
        initial=1,
        validators=[MinValueValidator(1), MaxValueValidator(PERIOD_CAPACITY_MAX)],
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The period ends before it starts."))
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you decline"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The coordinator reads it and finds another match."),
    )


class PairRuleForm(forms.Form):
    need = forms.ChoiceField(label=_("Trainee"))
    offer = forms.ChoiceField(label=_("Practice"))
    kind = forms.ChoiceField(label=_("Rule"), choices=PairRule.Kind.choices, widget=forms.RadioSelect)

    def __init__(self, *args, needs=(), offers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [
            (str(public_id), f"{trainee} · {specialty}") for public_id, trainee, specialty in needs
        ]
        self.fields["offer"].choices = [(str(public_id), name) for public_id, name in offers]


class ObjectiveForm(forms.Form):
    title = forms.CharField(label=_("Learning objective"), max_length=OBJECTIVE_TITLE_MAX_LENGTH)
    description = forms.CharField(
        label=_("Description"),
        max_length=OBJECTIVE_TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


SCORE_CHOICES = [(str(n), str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]


class EvaluationForm(forms.Form):
    """An overall score and a comment; for the supervisor also a score per learning objective
    (fields ``objective_<pk>``, one per objective of the stay)."""

    score = forms.TypedChoiceField(
        label=_("Overall score (1 = poor, 5 = excellent)"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=NOTES_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        strip=False,
    )

    def __init__(self, *args, objectives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.objectives = list(objectives)
        for objective in self.objectives:
            self.fields[f"objective_{objective.pk}"] = forms.TypedChoiceField(
                label=objective.title, choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
            )
        # The objectives first: the overall score sums them up.
        self.order_fields([f"objective_{o.pk}" for o in self.objectives] + ["score", "comment"])

    def objective_scores(self) -> dict[int, int]:
        return {o.pk: self.cleaned_data[f"objective_{o.pk}"] for o in self.objectives}
