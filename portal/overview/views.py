"""Mit overblik, the page everyone lands on after login, and the menu's badge."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.conferences import views as conference_views

from . import selectors


@never_cache
@login_required
@require_GET
def overview(request):
    board = selectors.overview(request.user)
    # The conference lists as the conference dashboard words them (labels looked up once a page).
    conference_rows = conference_views.dashboard_rows(request.user, board.conferences)
    return render(request, "overview/overview.html", {"board": board, "conference_rows": conference_rows})


@never_cache
@login_required
@require_GET
def badge(request):
    """Fetched by static/js/samspil.js after the page has loaded, so no page pays for it."""
    count = selectors.waiting_count(request.user)
    label = ngettext("%(count)d item waits for you", "%(count)d items wait for you", count) % {"count": count}
    return JsonResponse({"count": count, "label": label})
