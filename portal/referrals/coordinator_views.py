"""The coordinating GP (tovholder) under /henvisninger/tovholder/: the list, a department's
proposal, one proposal with its acknowledgement or withdrawal, one patient's row with its history, handing the
role over and adding a department. Fetched through ``object_for_user_or_404`` by the random
``public_id``: anyone outside gets 404, superusers included. CPR numbers travel only in POST
bodies."""

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

from . import coordinator_selectors as selectors
from . import coordinator_services as services
from . import palliative_selectors
from .coordinator_forms import CoordinatorDepartmentForm, CoordinatorHandOverForm, CoordinatorProposeForm
from .models import CareCoordinator, ResponsibilityHandover


def _coordinator_url(coordinator: CareCoordinator) -> str:
    return reverse("referrals:coordinator", kwargs={"public_id": coordinator.public_id})


def _handover_url(handover: ResponsibilityHandover) -> str:
    return reverse("referrals:coordinator_handover", kwargs={"public_id": handover.public_id})


def _coordinator_or_404(request, public_id) -> CareCoordinator:
    return object_for_user_or_404(
        user=request.user,
        perm="referrals.view_care_coordinator",
        queryset=selectors.coordinator_for_view(),
        public_id=public_id,
    )


def _handover_or_404(request, public_id) -> ResponsibilityHandover:
    return object_for_user_or_404(
        user=request.user,
        perm="referrals.view_coordinator_handover",
        queryset=selectors.coordinator_handover_for_view(),
        public_id=public_id,
    )


@login_required
@never_cache
@require_GET
def coordinator_list(request):
    organisations = palliative_selectors.staff_organisations(request.user)
    if not organisations:
        raise Http404
    ids = [o.pk for o in organisations]
    return render(
        request,
        "referrals/coordinator/list.html",
        {
            "coordinators": selectors.coordinators_for(ids),
            "handovers": selectors.coordinator_handovers_for(ids),
            "can_propose": bool(palliative_selectors.proposing_departments(request.user)),
        },
    )


@login_required
@never_cache
@sensitive_post_parameters("cpr")
@require_http_methods(["GET", "POST"])
def coordinator_new(request):
    departments = palliative_selectors.proposing_departments(request.user)
    if not departments:
        raise Http404
    practices = palliative_selectors.practices()
    if request.method == "POST":
        form = CoordinatorProposeForm(request.POST, departments=departments, practices=practices)
        if form.is_valid():
            data = form.cleaned_data
            with service_call(form) as call:
                handover, _created = services.coordinator_handover_propose(
                    actor=request.user,
                    department=data["department"],
                    practice=data["practice"],
                    patient_cpr=data["cpr"],
                    note=data["note"],
                    client_token=data["client_token"],
                    request=request,
                )
            if call.ok:
                messages.success(
                    request,
                    _(
                        "The practice is proposed as coordinating GP. "
                        "It becomes so when a GP there acknowledges."
                    ),
                )
                return redirect(_handover_url(handover))
        status = 400
    else:
        form = CoordinatorProposeForm(departments=departments, practices=practices)
        status = 200
    return render(request, "referrals/coordinator/new.html", {"form": form}, status=status)


@login_required
@never_cache
@require_GET
def coordinator_handover_detail(request, public_id):
    handover = _handover_or_404(request, public_id)
    services.coordinator_handover_read(handover=handover, user=request.user, request=request)
    coordinator = selectors.coordinator_of_patient_for(request.user, handover.patient_id)
    return render(
        request,
        "referrals/coordinator/handover.html",
        {
            "handover": handover,
            "masked_cpr": handover.patient.masked_cpr,
            "coordinator": coordinator,
            "can_acknowledge": request.user.has_perm("referrals.acknowledge_coordinator_handover", handover),
            "can_withdraw": request.user.has_perm("referrals.withdraw_coordinator_handover", handover),
        },
    )


@login_required
@never_cache
@require_POST
def coordinator_handover_acknowledge(request, public_id):
    handover = _handover_or_404(request, public_id)
    with service_call() as call:
        coordinator = services.coordinator_handover_acknowledge(
            handover=handover, actor=request.user, request=request
        )
    if call.ok:
        messages.success(request, _("Your practice is now the coordinating GP (tovholder) for the patient."))
        return redirect(_coordinator_url(coordinator))
    # Acknowledged twice, or the role moved meanwhile: said calmly on the page.
    messages.info(request, call.messages)
    return redirect(_handover_url(handover))


@login_required
@never_cache
@require_POST
def coordinator_handover_withdraw(request, public_id):
    handover = _handover_or_404(request, public_id)
    with service_call() as call:
        services.coordinator_handover_withdraw(handover=handover, actor=request.user, request=request)
    if call.ok:
        messages.success(request, _("The proposal is withdrawn. The practice has been told."))
    else:
        # Acknowledged or withdrawn meanwhile: said calmly on the page.
        messages.info(request, call.messages)
    return redirect(_handover_url(handover))


def _coordinator_page(request, coordinator, *, hand_over_form=None, department_form=None, status=200):
    services.coordinator_read(coordinator=coordinator, user=request.user, request=request)
    can_hand_over = request.user.has_perm("referrals.hand_over_care_coordinator", coordinator)
    open_handover = selectors.coordinator_open_handover(coordinator)
    if can_hand_over and hand_over_form is None and open_handover is None:
        hand_over_form = CoordinatorHandOverForm(
            practices=selectors.practices_to_hand_to(coordinator), initial={"note": coordinator.note}
        )
    if department_form is None:
        department_form = CoordinatorDepartmentForm(departments=selectors.departments_to_add(coordinator))
    return render(
        request,
        "referrals/coordinator/detail.html",
        {
            "coordinator": coordinator,
            "masked_cpr": coordinator.patient.masked_cpr,
            "history": selectors.coordinator_history(coordinator),
            "open_handover": open_handover,
            "hand_over_form": hand_over_form if can_hand_over and open_handover is None else None,
            "department_form": department_form,
        },
        status=status,
    )


@login_required
@never_cache
@require_GET
def coordinator_detail(request, public_id):
    return _coordinator_page(request, _coordinator_or_404(request, public_id))


@login_required
@never_cache
@require_POST
def coordinator_hand_over(request, public_id):
    coordinator = _coordinator_or_404(request, public_id)
    if not request.user.has_perm("referrals.hand_over_care_coordinator", coordinator):
        raise Http404
    form = CoordinatorHandOverForm(request.POST, practices=selectors.practices_to_hand_to(coordinator))
    if form.is_valid():
        with service_call(form) as call:
            handover, _created = services.coordinator_hand_over(
                coordinator=coordinator,
                actor=request.user,
                practice=form.cleaned_data["practice"],
                note=form.cleaned_data["note"],
                client_token=form.cleaned_data["client_token"],
                request=request,
            )
        if call.ok:
            messages.success(
                request,
                _(
                    "The handover is proposed. "
                    "Your practice keeps the role until the new practice acknowledges."
                ),
            )
            return redirect(_handover_url(handover))
    return _coordinator_page(request, coordinator, hand_over_form=form, status=400)


@login_required
@never_cache
@require_POST
def coordinator_department_add(request, public_id):
    coordinator = _coordinator_or_404(request, public_id)
    form = CoordinatorDepartmentForm(request.POST, departments=selectors.departments_to_add(coordinator))
    if form.is_valid():
        with service_call(form) as call:
            services.coordinator_department_add(
                coordinator=coordinator,
                actor=request.user,
                department=form.cleaned_data["department"],
                request=request,
            )
        if call.ok:
            messages.success(request, _("The department is added to the departments involved."))
            return redirect(_coordinator_url(coordinator))
    return _coordinator_page(request, coordinator, department_form=form, status=400)
