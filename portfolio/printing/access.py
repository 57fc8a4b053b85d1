"""Who may print label sheets and ask for, follow and download albums and summaries.

PROVISIONAL: these stand in for the portfolio's own policies (portfolio.policies), which
arrive separately. When they do, each function here becomes a call to its counterpart there:

    can_print_labels(user, classroom)  -> the staff rule for a class's works
    family_access_open(child)          -> portfolio.policies.family_access_open(child)
    family_access_ends(child)          -> the end of the after-leaving period
    can_have_albums(user, child)       -> guardians (and former ones during the period)

Everything in portfolio.printing, portfolio.views_printing and portfolio.tasks asks here and
nowhere else, so switching is a change to this module only.
"""

from __future__ import annotations

import calendar
import datetime

from parents.policies import is_guardian_of
from schools.models import Child, Classroom, school_today
from schools.policies import can_view_classroom


def can_print_labels(user, classroom: Classroom) -> bool:
    """The class's teachers and the school's leaders: they record the class's works."""
    return bool(getattr(user, "is_authenticated", False)) and can_view_classroom(user, classroom)


def _months_later(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def family_access_ends(child: Child) -> datetime.date | None:
    """The last day the family may open the portfolio of a child who left; None while the child attends."""
    if child.left_on is None:
        return None
    return _months_later(child.left_on, child.school.portfolio_access_months)


def family_access_open(child: Child, *, today: datetime.date | None = None) -> bool:
    """While the child attends the school, and for School.portfolio_access_months after Child.left_on."""
    ends = family_access_ends(child)
    return ends is None or (today or school_today()) <= ends


def can_have_albums(user, child: Child) -> bool:
    """The child's guardians ask for albums and download them, and the guardians of a child who left
    keep that during the after-leaving period. Family viewers do not: an album is a copy of the
    child's photos that leaves the portal, which is the guardians' decision; viewers follow the
    portfolio in the portal."""
    return is_guardian_of(user, child) and family_access_open(child)


def can_make_summary(user, child: Child) -> bool:
    """The "ready for school" summary is the guardians' (the same people as albums)."""
    return can_have_albums(user, child)
