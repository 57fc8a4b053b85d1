"""The school calendar: which days are working days for a school.

A day is a working day unless it is
- a Saturday or a Sunday;
- a national public holiday of Vietnam (the `holidays` package: New Year, the Tết days of the lunar
  calendar, the Hùng Kings' day, 30 April, 1 May, National Day, and the days the government moves);
- a day off that the school adds (SchoolDaysOff), or that its authority or its authority's province
  adds (AuthorityDaysOff): the Tết break is decided each year.

Periods the rules count in working days (a donation plan published for comment for 15 working days)
are counted here. Each function reads the days off of the period asked in one query.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays
from django.db.models import Q
from django.utils.translation import get_language

from schools.models import AuthorityDaysOff, School, SchoolDaysOff

ONE_DAY = datetime.timedelta(days=1)
WEEKEND = (5, 6)  # Saturday, Sunday


@lru_cache(maxsize=64)
def _national(year: int, language: str) -> dict[datetime.date, str]:
    return dict(holidays.country_holidays("VN", years=year, language=language).items())


def national_holidays(year: int) -> dict[datetime.date, str]:
    """Vietnam's public holidays of a year, named in the reader's language (Vietnamese or English)."""
    language = "vi" if (get_language() or "vi").startswith("vi") else "en_US"
    return _national(year, language)


def _authority_ids(school: School) -> list[int]:
    authority = school.authority
    ids = [authority.pk]
    if authority.province_id:
        ids.append(authority.province_id)
    return ids


def days_off(school: School, start: datetime.date, end: datetime.date) -> dict[datetime.date, str]:
    """The days between `start` and `end` (both included) that are not working days for the school
    and are not weekends, with their reasons: national holidays and added days off (one query)."""
    found: dict[datetime.date, str] = {}
    for year in range(start.year, end.year + 1):
        for day, name in national_holidays(year).items():
            if start <= day <= end:
                found[day] = name
    overlapping = Q(starts_on__lte=end, ends_on__gte=start)
    school_rows = (
        SchoolDaysOff.objects.filter(overlapping, school=school).order_by().values_list("starts_on", "ends_on", "name")
    )
    # No ordering: SQLite refuses ORDER BY inside a UNION's parts.
    authority_rows = (
        AuthorityDaysOff.objects.filter(overlapping, authority_id__in=_authority_ids(school))
        .order_by()
        .values_list("starts_on", "ends_on", "name")
    )
    for first, last, name in school_rows.union(authority_rows, all=True):
        day = max(first, start)
        while day <= min(last, end):
            found.setdefault(day, name)
            day += ONE_DAY
    return found


def is_working_day(school: School, day: datetime.date) -> bool:
    return day.weekday() not in WEEKEND and day not in days_off(school, day, day)


def _window(count: int) -> datetime.timedelta:
    # Room for weekends, Tết and a long break; extended when more is needed.
    return datetime.timedelta(days=count * 2 + 45)


def add_working_days(school: School, start: datetime.date, count: int) -> datetime.date:
    """The `count`-th working day after `start` (not counting `start` itself).

    A plan published on Monday 2 March 2026 for 15 working days may be collected for from the day after
    add_working_days(school, 2 March, 15)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    window_start, window_end = start + ONE_DAY, start + _window(count)
    closed = days_off(school, window_start, window_end)
    day, counted = start, 0
    while True:
        day += ONE_DAY
        if day > window_end:
            window_start, window_end = day, day + _window(count - counted)
            closed = days_off(school, window_start, window_end)
        if day.weekday() in WEEKEND or day in closed:
            continue
        counted += 1
        if counted == count:
            return day


def working_days_between(school: School, start: datetime.date, end: datetime.date) -> int:
    """The working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
    if end <= start:
        return 0
    closed = days_off(school, start + ONE_DAY, end)
    count, day = 0, start + ONE_DAY
    while day <= end:
        if day.weekday() not in WEEKEND and day not in closed:
            count += 1
        day += ONE_DAY
    return count
