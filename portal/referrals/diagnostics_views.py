"""The investigation pages under /henvisninger/undersoegelser/: the catalogue, ordering, the
practice's and the department's lists, one order and its actions.

Orders are fetched through ``object_for_user_or_404`` and addressed by their random
``public_id``: anyone outside an order gets 404, superusers included. CPR numbers travel only
in POST bodies.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts.access import object_for_user_or_404
from portal.core.view_errors import service_call

from . import diagnostics_selectors as selectors
from . import diagnostics_services as services
from .diagnostics_forms import InvestigationOrderForm, PerformedForm, ResultNoticeForm
from .models import InvestigationOrder
from .selectors import gp_practices


def _url(order: InvestigationOrder) -> str:
    return reverse("referrals:diagnostics_order", kwargs={"public_id": order.public_id})


def _order_or_404(request, public_id, perm: str = "referrals.view_investigationorder") -> InvestigationOrder:
    return object_for_user_or_404(
        user=request.user,
        perm=perm,
        queryset=selectors.order_for_view(public_id=public_id),
        public_id=public_id,
    )


@login_required
@never_cache
@require_GET
def catalogue(request):
    """Every hospital's orderable investigations with the next free times; open to the logged in."""
    return render(
        request,
        "referrals/diagnostics/catalogue.html",
        {"hospitals": selectors.catalogue(), "can_order": bool(gp_practices(request.user))},
    )


@login_required
@never_cache
@require_GET
def practice_orders(request):
    practices = selectors.ordering_practices(request.user)
    if not practices:
        if selectors.performing_departments(request.user):
            return redirect("referrals:diagnostics_department")
        raise Http404
    ids = [p.pk for p in practices]
    now = timezone.now()
    return render(
        request,
        "referrals/diagnostics/practice_orders.html",
        {
            "rows": selectors.practice_orders(ids),
            "overdue": selectors.overdue_result_notices(ids, now=now),
            "follow_up_days": selectors.RESULT_FOLLOW_UP_WORKING_DAYS,
            "now": now,
        },
    )


@login_required
@never_cache
@require_GET
def department_orders(request):
    departments = selectors.performing_departments(request.user)
    if not departments:
        raise Http404
    return render(
        request,
        "referrals/diagnostics/department_orders.html",
        {
            "rows": selectors.department_orders([d.pk for d in departments]),
            "departments": departments,
            "now": timezone.now(),
        },
    )


@login_required
@never_cache
@sensitive_post_parameters("cpr")
@require_http_methods(["GET", "POST"])
def order_new(request, type_id: int):
    practices = gp_practices(request.user)
    if not practices:
        raise Http404
    investigation = get_object_or_404(selectors.investigation_types(), pk=type_id)
    slots = None if investigation.drop_in else selectors.free_times(investigation)
    status = 200
    if request.method == "POST":
        form = InvestigationOrderForm(request.POST, practices=practices, slots=slots)
        if form.is_valid():
            data = form.cleaned_data
            with service_call(form) as call:
                order, _created = services.investigation_order_create(
                    author=request.user,
                    practice=data["practice"],
                    investigation=investigation,
                    patient_cpr=data["cpr"],
                    clinical_question=data["clinical_question"],
                    slot_id=data.get("slot"),
                    client_token=data["client_token"],
                    request=request,
                )
            if call.ok:
                messages.success(
                    request, _("The investigation is ordered. You keep the treatment responsibility.")
                )
                return redirect(_url(order))
            # The free times may have changed while the form was filled in.
            slots = None if investigation.drop_in else selectors.free_times(investigation)
            if slots is not None:
                form.fields["slot"].choices = (
                    InvestigationOrderForm(practices=practices, slots=slots).fields["slot"].choices
                )
        status = 400
    else:
        form = InvestigationOrderForm(practices=practices, slots=slots)
    return render(
        request,
        "referrals/diagnostics/order_new.html",
        {"form": form, "investigation": investigation, "no_free_times": slots == []},
        status=status,
    )


def _order_response(request, order: InvestigationOrder, *, status: int = 200, forms: dict | None = None):
    """The order page; every rendering is a read of the patient, logged."""
    forms = forms or {}
    services.investigation_order_read(order=order, user=request.user, request=request)
    user = request.user
    context = {
        "order": order,
        "events": selectors.order_events(order),
        "masked_cpr": order.patient.masked_cpr,
        "now": timezone.now(),
        "result_overdue": selectors.is_result_overdue(order, timezone.now()),
        "performed_form": forms.get("performed") or PerformedForm()
        if user.has_perm("referrals.record_investigation_performed", order)
        else None,
        "result_form": forms.get("result") or ResultNoticeForm()
        if user.has_perm("referrals.record_investigation_result", order)
        else None,
        "can_acknowledge": user.has_perm("referrals.acknowledge_investigation_result", order),
    }
    return render(request, "referrals/diagnostics/order.html", context, status=status)


@login_required
@never_cache
@require_GET
def order_detail(request, public_id):
    return _order_response(request, _order_or_404(request, public_id))


@login_required
@never_cache
@require_POST
def order_performed(request, public_id):
    order = _order_or_404(request, public_id, "referrals.record_investigation_performed")
    form = PerformedForm(request.POST)
    if form.is_valid():
        with service_call(form) as call:
            services.investigation_performed_record(
                order=order,
                actor=request.user,
                performed_at=form.cleaned_data["performed_at"],
                request=request,
            )
        if call.ok:
            messages.success(request, _("Recorded: the investigation took place."))
            return redirect(_url(order))
    return _order_response(request, order, status=400, forms={"performed": form})


@login_required
@never_cache
@require_POST
def order_result(request, public_id):
    order = _order_or_404(request, public_id, "referrals.record_investigation_result")
    form = ResultNoticeForm(request.POST)
    if form.is_valid():
        with service_call(form) as call:
            services.investigation_result_record(
                order=order, actor=request.user, notice=form.cleaned_data["notice"], request=request
            )
        if call.ok:
            messages.success(request, _("The result notice is sent to the GP."))
            return redirect(_url(order))
    return _order_response(request, order, status=400, forms={"result": form})


@login_required
@never_cache
@require_POST
def order_acknowledge(request, public_id):
    order = _order_or_404(request, public_id, "referrals.acknowledge_investigation_result")
    with service_call() as call:
        services.investigation_result_acknowledge(order=order, actor=request.user, request=request)
    if call.ok:
        messages.success(request, _("The result notice is acknowledged as followed up."))
    else:
        messages.error(request, call.messages)
    return redirect(_url(order))
