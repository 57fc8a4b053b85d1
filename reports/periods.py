"""The periods a report covers: calendar months, the two terms and the school year.

Vietnamese kindergartens run the school year from September to May. Figures are kept per calendar
month; the year here runs from August to July so that an early start and the summer still belong to a
year, term I is August to December and term II January to July.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

YEAR_FIRST_MONTH = 8
TERM_TWO_FIRST_MONTH = 1

MONTH, TERM, YEAR = "month", "term", "year"


@dataclass(frozen=True)
class Period:
    kind: str  # month, term or year
    start: datetime.date
    end: datetime.date  # included
    year_start: int  # the calendar year the school year starts in (2026 for 2026–2027)
    term: int = 0  # 1 or 2 for a term, else 0

    @property
    def key(self) -> str:
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == TERM:
            return f"{self.year_start}-t{self.term}"
        return f"{self.year_start}"

    @property
    def year_name(self) -> str:
        return f"{self.year_start}–{self.year_start + 1}"

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return _("%(month)s/%(year)s") % {"month": self.start.month, "year": self.start.year}
        if self.kind == TERM:
            return _("Term %(term)s, %(year)s") % {"term": "I" if self.term == 1 else "II", "year": self.year_name}
        return _("School year %(year)s") % {"year": self.year_name}

    def months(self) -> list[datetime.date]:
        """The first day of every month in the period."""
        found, day = [], self.start.replace(day=1)
        while day <= self.end:
            found.append(day)
            day = (day + datetime.timedelta(days=32)).replace(day=1)
        return found


def _month_end(first: datetime.date) -> datetime.date:
    return (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def year_start_of(day: datetime.date) -> int:
    return day.year if day.month >= YEAR_FIRST_MONTH else day.year - 1


def month_of(day: datetime.date) -> Period:
    first = day.replace(day=1)
    return Period(MONTH, first, _month_end(first), year_start_of(first))


def term_of(day: datetime.date) -> Period:
    year_start = year_start_of(day)
    term = 1 if day.month >= YEAR_FIRST_MONTH else 2
    return term_period(year_start, term)


def term_period(year_start: int, term: int) -> Period:
    if term == 1:
        start = datetime.date(year_start, YEAR_FIRST_MONTH, 1)
        end = datetime.date(year_start, 12, 31)
    else:
        start = datetime.date(year_start + 1, TERM_TWO_FIRST_MONTH, 1)
        end = datetime.date(year_start + 1, YEAR_FIRST_MONTH, 1) - datetime.timedelta(days=1)
    return Period(TERM, start, end, year_start, term)


def year_period(year_start: int) -> Period:
    start = datetime.date(year_start, YEAR_FIRST_MONTH, 1)
    end = datetime.date(year_start + 1, YEAR_FIRST_MONTH, 1) - datetime.timedelta(days=1)
    return Period(YEAR, start, end, year_start)


def parse(key: str) -> Period:
    """A period from its key ("2026-09", "2026-t1", "2026"); ValueError when it is not one."""
    if "-t" in key:
        year, term = key.split("-t")
        if term not in ("1", "2"):
            raise ValueError(key)
        return term_period(int(year), int(term))
    if "-" in key:
        year, month = key.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError(key)
        return month_of(datetime.date(int(year), int(month), 1))
    if key.isdigit() and len(key) == 4:
        return year_period(int(key))
    raise ValueError(key)


def children_of(period: Period) -> list[Period]:
    """A year's terms, a term's months; a month has none."""
    if period.kind == YEAR:
        return [term_period(period.year_start, 1), term_period(period.year_start, 2)]
    if period.kind == TERM:
        return [month_of(first) for first in period.months()]
    return []
