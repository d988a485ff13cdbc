"""Drop-in hours under /konferencer/drop-in/: publish, the session page, sign up, join, the iCal feed.

The session page and its actions go through ``object_for_user_or_404`` like conferences:
outside the area (superusers included) it is 404. The feed is for calendar programs, which
cannot log in: it is found by a personal random token in the URL, never a user id
(``CalendarFeedToken``), and answers 404 for an unknown token or an area that is not the
token holder's.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts.access import object_for_user_or_404
from portal.accounts.models import HealthCouncilArea, Specialty
from portal.core.ical import ics_response
from portal.core.view_errors import service_call

from . import drop_in_selectors as selectors
from . import drop_in_services as services
from .forms import DropInForm
from .ical import drop_in_feed_ics
from .models import DropInHour
from .selectors import specialist_departments


def drop_in_url(drop_in: DropInHour) -> str:
    return reverse("conferences:drop_in", kwargs={"public_id": drop_in.public_id})


def _drop_in_or_404(request, public_id, perm: str = "conferences.view_dropinhour") -> DropInHour:
    return object_for_user_or_404(
        user=request.user, perm=perm, queryset=selectors.drop_in_for_view(), public_id=public_id
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def drop_in_new(request):
    departments = specialist_departments(request.user)
    if not departments or not request.user.has_perm("conferences.add_dropinhour"):
        raise Http404
    status = 200
    if request.method == "POST":
        form = DropInForm(request.POST, departments=departments)
        if form.is_valid():
            with service_call(form) as call:
                drop_in = services.drop_in_publish(host=request.user, **form.cleaned_data)
            if call.ok:
                messages.success(request, _("Your drop-in hour has been published to the GPs of the area."))
                return redirect(drop_in_url(drop_in))
        status = 400
    else:
        form = DropInForm(departments=departments)
    return render(request, "conferences/drop_in_new.html", {"form": form}, status=status)


@login_required
@never_cache
@require_GET
def drop_in_detail(request, public_id):
    drop_in = _drop_in_or_404(request, public_id)
    attendances = selectors.drop_in_attendances(drop_in)
    drop_in._attendee_ids = {a.gp_id for a in attendances}  # the rule below needs no query
    can_see_attendees = request.user.has_perm("conferences.view_dropinattendance", drop_in)
    mine = next((a for a in attendances if a.gp_id == request.user.pk), None)
    return render(
        request,
        "conferences/drop_in.html",
        {
            "drop_in": drop_in,
            "attendances": attendances if can_see_attendees else None,
            "signed_up": [a for a in attendances if a.signed_up_at] if can_see_attendees else [],
            "joined": [a for a in attendances if a.joined_at] if can_see_attendees else [],
            "mine": mine,
            "can_attend": request.user.has_perm("conferences.attend_dropinhour", drop_in),
            "is_host": drop_in.host_id == request.user.pk,
        },
    )


@login_required
@never_cache
@require_POST
def drop_in_sign_up(request, public_id):
    drop_in = _drop_in_or_404(request, public_id, "conferences.attend_dropinhour")
    with service_call() as call:
        services.drop_in_sign_up(drop_in=drop_in, gp=request.user)
    if call.ok:
        messages.success(request, _("You are signed up. The host can see that you are coming."))
    else:
        messages.error(request, call.messages)
    return redirect(drop_in_url(drop_in))


@login_required
@never_cache
@require_GET
def drop_in_join(request, public_id):
    """Record the GP as there, then send them into the video room.

    A link (GET), not a form: the Content-Security-Policy's ``form-action 'self'`` makes
    browsers refuse a form submission that redirects to another site, and the video room
    is one. Recording is idempotent (the first time counts), so a repeated or prefetched
    GET changes nothing; session cookies are SameSite=Lax, so another site cannot make a
    GP "join" from an image or a background request.
    """
    drop_in = _drop_in_or_404(request, public_id, "conferences.attend_dropinhour")
    with service_call() as call:
        services.drop_in_join(drop_in=drop_in, gp=request.user)
    if not call.ok:
        messages.error(request, call.messages)
        return redirect(drop_in_url(drop_in))
    # An https link checked when it was published; not a user-supplied redirect target.
    return HttpResponseRedirect(drop_in.video_url)


# --- The calendar feed ------------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def calendar_links(request):
    """The user's personal subscription links, one per specialty and area with drop-in hours."""
    if not selectors.feed_area_ids(request.user):
        raise Http404
    if request.method == "POST":
        if request.POST.get("action") == "renew":
            services.calendar_token_renew(user=request.user)
            messages.success(request, _("Your calendar link has been renewed; the old one no longer works."))
        else:
            services.calendar_token_get_or_create(user=request.user)
        return redirect(reverse("conferences:calendar_links"))
    token = selectors.calendar_token_of(request.user)
    feeds = []
    if token is not None:
        for specialty, area in selectors.feed_choices(request.user):
            path = reverse(
                "conferences:drop_in_feed",
                kwargs={"token": token.token, "specialty": specialty.slug, "area": area.slug},
            )
            feeds.append((specialty, area, request.build_absolute_uri(path)))
    return render(request, "conferences/calendar_links.html", {"token": token, "feeds": feeds})


@never_cache
@require_GET
def drop_in_feed(request, token, specialty, area):
    user = selectors.calendar_token_user(token)
    if user is None:
        raise Http404
    specialty = get_object_or_404(Specialty, slug=specialty)
    area = get_object_or_404(HealthCouncilArea, slug=area)
    if area.pk not in selectors.feed_area_ids(user):
        raise Http404
    body = drop_in_feed_ics(
        selectors.drop_in_feed(specialty=specialty, area=area),
        specialty=specialty,
        area=area,
        page_url=lambda d: request.build_absolute_uri(drop_in_url(d)),
    )
    return ics_response(body, filename=f"drop-in-{specialty.slug}-{area.slug}.ics", secret_url=True)
