"""Feedback on knowledge pages under /tilbagemeldinger/: give it from a page, read and answer it.

The link on a knowledge page is the same for every reader (the page may be served baked), so
the form lives here, behind login. Feedback is fetched through ``object_for_user_or_404``: the
sender and whoever answers see it, everyone else gets 404, superusers included.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts.access import object_for_user_or_404
from portal.core.view_errors import service_call

from . import selectors, services
from .forms import AnswerForm, FeedbackForm
from .models import PageFeedback


def _detail_url(feedback: PageFeedback) -> str:
    return reverse("feedback:detail", kwargs={"public_id": feedback.public_id})


@login_required
@never_cache
@require_GET
def feedback_index(request):
    return render(
        request,
        "feedback/index.html",
        {"lists": selectors.feedback_lists(request.user), "now": timezone.now()},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def feedback_new(request, page_id: int):
    page = selectors.knowledge_page(page_id)
    if page is None or not request.user.has_perm("feedback.add_pagefeedback"):
        raise Http404
    variants = selectors.variants_of(page)
    status = 200
    if request.method == "POST":
        form = FeedbackForm(request.POST, variants=variants)
        if form.is_valid():
            with service_call(form) as call:
                feedback = services.feedback_send(sender=request.user, page=page, **form.cleaned_data)
            if call.ok:
                messages.success(
                    request, _("Thank you. Your feedback has been sent to the owner of the page.")
                )
                return redirect(_detail_url(feedback))
        status = 400
    else:
        initial = {"variant": request.GET.get("om")} if request.GET.get("om") in variants else {}
        form = FeedbackForm(variants=variants, initial=initial)
    return render(
        request,
        "feedback/new.html",
        {"form": form, "page": page, "owner": selectors.feedback_owner(page, form["variant"].value() or "")},
        status=status,
    )


def _feedback_or_404(request, public_id) -> PageFeedback:
    return object_for_user_or_404(
        user=request.user,
        perm="feedback.view_pagefeedback",
        queryset=selectors.feedback_for_view(),
        public_id=public_id,
    )


def _detail(request, feedback: PageFeedback, *, form=None, status=200):
    can_answer = request.user.has_perm("feedback.answer_pagefeedback", feedback)
    return render(
        request,
        "feedback/detail.html",
        {"feedback": feedback, "form": form or (AnswerForm() if can_answer else None)},
        status=status,
    )


@login_required
@never_cache
@require_GET
def feedback_detail(request, public_id):
    return _detail(request, _feedback_or_404(request, public_id))


@login_required
@never_cache
@require_POST
def feedback_answer(request, public_id):
    feedback = _feedback_or_404(request, public_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        with service_call(form) as call:
            services.feedback_answer(
                feedback=feedback, actor=request.user, answer=form.cleaned_data["answer"]
            )
        if call.ok:
            messages.success(request, _("Your answer has been sent."))
            return redirect(_detail_url(feedback))
    return _detail(request, feedback, form=form, status=400)
