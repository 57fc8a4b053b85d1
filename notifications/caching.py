"""The bell's unread count (notifications.selectors.notices_unread_count), kept in the cache between
requests.

A person's count is forgotten when a notice of theirs is saved or deleted, and by the services that
create or mark notices with `bulk_create()` or `update()` (notifications/services.py), for exactly the
people whose notices they touched.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from coordination.lib import percache

KIND = "unread"


def forget_unread_of(user_ids) -> None:
    percache.forget(KIND, user_ids)


def _notice_changed(sender, instance, **kwargs):
    forget_unread_of([instance.recipient_id])


def connect() -> None:
    from notifications.models import Notice

    post_save.connect(_notice_changed, sender=Notice, dispatch_uid="notifications.caching.notice_saved")
    post_delete.connect(_notice_changed, sender=Notice, dispatch_uid="notifications.caching.notice_deleted")
    percache.register_filler(KIND, _fill)


def _fill(user) -> None:
    from notifications.selectors import notices_unread_count

    notices_unread_count(user=user)
