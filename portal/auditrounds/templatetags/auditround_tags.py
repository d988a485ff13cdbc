from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def figure_text(figure) -> str:
    """A proportion as "42,0 % (21/50)", a count as its mean per practice ("12,5")."""
    value = figure.value
    if value is None:
        return "–"
    if figure.measure == "count":
        return number_format(round(value, 1), 1)
    return _("%(percent)s %% (%(numerator)s of %(denominator)s)") % {
        "percent": number_format(round(value, 1), 1),
        "numerator": figure.numerator,
        "denominator": figure.denominator,
    }
