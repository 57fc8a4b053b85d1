from django import template

from coordination.lib.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount):
    """Render an integer amount of đồng, e.g. `1.500.000 ₫`."""
    if amount is None or amount == "":
        return ""
    return format_vnd(int(amount))
