"""Registration for meetings under /tilmeldinger/: a meeting's registration page, my
meetings, the organisers' attendance list (and its CSV), the public calendar file, and a
"tænk klogt" review drafted from a meeting.

The public meeting page may be served baked, so it links here for everything that depends
on who is looking (the seats left, my registration).
"""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.core.ical import calendar_new, event_new, ics_response
from portal.core.links import absolute_url
from portal.core.view_errors import service_call

from . import selectors, services


def _event_or_404(page_id: int):
    event = selectors.event_for_registration(page_id)
    if event is None:
        raise Http404
    return event


def _registration_url(event) -> str:
    return reverse("events:registration", kwargs={"page_id": event.pk})


@login_required
@never_cache
@require_GET
def my_events(request):
    return render(
        request,
        "events/mine.html",
        {
            "registrations": selectors.my_registrations(request.user),
            "organised": list(selectors.organised_events(request.user)[:50]),
        },
    )


def _registration_page(request, event, *, status=200):
    mine = selectors.registration_of(event, request.user)
    return render(
        request,
        "events/registration.html",
        {
            "event": event,
            "seats": selectors.seats(event),
            "mine": mine,
            "position": selectors.waiting_position(mine) if mine else None,
            "is_open": timezone.now() < event.closes_at,
            "is_organiser": request.user.has_perm("events.view_attendance", event),
        },
        status=status,
    )


@login_required
@never_cache
@require_GET
def registration(request, page_id: int):
    return _registration_page(request, _event_or_404(page_id))


@login_required
@never_cache
@require_POST
def register(request, page_id: int):
    event = _event_or_404(page_id)
    with service_call() as call:
        done = services.event_register(event=event, user=request.user)
    if not call.ok:
        messages.error(request, call.messages)
        return _registration_page(request, event, status=400)
    if done.status == done.Status.REGISTERED:
        messages.success(request, _("You are registered. A confirmation is on its way by e-mail."))
    else:
        messages.info(request, _("The meeting is full: you are on the waiting list."))
    return redirect(_registration_url(event))


@login_required
@never_cache
@require_POST
def cancel(request, page_id: int):
    event = _event_or_404(page_id)
    mine = selectors.registration_of(event, request.user)
    if mine is None:
        raise Http404
    with service_call() as call:
        services.event_cancel(registration=mine, actor=request.user)
    if call.ok:
        messages.success(request, _("Your registration has been cancelled."))
    return redirect(_registration_url(event))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def attendance(request, page_id: int):
    event = _event_or_404(page_id)
    if not request.user.has_perm("events.view_attendance", event):
        raise Http404
    status = 200
    if request.method == "POST":
        raw = request.POST.getlist("attended")
        if not all(value.isascii() and value.isdigit() and len(value) < 19 for value in raw):
            messages.error(request, _("The list could not be read. Nothing has been saved."))
            status = 400
        else:
            with service_call() as call:
                present = services.attendance_record(
                    event=event, actor=request.user, attended_ids={int(v) for v in raw}
                )
            if call.ok:
                messages.success(request, _("Attendance recorded: %(count)d present.") % {"count": present})
                return redirect(reverse("events:attendance", kwargs={"page_id": event.pk}))
            messages.error(request, call.messages)
            status = 400
    rows = selectors.attendance_list(event)
    if request.GET.get("format") == "csv":
        return _attendance_csv(event, rows)
    return render(
        request,
        "events/attendance.html",
        {
            "event": event,
            "rows": rows,
            "seats": selectors.seats(event),
            "started": timezone.now() >= event.starts_at,
        },
        status=status,
    )


def _attendance_csv(event, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="deltagere-{event.pk}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 only with the byte-order mark
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Name"), _("Organisation"), _("Status"), _("Registered"), _("Attended")])
    for row in rows:
        organisations = ", ".join(m.organisation.name for m in row.user.memberships.all())
        attended = {True: _("Yes"), False: _("No"), None: ""}[row.attended]
        writer.writerow(
            [
                _csv_safe(row.user.get_full_name()),
                _csv_safe(organisations),
                row.get_status_display(),
                timezone.localtime(row.registered_at).strftime("%Y-%m-%d %H:%M"),
                attended,
            ]
        )
    return response


def _csv_safe(text: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet: quote it as text.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


@require_GET
def event_ics(request, page_id: int):
    """The public calendar file of a meeting: what the page says, nothing about who comes."""
    event = _event_or_404(page_id)
    calendar = calendar_new(prodid="-//Samspil//Møder//DA", name=event.title)
    calendar.add_component(
        event_new(
            uid=f"event-{event.pk}@samspil",
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            summary=event.title,
            description=event.intro,
            location=event.location or event.online_url,
            url=absolute_url(event.url),
            created_at=event.first_published_at,
        )
    )
    return ics_response(calendar.to_ical(), filename=f"moede-{event.pk}.ics")


@login_required
@never_cache
@require_POST
def review_from_event(request, page_id: int):
    event = _event_or_404(page_id)
    with service_call() as call:
        review = services.review_from_event(event=event, actor=request.user)
    if not call.ok:
        messages.error(request, call.messages)
        return redirect(reverse("events:attendance", kwargs={"page_id": event.pk}))
    return redirect(reverse("wagtailadmin_pages:edit", args=(review.pk,)))
