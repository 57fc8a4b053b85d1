"""What activities do when something happens elsewhere. Thin: each calls a service or forgets a cached feed."""

from __future__ import annotations

import logging

from django.db.models import Q

logger = logging.getLogger(__name__)


def activity_media_processed(sender, media, **kwargs) -> None:
    """A video, recording or photo is READY or FAILED: the activities waiting for it are published or held back."""
    from activities import services

    for activity in services.activity_media_settle(media=media):
        logger.info("activity %s is now %s (media %s is %s)", activity.pk, activity.state, media.pk, media.state)


# --- Cached feed pages (activities.feedcache): changes made outside the services, e.g. in the admin.


def _forget_classes_of(activity_ids) -> None:
    from activities import feedcache
    from activities.models import ActivityClassroom

    classroom_ids = ActivityClassroom.objects.filter(activity_id__in=list(activity_ids)).values_list(
        "classroom_id", flat=True
    )
    feedcache.feed_forget(classroom_ids=list(classroom_ids))


def activity_changed(sender, instance, **kwargs) -> None:
    """Saved (a principal fixed a text in the admin) or about to be deleted."""
    if instance.pk:
        _forget_classes_of([instance.pk])


def answer_changed(sender, instance, **kwargs) -> None:
    from activities import feedcache

    feedcache.feed_forget(child_ids=[instance.child_id])


def link_changed(sender, instance, **kwargs) -> None:
    from activities import feedcache

    feedcache.feed_forget(classroom_ids=[instance.classroom_id])


def media_deleting(sender, instance, **kwargs) -> None:
    """A video, recording or photo goes: the feeds that show it are rendered again."""
    from activities.models import Activity

    used = Activity.objects.filter(
        Q(video_id=instance.pk) | Q(voice_id=instance.pk) | Q(photos__media_id=instance.pk)
    ).values_list("pk", flat=True)
    ids = list(used)
    if ids:
        _forget_classes_of(ids)
