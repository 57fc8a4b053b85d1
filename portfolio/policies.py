"""Who may record, see and print children's works.

- The staff who may see the child today (`staff_can_view_child`: the school's leaders, the nurse and
  the class's teachers) see the child's works; the class's teachers and the leaders record them.
- The family sees them: the child's active guardians and the family viewers they invited. After the
  child leaves the school the family keeps read-only access for School.portfolio_access_months.
- Photos are shown only while the guardians' consent to portfolio photos stands; voice notes only
  while the consent to voice recordings stands (parents.selectors.consent_granted_child_ids).

Everyone else gets the 404 of something that does not exist.
"""

from __future__ import annotations

import calendar
import datetime

from parents.models import ConsentPurpose
from parents.policies import can_follow_child, is_guardian_of
from schools.models import Child, Classroom, school_today
from schools.policies import can_view_classroom, staff_can_view_child

# --- The family's period after the child leaves ---------------------------------------------------


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


# --- Seeing ------------------------------------------------------------------------------------------


def is_family_of(user, child: Child) -> bool:
    """The child's guardians and invited family viewers, during the family's access."""
    if not getattr(user, "is_authenticated", False):
        return False
    return can_follow_child(user, child) and family_access_open(child)


def can_view_portfolio(user, child: Child) -> bool:
    """The child's works, voice notes and timeline: the family (read-only) and the staff who may see the child."""
    if not getattr(user, "is_authenticated", False):
        return False
    return staff_can_view_child(user, child) or is_family_of(user, child)


def can_view_work(user, work) -> bool:
    return can_view_portfolio(user, work.child)


def is_told_of_replaced_code(user, work) -> bool:
    """Who opening a replaced code is told that the label was replaced: the child's guardians only."""
    return is_guardian_of(user, work.child) and family_access_open(work.child)


# --- Recording ------------------------------------------------------------------------------------


def can_record_works(user, classroom: Classroom) -> bool:
    """The class's teachers and the school's leaders record the class's works."""
    return bool(getattr(user, "is_authenticated", False)) and can_view_classroom(user, classroom)


def can_manage_work(user, work) -> bool:
    """Edit a work, add or remove its photos and voice note, replace its code: those who record the class's works."""
    return can_record_works(user, work.classroom)


def can_print_labels(user, classroom: Classroom) -> bool:
    return can_record_works(user, classroom)


# --- Albums and the summary ------------------------------------------------------------------------


def can_have_albums(user, child: Child) -> bool:
    """The child's guardians ask for albums and download them, and the guardians of a child who left
    keep that during the after-leaving period. Family viewers do not: an album is a copy of the
    child's photos that leaves the portal, which is the guardians' decision; viewers follow the
    portfolio in the portal."""
    return is_guardian_of(user, child) and family_access_open(child)


def can_make_summary(user, child: Child) -> bool:
    """The "ready for school" summary is the guardians' (the same people as albums)."""
    return can_have_albums(user, child)


# --- Consent -------------------------------------------------------------------------------------------

PHOTOS = ConsentPurpose.PORTFOLIO_PHOTOS
VOICE = ConsentPurpose.VOICE_RECORDINGS


def consented_child_ids(child_ids, purpose: str, *, school_ids=None) -> set[int]:
    """Of these children, those whose guardians' consent to the purpose stands (one query); with their
    schools, asked of those schools only."""
    from parents.selectors import consent_granted_child_ids

    return consent_granted_child_ids(child_ids=child_ids, purpose=purpose, school_ids=school_ids)


# --- Downloads -------------------------------------------------------------------------------------------


def can_view_portfolio_media(user, media) -> bool:
    """The mediafiles resolver: a work's photos while the consent to portfolio photos stands, its voice
    note while the consent to voice recordings stands, to those who may see the work."""
    from portfolio import selectors

    found = selectors.work_of_media(media=media)
    if found is None:
        return False
    work, is_voice = found
    if not can_view_work(user, work):
        return False
    purpose = VOICE if is_voice else PHOTOS
    return work.child_id in consented_child_ids([work.child_id], purpose)
