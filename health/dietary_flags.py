"""What a menu page may know of the children's allergies and dietary needs (`coordination.lib.dietary`).

Found by `dietary_flags_discover()` (Django's `autodiscover_modules`), this module registers one
provider when it is imported. The provider answers only "this child (id, given name, class) must avoid
these allergen groups and respects these needs", and only to the people who cook or serve the meals:

- the school's nurse and leaders, and the kitchen staff: every class of the school;
- a teacher: the classes they teach (of those asked for);
- everyone else (families, the accountant, other teachers, other schools, officers): nothing.

Current children only (in a class, not left). Two queries (the allergies, the needs) plus the person's
memberships (read once per request), whatever the number of children.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from coordination.lib.dietary import DietaryFlag, dietary_flags_register
from health.models import Allergy, DietaryNeed
from health.policies import HEALTH_STAFF
from schools.models import StaffRole
from schools.policies import access_for, role_at

WHOLE_SCHOOL_ROLES = frozenset({*HEALTH_STAFF, StaffRole.KITCHEN})


def _classes_for(user, school_id: int, classroom_ids: list[int] | None) -> list[int] | None | bool:
    """The classes this person may be told about: a list, None for the whole school, False for none."""
    role = role_at(user, school_id)
    if role in WHOLE_SCHOOL_ROLES:
        return classroom_ids
    if role == StaffRole.TEACHER:
        taught = access_for(user).taught_classroom_ids
        if classroom_ids is None:
            return sorted(taught) or False
        return [pk for pk in classroom_ids if pk in taught] or False
    return False


def _given_name(full_name: str, nickname: str) -> str:
    return nickname or (full_name.split()[-1] if full_name.split() else "")


def health_dietary_flags(user, school_id: int, classroom_ids: Iterable[int] | None) -> list[DietaryFlag]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return []
    ids = None if classroom_ids is None else [int(pk) for pk in classroom_ids]
    allowed = _classes_for(user, school_id, ids)
    if allowed is False or allowed == []:
        return []
    today = timezone.localdate()
    where = Q(child__school_id=school_id, child__classroom__isnull=False, child__classroom__school_id=school_id) & (
        Q(child__left_on__isnull=True) | Q(child__left_on__gt=today)
    )
    if allowed is not None:
        where &= Q(child__classroom_id__in=allowed)
    columns = ("child_id", "child__full_name", "child__nickname", "child__classroom_id")
    children: dict[int, dict] = {}

    def entry(child_id, full_name, nickname, classroom_id) -> dict:
        return children.setdefault(
            child_id,
            {"name": _given_name(full_name, nickname), "classroom": classroom_id, "avoid": set(), "needs": []},
        )

    for *child, allergen in Allergy.objects.filter(where).values_list(*columns, "allergen"):
        entry(*child)["avoid"].add(allergen)
    for *child, kind, note in DietaryNeed.objects.filter(where).order_by("kind").values_list(*columns, "kind", "note"):
        label = str(DietaryNeed.Kind(kind).label)
        if kind == DietaryNeed.Kind.OTHER and note:
            label = note  # "other": the note is the need itself
        entry(*child)["needs"].append(label)
    return [
        DietaryFlag(
            child_id=child_id,
            given_name=data["name"],
            classroom_id=data["classroom"],
            avoid=frozenset(data["avoid"]),
            needs=tuple(data["needs"]),
        )
        for child_id, data in sorted(children.items(), key=lambda item: (item[1]["classroom"], item[1]["name"]))
    ]


dietary_flags_register(health_dietary_flags)
