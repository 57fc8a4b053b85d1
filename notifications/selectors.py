"""Reads for notifications, always scoped to the person asking."""

from __future__ import annotations

from django.db.models import QuerySet

from notifications.models import Notice, Preference


def notices_for(*, user) -> QuerySet[Notice]:
    """The person's own notices, newest first."""
    return Notice.objects.filter(recipient=user).select_related("school").order_by("-created_at", "-pk")


def notices_unread_count(*, user) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def preference_for(*, user) -> Preference:
    """The person's choices; the defaults (not saved) if they never changed anything."""
    preference = Preference.objects.filter(user=user).first()
    return preference or Preference(user=user)
