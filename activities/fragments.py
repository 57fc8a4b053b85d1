"""The feed's activity cards, rendered once per activity and language and then reused.

A card (title, domain, date, players, the start of the instructions) is the same for
every family of the class, so it is kept in the cache under a key that changes
whenever anything shown on it changes; only the family's own marks (opened,
answered, sticker) are rendered for each request. This keeps a phone's feed cheap
to serve (see BENCHMARKS.md, "Home activities").
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from mediafiles.models import MediaFile

CARD_TEMPLATE = "activities/_feed_card.html"
CARD_SECONDS = 24 * 3600


def card_key(activity, *, language: str) -> str:
    """Changes with anything the card shows: its texts, its date, and which video, recording or photo it plays
    (a published activity's files are ready and never change; a deleted one changes the id)."""
    photo = getattr(activity, "first_photo", None)
    shown = [
        activity.title,
        activity.instructions,
        activity.domain,
        str(activity.answer_by),
        activity.published_at.isoformat() if activity.published_at else "",
        str(activity.video_id or ""),
        str(activity.voice_id or ""),
        str(photo.media_id if photo else ""),
    ]
    digest = hashlib.blake2b("\x1f".join(shown).encode(), digest_size=12).hexdigest()
    return f"activities:card:{activity.pk}:{language}:{digest}"


def card_forget(activity) -> None:
    """Drop the activity's cards in every language: for a change the key cannot see (its files' captions)."""
    cache.delete_many([card_key(activity, language=code) for code, _name in settings.LANGUAGES])


def _load_media(activities) -> None:
    """The videos, voice instructions and first photos of the cards to render, in one query."""
    wanted = {a.video_id for a in activities if a.video_id}
    wanted |= {a.voice_id for a in activities if a.voice_id}
    wanted |= {a.first_photo.media_id for a in activities if getattr(a, "first_photo", None)}
    files = MediaFile.objects.filter(school_id__in={a.school_id for a in activities}).in_bulk(list(wanted))
    for activity in activities:
        activity.card_video = files.get(activity.video_id)
        activity.card_voice = files.get(activity.voice_id)
        photo = getattr(activity, "first_photo", None)
        activity.card_photo = files.get(photo.media_id) if photo else None


def feed_cards(activities, *, language: str) -> None:
    """Give each activity its rendered card (`activity.card`): one cache read for the page, and a
    render only for the cards not there yet."""
    keys = {activity.pk: card_key(activity, language=language) for activity in activities}
    found = cache.get_many(list(keys.values())) if keys else {}
    to_render = [a for a in activities if keys[a.pk] not in found]
    if to_render:
        _load_media(to_render)
    missing = {}
    for activity in activities:
        html = found.get(keys[activity.pk])
        if html is None:
            html = render_to_string(CARD_TEMPLATE, {"a": activity})
            missing[keys[activity.pk]] = html
        activity.card = mark_safe(html)  # noqa: S308 (our own template's output)
    if missing:
        cache.set_many(missing, CARD_SECONDS)
