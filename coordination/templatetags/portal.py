import functools

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


@register.simple_tag
def fixed_url(name):
    """`{% url name %}` for a URL without arguments, reversed once per process instead of on every page
    (the site's header has ten of them; reversing is most of what rendering it costs)."""
    from django.conf import settings
    from django.urls import get_script_prefix, get_urlconf

    return _fixed_url(name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@functools.lru_cache(maxsize=256)
def _fixed_url(name, urlconf, prefix):
    from django.urls import reverse

    return reverse(name, urlconf=urlconf)


@register.simple_tag
def offline_notes():
    """The hidden "you are offline, shown as of …" notes of a page the service worker may keep
    (coordination/lib/offline.py). They change once a minute: rendered once per minute and language,
    not on every page a family opens."""
    from django.utils import timezone
    from django.utils.translation import get_language

    # The wall-clock minute where the person is: the notes' text depends on nothing else.
    minute = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
    return _offline_notes(get_language(), minute)


@functools.lru_cache(maxsize=64)
def _offline_notes(language, minute):
    from django.template.loader import render_to_string
    from django.utils.dateformat import format as date_format

    return render_to_string("offline_notes.html", {"shown_at": date_format(minute, "H:i, d/m/Y")})
