"""A request's legal deadlines, from the school's calendar and the settings.

Acknowledged within PRIVACY_ACKNOWLEDGE_WORKING_DAYS working days (the school's calendar: weekends, the
national public holidays and the days off the school added), completed within PRIVACY_COMPLETE_DAYS
calendar days, extended once by at most PRIVACY_EXTENSION_DAYS. Settings, because the legal reading may
change; the days count from the day after the request arrived, in the schools' time zone.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from schools.calendar import add_working_days


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def request_deadlines(*, school, received_at: datetime.datetime) -> tuple[datetime.date, datetime.date]:
    """(acknowledge by, complete by) for a request received at `received_at`."""
    day = local_day(received_at)
    acknowledge_by = add_working_days(school, day, settings.PRIVACY_ACKNOWLEDGE_WORKING_DAYS)
    complete_by = day + datetime.timedelta(days=settings.PRIVACY_COMPLETE_DAYS)
    return acknowledge_by, complete_by


def extension_limit(complete_by: datetime.date) -> datetime.date:
    """The latest date the one extension may set."""
    return complete_by + datetime.timedelta(days=settings.PRIVACY_EXTENSION_DAYS)
