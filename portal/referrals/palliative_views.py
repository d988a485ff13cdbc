"""Palliative handovers under /henvisninger/palliativ/: the list, proposing, one handover and
accepting it. Fetched through ``object_for_user_or_404`` by the random ``public_id``: anyone
outside a handover gets 404, superusers included. CPR numbers travel only in POST bodies."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts.access import object_for_user_or_404
from portal.core.view_errors import service_call

from . import palliative_selectors as selectors
from . import palliative_services as services
from .coordinator_selectors import coordinator_of_patient_for
from .models import ResponsibilityHandover
from .palliative_forms import PalliativeHandoverForm


def _url(handover: ResponsibilityHandover) -> str:
    return reverse("referrals:palliative", kwargs={"public_id": handover.public_id})


def _handover_or_404(request, public_id) -> ResponsibilityHandover:
    return object_for_user_or_404(
        user=request.user,
        perm="referrals.view_palliative_handover",
        queryset=selectors.palliative_for_view(),
        public_id=public_id,
    )


@login_required
@never_cache
@require_GET
def palliative_list(request):
    organisations = selectors.staff_organisations(request.user)
    if not organisations:
        raise Http404
    return render(
        request,
        "referrals/palliative/list.html",
        {
            "rows": selectors.palliative_handovers_for([o.pk for o in organisations]),
            "can_propose": bool(selectors.proposing_departments(request.user)),
        },
    )


@login_required
@never_cache
@sensitive_post_parameters("cpr")
@require_http_methods(["GET", "POST"])
def palliative_new(request):
    departments = selectors.proposing_departments(request.user)
    if not departments:
        raise Http404
    practices = selectors.practices()
    if request.method == "POST":
        form = PalliativeHandoverForm(request.POST, departments=departments, practices=practices)
        if form.is_valid():
            data = form.cleaned_data
            with service_call(form) as call:
                handover, _created = services.palliative_handover_propose(
                    actor=request.user,
                    department=data["department"],
                    practice=data["practice"],
                    patient_cpr=data["cpr"],
                    plan=data["plan"],
                    phone_agreement=data["phone_agreement"],
                    client_token=data["client_token"],
                    request=request,
                )
            if call.ok:
                messages.success(
                    request, _("The handover is proposed. You keep the responsibility until the GP accepts.")
                )
                return redirect(_url(handover))
        status = 400
    else:
        form = PalliativeHandoverForm(departments=departments, practices=practices)
        status = 200
    return render(request, "referrals/palliative/new.html", {"form": form}, status=status)


def _page(request, handover, *, status=200):
    services.palliative_handover_read(handover=handover, user=request.user, request=request)
    return render(
        request,
        "referrals/palliative/detail.html",
        {
            "handover": handover,
            "masked_cpr": handover.patient.masked_cpr,
            "coordinator": coordinator_of_patient_for(request.user, handover.patient_id),
            "holder": handover.to_organisation if handover.acknowledged_at else handover.from_organisation,
            "can_accept": request.user.has_perm("referrals.accept_palliative_handover", handover),
        },
        status=status,
    )


@login_required
@never_cache
@require_GET
def palliative_detail(request, public_id):
    return _page(request, _handover_or_404(request, public_id))


@login_required
@never_cache
@require_POST
def palliative_accept(request, public_id):
    handover = _handover_or_404(request, public_id)
    with service_call() as call:
        services.palliative_handover_accept(handover=handover, actor=request.user, request=request)
    if call.ok:
        messages.success(request, _("You have taken over the treatment responsibility for the patient."))
    else:
        # Accepted twice (a double click, a colleague first): said calmly on the page.
        messages.info(request, call.messages)
    return redirect(_url(handover))
