"""The stays calendar a calendar program subscribes to: found by a secret token in the URL
(``accounts.CalendarFeedToken`` of the ``stays`` feed), no login, 404 for an unknown or renewed
token. It holds what the stay needs and nothing more: who, where, when and the practical notes,
for the user's own stays as trainee or host GP."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from portal.accounts import services as accounts_services
from portal.accounts.models import CalendarFeedToken
from portal.accounts.selectors import calendar_feed_token_of, calendar_feed_user
from portal.core.ical import ics_response

from . import exports, selectors
from .views import _stay_url

FEED = CalendarFeedToken.Feed.STAYS


def _takes_part(user) -> bool:
    return user.has_perm("stays.add_stayneed") or user.has_perm("stays.add_hostoffer")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def calendar_link(request):
    """Create or renew one's link; only trainees and GPs have stays to subscribe to."""
    if not _takes_part(request.user):
        raise Http404
    if request.method == "POST":
        if request.POST.get("action") == "renew":
            accounts_services.calendar_feed_token_renew(user=request.user, feed=FEED)
            messages.success(request, _("Your calendar link has been renewed; the old one no longer works."))
        else:
            accounts_services.calendar_feed_token_get_or_create(user=request.user, feed=FEED)
        return redirect(reverse("stays:calendar_link"))
    token = calendar_feed_token_of(user=request.user, feed=FEED)
    url = request.build_absolute_uri(reverse("stays:feed", kwargs={"token": token.token})) if token else ""
    return render(request, "stays/calendar_link.html", {"token": token, "url": url})


@never_cache
@require_GET
def feed(request, token: str):
    user = calendar_feed_user(token=token, feed=FEED)
    if user is None:
        raise Http404
    body = exports.stays_ics(
        selectors.stays_of_user(user),
        name=_("My focused stays"),
        page_url=lambda stay: request.build_absolute_uri(_stay_url(stay)),
    )
    return ics_response(body, filename="fokuserede-ophold.ics", secret_url=True)
