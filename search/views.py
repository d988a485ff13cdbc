"""The public search page.

For now it asks Wagtail's database search backend; the search issue replaces
the query with the project's own index (OpenSearch with a database fallback)
behind the same URL.
"""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from wagtail.models import Page

from content.models import KNOWLEDGE_PAGE_MODELS

MAX_QUERY_LENGTH = 500
PAGE_SIZE = 20


def search(request):
    query = request.GET.get("q", "").replace("\x00", "").strip()
    notice = ""
    if len(query) > MAX_QUERY_LENGTH:
        query = query[:MAX_QUERY_LENGTH]
        notice = _("Your search was shortened to %(n)d characters.") % {"n": MAX_QUERY_LENGTH}
    results = Page.objects.none()
    if query:
        pages = Page.objects.live().public().type(*KNOWLEDGE_PAGE_MODELS).specific()
        results = pages.search(query, operator="or")
    page_obj = Paginator(results, PAGE_SIZE).get_page(request.GET.get("side") or 1)
    return render(
        request,
        "search/search.html",
        {"search_query": query, "results": page_obj, "notice": notice},
    )


def search_redirect(request):
    """``/search/`` is the English alias of ``/soeg/``."""
    target = "/soeg/"
    if request.META.get("QUERY_STRING"):
        target += "?" + request.META["QUERY_STRING"]
    return redirect(target, permanent=True)
