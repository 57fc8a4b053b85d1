"""Template helpers of home activities."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from activities.models import Sticker

register = template.Library()

# Drawn inline, so that they need no emoji font (cheap phones often lack one); keyed by Sticker value.
STICKER_SHAPES = {
    "star": '<path d="M12 2l3 6.6 7.2.7-5.4 4.8 1.6 7.1L12 17.5 5.6 21.2l1.6-7.1L1.8 9.3 9 8.6z" fill="#f5b301" '
    'stroke="#b37f00" stroke-width=".8"/>',
    "heart": '<path d="M12 21s-7.6-4.7-9.6-9.3C.9 8 3.2 4.3 6.8 4.3c2.1 0 3.6 1.2 5.2 3.1 1.6-1.9 3.1-3.1 5.2-3.1 '
    '3.6 0 5.9 3.7 4.4 7.4C19.6 16.3 12 21 12 21z" fill="#e0245e"/>',
    "thumbs_up": '<path d="M2 10h4v11H2zM8 21V10l5.6-7c1.2-.9 3 .1 2.7 1.7L15.4 9h4.5c1.4 0 2.4 1.4 1.9 2.7l-2.6 7.8'
    'c-.3.9-1.1 1.5-2 1.5z" fill="#2f7fd1"/>',
    "rainbow": '<g fill="none" stroke-width="2.6"><path d="M1.5 19a10.5 10.5 0 0 1 21 0" stroke="#e53935"/>'
    '<path d="M4.3 19a7.7 7.7 0 0 1 15.4 0" stroke="#fb8c00"/><path d="M7.1 19a4.9 4.9 0 0 1 9.8 0" stroke="#43a047"/>'
    '<path d="M9.8 19a2.2 2.2 0 0 1 4.4 0" stroke="#1e88e5"/></g>',
    "sun": '<g stroke="#f08c00" stroke-width="2" stroke-linecap="round"><path d="M12 1.5v3M12 19.5v3M1.5 12h3M19.5 12h3'
    'M4.6 4.6l2.1 2.1M17.3 17.3l2.1 2.1M4.6 19.4l2.1-2.1M17.3 6.7l2.1-2.1"/></g><circle cx="12" cy="12" r="5" '
    'fill="#fbc02d"/>',
}


@register.simple_tag
def sticker(name: str, size: int = 28):
    """{% sticker answer.sticker 36 %}: the sticker as an inline SVG, named for screen readers."""
    shape = STICKER_SHAPES.get(name)
    if shape is None:
        return ""
    label = Sticker(name).label
    return format_html(
        '<svg class="sticker sticker-{}" viewBox="0 0 24 24" width="{}" height="{}" role="img" aria-label="{}">'
        "<title>{}</title>{}</svg>",
        name,
        size,
        size,
        label,
        label,
        mark_safe(shape),  # noqa: S308 (constant shapes above, no user input)
    )
