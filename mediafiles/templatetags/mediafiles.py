from django import template

from mediafiles import ffmpeg, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def school_media_storage(context, school):
    """The school's storage figure for the person viewing the page (None when not theirs to see)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return selectors.school_media_storage(user=user, school=school)


@register.simple_tag
def media_renditions_possible() -> bool:
    """Whether videos get a rendition here; without ffmpeg they are shown as uploaded."""
    return ffmpeg.renditions_possible()
