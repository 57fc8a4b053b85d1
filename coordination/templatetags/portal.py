from django import template

from coordination.lib.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount):
    """Render an integer amount of đồng, e.g. `1.500.000 ₫`."""
    if amount is None or amount == "":
        return ""
    return format_vnd(int(amount))


@register.simple_tag(takes_context=True)
def page_links(context, slot, obj=None, follower=False):
    """The links the installed features add to a slot of a core page (coordination/lib/links.py);
    `follower=True` on the card of a child the person follows as a family viewer."""
    from coordination.lib.links import links_for

    return links_for(slot, context["request"].user, obj, follower=follower)


@register.simple_tag(takes_context=True)
def page_panels(context, slot, obj=None):
    """The blocks the installed features add to a slot of a core page (coordination/lib/panels.py)."""
    from django.utils.safestring import mark_safe

    from coordination.lib.panels import panels_for

    # Each fragment comes from a feature's own template, which escaped what it shows.
    return mark_safe("\n".join(panels_for(slot, context["request"], obj)))  # noqa: S308
