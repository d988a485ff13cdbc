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
