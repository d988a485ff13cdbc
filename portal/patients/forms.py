"""The form a participant sends an anonymised FAQ proposal with (correspondence, conferences).

Shared by the modules whose closed cases can become FAQ drafts; the text it carries leaves the
patient's context for good (a public page once published), so a CPR-shaped number anywhere in it
refuses the whole form: the participant removes it, nothing is saved until then.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .cpr_shape import contains_cpr_shaped

QUESTION_MAX_LENGTH = 300  # an FAQ item's question (content.blocks.FaqItemBlock)
ANSWER_MAX_LENGTH = 10_000


class FaqProposalForm(forms.Form):
    question = forms.CharField(
        label=_("Question"),
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("At most 300 characters: the question as a colleague would ask it."),
    )
    answer = forms.CharField(
        label=_("Answer"), max_length=ANSWER_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 12})
    )
    confirmed = forms.BooleanField(
        label=_("I have read the text: it identifies no patient and no colleague."),
        required=True,
    )

    def _refuse_cpr(self, name: str) -> str:
        text = self.cleaned_data[name]
        if contains_cpr_shaped(text):
            raise ValidationError(
                _(
                    "The text still contains something that looks like a CPR number. Remove it "
                    "and send again. Nothing has been saved."
                ),
                code="cpr_shaped",
            )
        return text

    def clean_question(self):
        return self._refuse_cpr("question")

    def clean_answer(self):
        return self._refuse_cpr("answer")
