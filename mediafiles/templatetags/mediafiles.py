from django import template
from django.conf import settings

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


# What a photo input offers: the formats taken in, HEIC from iPhones included.
IMAGE_ACCEPT = "image/jpeg,image/png,image/webp,image/gif,image/heic,image/heif,.heic,.heif"


@register.simple_tag
def media_image_types() -> str:
    """The `accept` list of a photo input."""
    return IMAGE_ACCEPT


@register.simple_tag
def media_audio_max_seconds() -> int:
    """The longest sound recording taken in (the recorder stops there by itself)."""
    return settings.MEDIA_AUDIO_MAX_SECONDS
