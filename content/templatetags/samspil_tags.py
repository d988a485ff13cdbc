from django import template

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
