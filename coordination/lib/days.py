"""Days as moments: a report's period is days in the schools' time zone, the rows hold aware datetimes."""

from __future__ import annotations

import datetime

from django.utils import timezone


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of a day in the schools' time zone (Asia/Ho_Chi_Minh)."""
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_default_timezone())


def days_between(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The moments of the days start..end (both included): filter with `__gte` the first, `__lt` the second."""
    return day_start(start), day_start(end + datetime.timedelta(days=1))
