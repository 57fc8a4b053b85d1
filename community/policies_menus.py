"""Who may see and change a school's menus. Every menus view and selector asks here.

- The kitchen staff and the school's leaders write the menus, the foods' prices and values, and
  publish; the leaders also set the nutrition targets and the daily meal fee.
- The daily view (the day's dishes with the dietary flags) is for the kitchen, the leaders, the nurse
  and the teachers (a teacher: the classes they teach).
- Families see the published menus of their children's age groups.
Everyone else is told the school's menus do not exist (404).
"""

from __future__ import annotations

from schools.models import LEADER_ROLES, StaffRole
from schools.policies import access_for, role_at

MENU_WRITERS = LEADER_ROLES | {StaffRole.KITCHEN}
DAILY_VIEWERS = MENU_WRITERS | {StaffRole.NURSE, StaffRole.TEACHER}


def can_write_menus(user, school_id: int) -> bool:
    return role_at(user, school_id) in MENU_WRITERS


def can_set_menu_targets(user, school_id: int) -> bool:
    return role_at(user, school_id) in LEADER_ROLES


def can_view_daily_menu(user, school_id: int) -> bool:
    return role_at(user, school_id) in DAILY_VIEWERS


def daily_classroom_ids(user, school_id: int) -> frozenset[int] | None:
    """The classes whose flags the person sees on the daily view: None for all of the school's."""
    if role_at(user, school_id) == StaffRole.TEACHER:
        return access_for(user).taught_classroom_ids
    return None


def is_kitchen_staff(user, _obj=None) -> bool:
    """The top menu asks on every page: the roles are already read (no query)."""
    return StaffRole.KITCHEN in access_for(user).roles_by_school.values()


def menu_writer_school_ids(user) -> set[int]:
    return access_for(user).schools_with(MENU_WRITERS)
