"""The page of an anonymised FAQ proposal, shared by the modules that offer one (issue 15).

Each module's view fetches its object under its own rules and calls ``faq_proposal_response``;
the page shows the proposal with the counts of what the anonymiser changed, so that the
participant reads and confirms it before anything is sent.
"""

from django.shortcuts import render

from .anonymise import Changes
from .forms import FaqProposalForm


def faq_proposal_response(
    request, *, form: FaqProposalForm, back_url: str, changes: Changes | None = None, status: int = 200
):
    response = render(
        request,
        "patients/faq_proposal.html",
        {"form": form, "back_url": back_url, "changes": changes},
        status=status,
    )
    response["Cache-Control"] = "no-store, private"  # the proposal is still the patient's text
    return response
