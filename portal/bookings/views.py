"""/tider/: a booker's bookings and the choose → hold → confirm flow, the owner's resources and
slots, and the calendar (.ics per booking, a personal feed).

Objects are addressed by random public ids and fetched through ``object_for_user_or_404``:
outside the booker's and the owner's organisations it is 404, superusers included. Refusals
from the services become 404 (not allowed) or 400 with the Danish reason (a booking rule).
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts.access import object_for_user_or_404
from portal.core.ical import ics_response
from portal.core.view_errors import service_call

from . import selectors, services
from .forms import CancelForm, HoldForm, ResourceForm, SeriesForm, SlotForm
from .ical import bookings_ics
from .models import Hold, Resource, Slot

OWNER_DAYS = 14
FREE_DAYS = 14


def booking_url(booking) -> str:
    return reverse("bookings:booking", kwargs={"public_id": booking.public_id})


def _booking_or_404(request, public_id, perm: str = "bookings.view_booking"):
    return object_for_user_or_404(
        user=request.user, perm=perm, queryset=selectors.booking_for_view(), public_id=public_id
    )


def _resource_or_404(request, public_id) -> Resource:
    return object_for_user_or_404(
        user=request.user,
        perm="bookings.manage_resource",
        queryset=selectors.resource_for_view(),
        public_id=public_id,
    )


# --- The booker ---------------------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def mine(request):
    return render(
        request,
        "bookings/mine.html",
        {
            "bookings": selectors.bookings_for_user(request.user),
            "resources": list(selectors.resources_for_user(request.user)),
            "can_book": bool(selectors.booking_organisations(request.user)),
            "cancel_form": CancelForm(),
            "now": timezone.now(),
        },
    )


@login_required
@never_cache
@require_GET
def free(request):
    """Free times in the next two weeks, optionally of one kind: the generic "choose a time"."""
    organisations = selectors.booking_organisations(request.user)
    if not organisations:
        raise Http404
    kind = request.GET.get("type", "")
    if kind not in Resource.Kind.values:
        kind = ""
    now = timezone.now()
    slots = selectors.free_slots(kind=kind or None, starts_before=now + timedelta(days=FREE_DAYS), now=now)
    return render(
        request,
        "bookings/free.html",
        {
            "slots": slots,
            "kind": kind,
            "kinds": Resource.Kind.choices,
            # The organisations once, not a form field per row: a field's choices query each time.
            "organisations": organisations,
        },
    )


@login_required
@never_cache
@require_POST
def hold_new(request, public_id):
    organisations = selectors.booking_organisations(request.user)
    slot = Slot.objects.filter(public_id=public_id).select_related("resource").first()
    if slot is None or not organisations:
        raise Http404
    form = HoldForm(request.POST, organisations=organisations)
    if form.is_valid():
        with service_call(form) as call:
            hold = services.hold_place(
                slot=slot, user=request.user, organisation=form.cleaned_data["organisation"]
            )
        if call.ok:
            return redirect(reverse("bookings:hold", kwargs={"public_id": hold.public_id}))
    return render(
        request,
        "bookings/refused.html",
        {"errors": [e for errors in form.errors.values() for e in errors]},
        status=400,
    )


def _hold_or_404(request, public_id) -> Hold:
    hold = selectors.hold_for_view().filter(public_id=public_id, held_by=request.user).first()
    if hold is None:
        raise Http404
    return hold


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def hold_detail(request, public_id):
    """The held time with its expiry: confirm it, or let it go."""
    hold = _hold_or_404(request, public_id)
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "release":
            services.hold_release(hold=hold, user=request.user)
            messages.success(request, _("The time has been released."))
            return redirect(reverse("bookings:free"))
        with service_call() as call:
            booking = services.hold_confirm(hold=hold, user=request.user)
        if call.ok:
            messages.success(request, _("The time is booked."))
            return redirect(booking_url(booking))
        messages.error(request, call.messages)
        status = 400
    return render(
        request,
        "bookings/hold.html",
        {"hold": hold, "expired": hold.is_expired()},
        status=status,
    )


@login_required
@never_cache
@require_GET
def booking_detail(request, public_id):
    booking = _booking_or_404(request, public_id)
    return render(
        request,
        "bookings/booking.html",
        {
            "booking": booking,
            "can_cancel": booking.is_active and request.user.has_perm("bookings.cancel_booking", booking),
            "cancel_form": CancelForm(),
        },
    )


@login_required
@never_cache
@require_POST
def booking_cancel(request, public_id):
    booking = _booking_or_404(request, public_id, "bookings.cancel_booking")
    form = CancelForm(request.POST)
    if form.is_valid():
        with service_call(form) as call:
            services.booking_cancel(booking=booking, actor=request.user, reason=form.cleaned_data["reason"])
        if call.ok:
            messages.success(request, _("The booking is cancelled; the time is free for others."))
            return redirect(booking_url(booking))
    return render(
        request,
        "bookings/booking.html",
        {"booking": booking, "can_cancel": True, "cancel_form": form},
        status=400,
    )


@login_required
@never_cache
@require_GET
def booking_ics(request, public_id):
    booking = _booking_or_404(request, public_id)
    body = bookings_ics(
        [booking],
        name=booking.slot.resource.name,
        page_url=lambda b: request.build_absolute_uri(booking_url(b)),
    )
    return ics_response(body, filename=f"booking-{booking.public_id}.ics")


# --- The calendar feed --------------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def calendar_links(request):
    if request.method == "POST":
        if request.POST.get("action") == "renew":
            services.calendar_token_renew(user=request.user)
            messages.success(request, _("Your calendar link has been renewed; the old one no longer works."))
        else:
            services.calendar_token_get_or_create(user=request.user)
        return redirect(reverse("bookings:calendar_links"))
    token = selectors.calendar_token_of(request.user)
    url = request.build_absolute_uri(reverse("bookings:feed", kwargs={"token": token.token})) if token else ""
    return render(request, "bookings/calendar_links.html", {"token": token, "url": url})


@never_cache
@require_GET
def feed(request, token):
    """For calendar programs, which cannot log in: found by the secret token, 404 otherwise."""
    user = selectors.calendar_token_user(token)
    if user is None:
        raise Http404
    body = bookings_ics(
        selectors.bookings_feed(user),
        name=_("My bookings in Samspil"),
        page_url=lambda b: request.build_absolute_uri(booking_url(b)),
    )
    return ics_response(body, filename="samspil-bookinger.ics", secret_url=True)


# --- The owner ----------------------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def resources(request):
    organisations = selectors.owner_organisations(request.user)
    if not organisations:
        raise Http404
    status = 200
    form = ResourceForm()
    if request.method == "POST":
        form = ResourceForm(request.POST)
        organisation = next(
            (o for o in organisations if str(o.pk) == request.POST.get("organisation")), organisations[0]
        )
        if form.is_valid():
            with service_call(form) as call:
                resource = services.resource_create(
                    actor=request.user, organisation=organisation, **form.cleaned_data
                )
            if call.ok:
                messages.success(request, _("The resource is created. Publish its times below."))
                return redirect(reverse("bookings:resource", kwargs={"public_id": resource.public_id}))
        status = 400
    return render(
        request,
        "bookings/resources.html",
        {
            "resources": selectors.resources_for_user(request.user),
            "organisations": organisations,
            "form": form,
        },
        status=status,
    )


def _resource_page(request, resource, *, slot_form=None, series_form=None, status=200):
    now = timezone.now()
    window_end = now + timedelta(days=OWNER_DAYS)
    return render(
        request,
        "bookings/resource.html",
        {
            "resource": resource,
            "slots": selectors.resource_slots(resource, starts_after=now, starts_before=window_end, now=now),
            "bookings": list(
                selectors.bookings_for_organisation(
                    resource.organisation, starts_after=now - timedelta(days=1), starts_before=window_end
                ).filter(slot__resource=resource)
            ),
            "slot_form": slot_form or SlotForm(),
            "series_form": series_form or SeriesForm(),
            "days": OWNER_DAYS,
        },
        status=status,
    )


@login_required
@never_cache
@require_GET
def resource_detail(request, public_id):
    return _resource_page(request, _resource_or_404(request, public_id))


@login_required
@never_cache
@require_POST
def slot_new(request, public_id):
    resource = _resource_or_404(request, public_id)
    form = SlotForm(request.POST)
    if form.is_valid():
        with service_call(form) as call:
            services.slot_publish(actor=request.user, resource=resource, **form.cleaned_data)
        if call.ok:
            messages.success(request, _("The time is published."))
            return redirect(reverse("bookings:resource", kwargs={"public_id": resource.public_id}))
    return _resource_page(request, resource, slot_form=form, status=400)


@login_required
@never_cache
@require_POST
def series_new(request, public_id):
    resource = _resource_or_404(request, public_id)
    form = SeriesForm(request.POST)
    if form.is_valid():
        with service_call(form) as call:
            made = services.slot_series_publish(actor=request.user, resource=resource, **form.cleaned_data)
        if call.ok:
            messages.success(
                request,
                ngettext("%(count)s time is published.", "%(count)s times are published.", len(made))
                % {"count": len(made)},
            )
            return redirect(reverse("bookings:resource", kwargs={"public_id": resource.public_id}))
    return _resource_page(request, resource, series_form=form, status=400)
