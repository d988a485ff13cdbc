"""Practice visits under /konferencer/besoeg/: plan one, its page, record it as held.

Fetched through ``object_for_user_or_404``: only the visiting specialist and the GPs of the
visited practice see a visit; everyone else gets 404, superusers included.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts.access import object_for_user_or_404
from portal.core.view_errors import service_call

from . import visit_selectors as selectors
from . import visit_services as services
from .forms import PracticeVisitForm, VisitRecordForm
from .models import PracticeVisit
from .selectors import specialist_departments


def visit_url(visit: PracticeVisit) -> str:
    return reverse("conferences:visit", kwargs={"public_id": visit.public_id})


def _visit_or_404(request, public_id, perm: str = "conferences.view_practicevisit") -> PracticeVisit:
    return object_for_user_or_404(
        user=request.user, perm=perm, queryset=selectors.visit_for_view(), public_id=public_id
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def visit_new(request):
    departments = specialist_departments(request.user)
    if not departments or not request.user.has_perm("conferences.add_practicevisit"):
        raise Http404
    practices = selectors.visitable_practices(request.user)
    status = 200
    if request.method == "POST":
        form = PracticeVisitForm(request.POST, departments=departments, practices=practices)
        if form.is_valid():
            with service_call(form) as call:
                visit = services.practice_visit_plan(specialist=request.user, **form.cleaned_data)
            if call.ok:
                messages.success(request, _("The visit has been planned."))
                return redirect(visit_url(visit))
        status = 400
    else:
        form = PracticeVisitForm(departments=departments, practices=practices)
    return render(request, "conferences/visit_new.html", {"form": form}, status=status)


def _visit_page(request, visit: PracticeVisit, *, form=None, status=200):
    can_record = request.user.has_perm("conferences.change_practicevisit", visit)
    return render(
        request,
        "conferences/visit.html",
        {"visit": visit, "form": form or (VisitRecordForm() if can_record else None)},
        status=status,
    )


@login_required
@never_cache
@require_GET
def visit_detail(request, public_id):
    return _visit_page(request, _visit_or_404(request, public_id))


@login_required
@never_cache
@require_POST
def visit_record(request, public_id):
    visit = _visit_or_404(request, public_id, "conferences.change_practicevisit")
    form = VisitRecordForm(request.POST)
    if form.is_valid():
        with service_call(form) as call:
            services.practice_visit_record(
                visit=visit, actor=request.user, summary=form.cleaned_data["summary"]
            )
        if call.ok:
            messages.success(request, _("The visit has been recorded."))
            return redirect(visit_url(visit))
    return _visit_page(request, visit, form=form, status=400)
