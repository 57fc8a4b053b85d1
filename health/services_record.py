"""Writing the parts of a child's health record kept on the record page: notes, allergies, dietary needs.

Each function checks who asks (`health.policies.can_manage_health`): the nurse and the leaders.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from health.models import Allergy, DietaryNeed, FamilyNote
from health.policies import can_manage_health
from schools.models import Child


def _check(by, child: Child) -> None:
    if not can_manage_health(by, child.school_id):
        raise PermissionDenied


def family_note_write(*, by, child: Child, text: str) -> FamilyNote:
    _check(by, child)
    return FamilyNote.objects.create(school_id=child.school_id, child=child, text=text.strip(), written_by=by)


def allergy_add(*, by, child: Child, allergen: str, severity: str, note: str = "") -> Allergy:
    _check(by, child)
    return Allergy.objects.create(
        school_id=child.school_id, child=child, allergen=allergen, severity=severity, note=note.strip(), recorded_by=by
    )


def allergy_remove(*, by, allergy: Allergy) -> None:
    _check(by, allergy.child)
    allergy.delete()


def dietary_need_add(*, by, child: Child, kind: str, note: str = "") -> DietaryNeed:
    _check(by, child)
    return DietaryNeed.objects.create(
        school_id=child.school_id, child=child, kind=kind, note=note.strip(), recorded_by=by
    )


def dietary_need_remove(*, by, need: DietaryNeed) -> None:
    _check(by, need.child)
    need.delete()
