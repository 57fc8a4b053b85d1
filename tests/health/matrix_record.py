"""Health and growth: a child's record, the nurse's changes on it and the read log (merged into
tests/test_authorization_matrix.py).

Khôi's record (Lá 1): his guardian, his class's teacher, the nurse and the leaders see it; the
grandmother who follows him, other families and other staff get a 404. Every staff read is logged,
a guardian's is not (the GET's effect). Only the nurse and the leaders change the record; the change
addresses answer POST only.
"""

from __future__ import annotations

from tests.conftest import World
from tests.matrix_kit import CHILD_VIEWERS, SCHOOL_LEADERS, Entry, expect

HEALTH_STAFF = expect(nurse="redirect", leaders="redirect")
POST_ONLY = expect(others=405)
STAFF_READERS = frozenset({"teacher", "principal", "vice_principal", "nurse"})


def _record(w: World) -> str:
    return f"/health/children/{w.child.pk}/"


def _reads(w: World) -> int:
    from health.models import HealthRead

    return HealthRead.objects.filter(child=w.child).count()


def _notes(w: World) -> int:
    from health.models import FamilyNote

    return FamilyNote.objects.filter(child=w.child).count()


def _allergies(w: World) -> list[str]:
    from health.models import Allergy

    return sorted(Allergy.objects.filter(child=w.child).values_list("allergen", flat=True))


def _needs(w: World) -> list[str]:
    from health.models import DietaryNeed

    return sorted(DietaryNeed.objects.filter(child=w.child).values_list("kind", flat=True))


def _allergy(w: World):
    from health.models import Allergy

    return Allergy.objects.get_or_create(school=w.school, child=w.child, allergen="egg")[0]


def _need(w: World):
    from health.models import DietaryNeed

    return DietaryNeed.objects.get_or_create(school=w.school, child=w.child, kind="no_beef")[0]


def _read(w: World):
    from health.models import HealthRead

    return HealthRead.objects.create(
        school=w.school, child=w.child, reader=w.nurse, reader_name="Y tá Sao Mai", reader_role="nurse", page="record"
    )


MATRIX: dict[str, Entry | list[Entry]] = {
    "health/children/<int:child_id>/": [
        Entry(
            _record,
            CHILD_VIEWERS,
            shows=lambda w: w.child.full_name,
            effect=_reads,
            changes_for=STAFF_READERS,
        ),
        # Linh (Chồi 1): her guardian and her class's teacher, not Khôi's.
        Entry(
            lambda w: f"/health/children/{w.other_class_child.pk}/",
            expect(other_parent=200, other_teacher=200, leaders=200, nurse=200),
            shows=lambda w: w.other_class_child.full_name,
        ),
    ],
    "health/children/<int:child_id>/note/": [
        Entry(
            lambda w: _record(w) + "note/",
            HEALTH_STAFF,
            method="post",
            data=lambda w: {"text": "Bé cần ăn thêm bữa phụ."},
            effect=_notes,
        ),
        Entry(lambda w: _record(w) + "note/", POST_ONLY),
    ],
    "health/children/<int:child_id>/allergies/": [
        Entry(
            lambda w: _record(w) + "allergies/",
            HEALTH_STAFF,
            method="post",
            data=lambda w: {"allergy-allergen": "milk", "allergy-severity": "mild"},
            effect=_allergies,
        ),
        Entry(lambda w: _record(w) + "allergies/", POST_ONLY),
    ],
    "health/children/<int:child_id>/allergies/<int:allergy_id>/remove/": [
        Entry(
            lambda w: _record(w) + f"allergies/{w.made.pk}/remove/",
            HEALTH_STAFF,
            method="post",
            effect=_allergies,
            setup=_allergy,
        ),
        Entry(lambda w: _record(w) + f"allergies/{w.made.pk}/remove/", POST_ONLY, setup=_allergy),
    ],
    "health/children/<int:child_id>/dietary-needs/": [
        Entry(
            lambda w: _record(w) + "dietary-needs/",
            HEALTH_STAFF,
            method="post",
            data=lambda w: {"dietary-kind": "vegetarian"},
            effect=_needs,
        ),
        Entry(lambda w: _record(w) + "dietary-needs/", POST_ONLY),
    ],
    "health/children/<int:child_id>/dietary-needs/<int:need_id>/remove/": [
        Entry(
            lambda w: _record(w) + f"dietary-needs/{w.made.pk}/remove/",
            HEALTH_STAFF,
            method="post",
            effect=_needs,
            setup=_need,
        ),
        Entry(lambda w: _record(w) + f"dietary-needs/{w.made.pk}/remove/", POST_ONLY, setup=_need),
    ],
    "health/schools/<slug:slug>/reads/": [
        Entry("/health/schools/sao-mai/reads/", SCHOOL_LEADERS, shows="Y tá Sao Mai", setup=_read),
        Entry("/health/schools/hoa-sen/reads/", expect(other_principal=200)),
    ],
}
ADMIN_MODELS: dict = {}
