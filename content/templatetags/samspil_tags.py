from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, name, value):
    """The current query string with ``name`` set to ``value`` (and back to page 1)."""
    query = context["request"].GET.copy()
    query[name] = value
    if name != "side":
        query.pop("side", None)
    return query.urlencode()


@register.simple_tag(takes_context=True)
def query_without(context, name):
    query = context["request"].GET.copy()
    query.pop(name, None)
    query.pop("side", None)
    return query.urlencode()


@register.simple_tag
def knowledge_sections():
    """The knowledge sections for the main menu (cached; see content.navigation)."""
    from content.navigation import knowledge_sections as sections

    return sections()


@register.simple_tag
def footer_pages():
    """The information pages linked from the footer (cached; see content.navigation)."""
    from content.navigation import footer_pages as pages

    return pages()


@register.simple_tag(takes_context=True)
def page_classification(context, page):
    """A knowledge page's specialties, sectors and topics as (slug, name) pairs, and the address
    of its section to filter by them. Cached (``content.selectors.page_classification``); a
    preview reads its own."""
    from content.selectors import page_classification as cached

    parent = page.get_parent()
    values = cached(page, request=context.get("request"))
    if values is None:
        values = {
            relation: [(v.slug, v.name) for v in getattr(page, relation).all()]
            for relation in ("specialties", "sectors", "topics")
        }
    return {"section_url": parent.url if parent is not None else "", **values}


@register.simple_tag
def breadcrumb_ancestors(page):
    """The page's ancestors from the home page down, without the tree's root.

    Walks ``get_parent()``, which Wagtail's routing has already filled in for every page on the
    way to a served page, so the trail costs no query; ``get_ancestors()`` always asked the
    database. Empty for the home page itself (no trail of one).
    """
    ancestors = []
    depth = getattr(page, "depth", None)  # a view may call something else "page"
    parent = page.get_parent() if depth and depth > 2 else None
    while parent is not None and parent.depth >= 2:
        ancestors.append(parent)
        parent = parent.get_parent() if parent.depth > 2 else None
    return ancestors[::-1]


# What a clinician calls the file, rather than its extension.
_FILE_TYPE_NAMES = {"xlsx": "Excel", "xls": "Excel", "docx": "Word", "doc": "Word", "pptx": "PowerPoint"}


def _file_size(size: int) -> str:
    """``604 bytes``, ``120 kB``, ``1,4 MB``: in the reader's language and number format."""
    from django.utils.formats import number_format
    from django.utils.translation import ngettext

    if size < 1000:
        return ngettext("%(size)d byte", "%(size)d bytes", size) % {"size": size}
    if size < 1000 * 1000:
        return _("%(size)s kB") % {"size": number_format(round(size / 1000))}
    return _("%(size)s MB") % {"size": number_format(round(size / 1_000_000, 1), decimal_pos=1)}


@register.filter
def document_meta(document) -> str:
    """A document's type and size as a reader wants them next to its link: ``PDF, 120 kB``."""
    extension = (document.file_extension or "").lower()
    parts = [_FILE_TYPE_NAMES.get(extension, extension.upper())]
    size = document.get_file_size()  # None when the file is gone from storage: type only
    if size is not None:
        parts.append(_file_size(size))
    return ", ".join(p for p in parts if p)


@register.filter
def weekday_datetime(value):
    """A time one picks, with its weekday: see portal.core.dates."""
    from portal.core.dates import weekday_datetime as in_words

    return in_words(value) if value else ""
