"""Reads for notifications, always scoped to the person asking."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from coordination.lib import percache
from notifications.caching import KIND
from notifications.models import Notice, Preference


def notices_for(*, user) -> QuerySet[Notice]:
    """The person's own notices, newest first."""
    return Notice.objects.filter(recipient=user).select_related("school").order_by("-created_at", "-pk")


def notices_unread_count(*, user) -> int:
    """The bell's figure, asked on every page. Plain SQL: through the ORM, building this one-line
    COUNT cost several times more than running it (BENCHMARKS.md, Home activities). Kept between
    requests until a notice of the person's changes (notifications/caching.py)."""

    def count() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {Notice._meta.db_table} WHERE recipient_id = %s AND read_at IS NULL",  # noqa: S608
                [user.pk],
            )
            return cursor.fetchone()[0]

    return percache.remember(KIND, user.pk, count)


def preference_for(*, user) -> Preference:
    """The person's choices; the defaults (not saved) if they never changed anything."""
    preference = Preference.objects.filter(user=user).first()
    return preference or Preference(user=user)
