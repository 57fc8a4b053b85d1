"""What activities do when something happens elsewhere. Thin: each calls a service."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def activity_media_processed(sender, media, **kwargs) -> None:
    """A video or photo is READY or FAILED: the activities waiting for it are published or held back."""
    from activities import services

    for activity in services.activity_media_settle(media=media):
        logger.info("activity %s is now %s (media %s is %s)", activity.pk, activity.state, media.pk, media.state)
