import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TEXT_MAX, PageFeedback


class FeedbackForm(forms.Form):
    variant = forms.ChoiceField(label=_("What is your feedback about?"), choices=PageFeedback.Variant.choices)
    text = forms.CharField(
        label=_("Your feedback"),
        help_text=_(
            "What is wrong, unclear or different in your sector? The owner of the page reads it "
            "and answers you. Do not write about a patient."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=TEXT_MAX,
        strip=False,  # clinical words are kept exactly as written
    )
    client_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, variants: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["variant"].choices = [(v, PageFeedback.Variant(v).label) for v in variants]
        if len(variants) == 1:
            self.fields["variant"].widget = forms.HiddenInput()
            self.initial.setdefault("variant", variants[0])
        self.initial.setdefault("client_token", uuid.uuid4())


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        help_text=_("The sender reads your answer in Samspil."),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=TEXT_MAX,
        strip=False,
    )
