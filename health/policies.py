"""Who may see and do what with children's health data.

- See a child's health record (measurements, chart, check-ups, allergies, plans): the child's
  guardians (their right of access), the school's nurse, the child's class teachers and the school's
  principal and vice-principal. Nobody else: no family viewer, accountant, kitchen staff, other
  teacher, officer or superuser through these pages.
- Enter measurements for a class (the measuring grid): the nurse, the leaders and the class's teachers.
- Manage the school's health work (check-ups, follow-up plans, notes to families, allergies, imports
  and exports, the summary and the follow-up list): the nurse and the leaders.
- Read the log of staff reads: the leaders, for the whole school; guardians, for their own child.
- Authorities see only aggregated counts, with counts from 1 to 4 suppressed (`suppress`).

Every staff read of a child's record is logged (`health.services.health_reads_log`).
"""

from __future__ import annotations

from coordination.lib import disclosure
from parents.policies import is_guardian_of
from schools.models import LEADER_ROLES, Child, Classroom, StaffRole
from schools.policies import access_for, role_at

HEALTH_STAFF = LEADER_ROLES | {StaffRole.NURSE}


def is_health_staff(user, school_id: int) -> bool:
    """The nurse and the leaders: the school's health work is theirs."""
    return role_at(user, school_id) in HEALTH_STAFF


def staff_can_view_health(user, child: Child) -> bool:
    """The nurse, the leaders and the teachers of the child's current class."""
    role = role_at(user, child.school_id)
    if role in HEALTH_STAFF:
        return True
    return role == StaffRole.TEACHER and child.classroom_id in access_for(user).taught_classroom_ids


def can_view_health(user, child: Child) -> bool:
    return is_guardian_of(user, child) or staff_can_view_health(user, child)


def can_measure_classroom(user, classroom: Classroom) -> bool:
    """Measuring day: the nurse, the leaders and the class's own teachers enter a class's measurements."""
    role = role_at(user, classroom.school_id)
    if role in HEALTH_STAFF:
        return True
    return role == StaffRole.TEACHER and classroom.pk in access_for(user).taught_classroom_ids


def can_manage_health(user, school_id: int) -> bool:
    return is_health_staff(user, school_id)


def can_read_health_log(user, school_id: int) -> bool:
    return role_at(user, school_id) in LEADER_ROLES


def health_school_ids(user) -> set[int]:
    """The schools where this person does the health work (nurse or leader)."""
    return access_for(user).schools_with(HEALTH_STAFF)


SUPPRESSED = disclosure.SUPPRESSED


def suppress(count: int) -> int | str:
    """A count shown outside the school on its own: 1 to 4 would point at children, so it is shown as "< 5".
    A table of counts with totals goes through `coordination.lib.disclosure.protect` instead."""
    return disclosure.small(count)
