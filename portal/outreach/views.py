"""The outreach pages. The directory and its entries are public information (who comes out,
where, how to reach them); ordering and orders are behind login.

Orders are fetched through ``object_for_user_or_404``: anyone outside an order gets 404,
superusers included. CPR numbers travel only in POST bodies.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts.access import object_for_user_or_404
from portal.core.view_errors import service_call

from . import selectors, services
from .forms import OutreachOrderForm, PostcodeLookupForm
from .models import OutreachOrder, OutreachService


def _url(order: OutreachOrder) -> str:
    return reverse("outreach:order", kwargs={"public_id": order.public_id})


@require_GET
def directory(request):
    """The entries reaching a postcode, by kind; a GP's practice postcode is the default."""
    data = request.GET
    if "postnummer" not in data and request.user.is_authenticated:
        default = selectors.default_postcode(request.user)
        data = {"postnummer": default} if default else data
    form = PostcodeLookupForm(data if "postnummer" in data else None)
    context = {"form": form, "groups": None, "postcode": None, "number": ""}
    status = 200
    if form.is_bound:
        if form.is_valid():
            number = form.cleaned_data["postnummer"]
            postcode, groups = selectors.services_for_postcode(number)
            context.update(groups=groups, postcode=postcode, number=number)
        else:
            status = 400
    context["can_see_report"] = request.user.has_perm("outreach.view_equal_access")
    return render(request, "outreach/directory.html", context, status=status)


@require_GET
def service_detail(request, pk: int):
    service = selectors.service_for_view(pk)
    if service is None:
        raise Http404
    return render(
        request,
        "outreach/service.html",
        {
            "service": service,
            "area": selectors.service_postcode_summary(service),
            "can_order": bool(selectors.ordering_organisations(request.user, service)),
        },
    )


@login_required
@never_cache
@sensitive_post_parameters("cpr")
@require_http_methods(["GET", "POST"])
def order_new(request, pk: int):
    service = selectors.service_for_view(pk)
    organisations = selectors.ordering_organisations(request.user, service) if service else []
    if not organisations:
        raise Http404
    status = 200
    if request.method == "POST":
        form = OutreachOrderForm(request.POST, organisations=organisations)
        if form.is_valid():
            data = form.cleaned_data
            with service_call(form) as call:
                order, _created = services.outreach_order_create(
                    orderer=request.user,
                    organisation=data["organisation"],
                    service=service,
                    postcode=data["postcode"],
                    request_text=data["request"],
                    callback_phone=data["callback_phone"],
                    patient_cpr=data["cpr"],
                    client_token=data["client_token"],
                    request=request,
                )
            if call.ok:
                messages.success(request, _("The order is sent to %(service)s.") % {"service": service.name})
                return redirect(_url(order))
        status = 400
    else:
        initial = {"postcode": request.GET.get("postnummer", "")[:4], "callback_phone": request.user.phone}
        form = OutreachOrderForm(initial=initial, organisations=organisations)
    return render(request, "outreach/order_new.html", {"form": form, "service": service}, status=status)


@login_required
@never_cache
@require_GET
def orders(request):
    """The orders one's practice or department sent, and the worklist of the services one staffs."""
    sent = selectors.ordering_side_orders(request.user)
    worklist = selectors.service_worklist(request.user)
    staffs = selectors.staffs_any_service(request.user)
    return render(
        request,
        "outreach/orders.html",
        {"sent": sent, "worklist": worklist, "staffs": staffs or bool(worklist), "now": timezone.now()},
    )


def _order_or_404(request, public_id, perm: str = "outreach.view_outreachorder") -> OutreachOrder:
    return object_for_user_or_404(
        user=request.user,
        perm=perm,
        queryset=selectors.order_for_view(public_id=public_id),
        public_id=public_id,
    )


def _order_response(request, order: OutreachOrder, *, status: int = 200):
    """The order page; every rendering of an order with a patient is a read, logged."""
    services.outreach_order_read(order=order, user=request.user, request=request)
    return render(
        request,
        "outreach/order.html",
        {
            "order": order,
            "masked_cpr": order.patient.masked_cpr if order.patient_id else "",
            "can_acknowledge": request.user.has_perm("outreach.acknowledge_outreachorder", order),
            "is_staff_side": selectors.is_staff_of(request.user, order),
            "now": timezone.now(),
        },
        status=status,
    )


@login_required
@never_cache
@require_GET
def order_detail(request, public_id):
    return _order_response(request, _order_or_404(request, public_id))


@login_required
@never_cache
@require_POST
def order_acknowledge(request, public_id):
    order = _order_or_404(request, public_id)
    with service_call() as call:
        services.outreach_order_acknowledge(order=order, actor=request.user, request=request)
    if call.ok:
        messages.success(request, _("The order is marked as received; the orderer can see it."))
        return redirect(_url(order))
    messages.error(request, call.messages)
    return _order_response(request, order, status=400)


@login_required
@never_cache
@require_GET
def equal_access(request):
    if not request.user.has_perm("outreach.view_equal_access"):
        raise Http404
    return render(
        request,
        "outreach/equal_access.html",
        {"blocks": selectors.equal_access_report(), "kinds": OutreachService.Kind.choices},
    )
