"""The public search page, the JSON search API and the header's autocomplete.

All three ask ``search.backends`` and render the same ``SearchResult``; none
of them knows which page models exist. Any input answers 200: the request is
cleaned and capped in ``SearchRequest.from_params``, never refused.
"""

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from search import backends
from search.query import MAX_QUERY_LENGTH, SearchRequest

# The page speaks Danish in its URLs, like the section pages (``?speciale=``).
PAGE_PARAMS = {"sector": "sektor", "specialty": "speciale", "topic": "emne", "page": "side"}
FACET_PARAMS = {"type": "type", "sector": "sektor", "specialty": "speciale", "topic": "emne"}


@require_safe
def search(request):
    search_request = SearchRequest.from_params(request.GET, names=PAGE_PARAMS)
    result = backends.search(search_request) if search_request.query else None
    facets = []
    if result is not None:
        from django.utils.translation import gettext as _

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
    search_request = SearchRequest.from_params(request.GET)
    result = backends.search(search_request)
    return JsonResponse(result.as_json(), json_dumps_params={"ensure_ascii": False})


@require_safe
def autocomplete_api(request):
    """Titles for the header search box while typing; an empty list for short input."""
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
