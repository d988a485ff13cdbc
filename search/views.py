"""The public search page, the JSON search API and the header's autocomplete.

All three ask ``search.backends`` and render the same ``SearchResult``; none
of them knows which page models exist. Any input up to ``MAX_QUERY_LENGTH``
characters answers 200 (cleaned in ``SearchRequest.from_params``); a longer
query answers 400 with a Danish message: the search box takes no more, so only
a pasted URL or a script sends it, and it is refused before any backend runs.
"""

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from search import backends
from search.query import MAX_QUERY_LENGTH, SearchRequest

# The page speaks Danish in its URLs, like the section pages (``?speciale=``).
PAGE_PARAMS = {"sector": "sektor", "specialty": "speciale", "topic": "emne", "page": "side"}
FACET_PARAMS = {"type": "type", "sector": "sektor", "specialty": "speciale", "topic": "emne"}


def _query_too_long(request) -> str:
    """The Danish message for an over-long ``q``, or "" when it is short enough."""
    query = str(request.GET.get("q", "") or "").replace("\x00", "").strip()
    if len(query) <= MAX_QUERY_LENGTH:
        return ""
    return _("Your search is too long. Please use at most %(n)d characters.") % {"n": MAX_QUERY_LENGTH}


def _json_too_long(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400, json_dumps_params={"ensure_ascii": False})


@require_safe
def search(request):
    if message := _query_too_long(request):
        return render(request, "400.html", {"message": message}, status=400)
    search_request = SearchRequest.from_params(request.GET, names=PAGE_PARAMS)
    result = backends.search(search_request) if search_request.query else None
    facets = []
    if result is not None:
        headings = {
            "type": _("Type"),
            "sector": _("Sector"),
            "specialty": _("Specialty"),
            "topic": _("Topic or symptom"),
        }
        facets = [
            {"heading": headings[name], "param": FACET_PARAMS[name], "values": values}
            for name, values in result.facets.items()
            if values
        ]
    return render(
        request,
        "search/search.html",
        {
            "search_query": search_request.query,
            "search_request": search_request,
            "result": result,
            "facets": facets,
            "chosen_filters": bool(search_request.filters()),
            "notice": search_request.notice if result is None else result.notice,
            "max_query_length": MAX_QUERY_LENGTH,
        },
    )


@require_safe
def search_api(request):
    """``GET /api/v1/search?q=&type=&sector=&specialty=&topic=&page=`` as JSON."""
    if message := _query_too_long(request):
        return _json_too_long(message)
    search_request = SearchRequest.from_params(request.GET)
    result = backends.search(search_request)
    return JsonResponse(result.as_json(), json_dumps_params={"ensure_ascii": False})


@require_safe
def autocomplete_api(request):
    """Titles for the header search box while typing; an empty list for short input."""
    if message := _query_too_long(request):
        return _json_too_long(message)
    text = str(request.GET.get("q", "")).replace("\x00", "")[:100].strip()
    suggestions = backends.autocomplete(text) if len(text) >= 2 else []
    return JsonResponse(
        {"query": text, "suggestions": suggestions}, json_dumps_params={"ensure_ascii": False}
    )


def search_redirect(request):
    """``/search/`` is the English alias of ``/soeg/``."""
    target = "/soeg/"
    if request.META.get("QUERY_STRING"):
        target += "?" + request.META["QUERY_STRING"]
    return redirect(target, permanent=True)
