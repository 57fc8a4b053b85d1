"""Who may see and do what with a school's report and its submitted term reports. Every view, selector,
service, admin page and export asks here.

- A school's leaders (principal, vice-principal) read the school's report for any period, export it and
  submit a term report to the school's commune-level authority; they read its history and comment on it.
- The officers of the authority it was submitted to read it (every count of 1 to 4 shown as "< 5"),
  acknowledge it and comment on it. The officers of that authority's province read it too, nothing more.
- Nobody else sees anything: teachers, staff, families, other schools and other areas.
"""

from __future__ import annotations

from schools.policies import access_for, is_leader_of


def can_view_school_report(user, school_id: int) -> bool:
    return is_leader_of(user, school_id)


def can_submit(user, school_id: int) -> bool:
    return is_leader_of(user, school_id)


def is_school_side(user, submission) -> bool:
    """The school's own leaders: they read their figures as they are, unsuppressed."""
    return is_leader_of(user, submission.school_id)


def is_receiving_officer(user, submission) -> bool:
    """An officer of the commune-level authority the report was submitted to."""
    return submission.authority_id in access_for(user).authority_ids


def is_province_officer(user, submission) -> bool:
    """An officer of the province the receiving authority belongs to (reads only)."""
    province_id = submission.authority.province_id
    return province_id is not None and province_id in access_for(user).authority_ids


def reads_as_officer(user, submission) -> bool:
    return not is_school_side(user, submission) and (
        is_receiving_officer(user, submission) or is_province_officer(user, submission)
    )


def can_view_submission(user, submission) -> bool:
    return is_school_side(user, submission) or reads_as_officer(user, submission)


def can_acknowledge(user, submission) -> bool:
    return is_receiving_officer(user, submission)


def can_comment(user, submission) -> bool:
    """The receiving officers, and the school's leaders answering them."""
    return is_receiving_officer(user, submission) or is_school_side(user, submission)


def can_resubmit(user, submission) -> bool:
    return can_submit(user, submission.school_id) and not submission.is_acknowledged


def officer_authority_ids(user) -> frozenset[int]:
    """The authorities a person serves (their own posts; a province's officer also reads its communes)."""
    return access_for(user).authority_ids


def reads_submissions(user) -> bool:
    return bool(access_for(user).authority_ids)
