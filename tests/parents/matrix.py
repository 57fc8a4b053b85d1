"""Who may confirm, question and decide about guardianships (merged into tests/test_authorization_matrix.py).

The objects: the teacher of Lá 1 claimed a code for Khôi (the parent's child in that class), which
makes a pending guardianship for the school's leaders to confirm; and a new guardian of Khôi,
"Đoàn Văn Lạ", whom the parent is asked about.
"""

from __future__ import annotations

from tests import factories as f
from tests.conftest import World
from tests.matrix_kit import Entry, expect

STRANGER = "Đoàn Văn Lạ"


def _teacher_claim(w: World):
    """The teacher's claim on a child of their class, waiting for confirmation."""
    from parents.models import Guardianship

    return f.GuardianshipFactory(
        child=w.child, guardian=w.teacher, relationship="father", is_primary=False, status=Guardianship.Status.PENDING
    )


def _teacher_claim_status(w: World) -> list:
    from parents.models import Guardianship

    return list(Guardianship.objects.filter(child=w.child, guardian=w.teacher).values_list("status", "confirmed_by"))


def _new_guardian(w: World):
    """A new, active guardian of the parent's child, whom the parent may not know."""
    return f.GuardianshipFactory(
        child=w.child, guardian=f.UserFactory(full_name=STRANGER), relationship="father", is_primary=False
    )


def _new_guardian_status(w: World) -> list:
    from parents.models import Guardianship

    return list(
        Guardianship.objects.filter(child=w.child, guardian__full_name=STRANGER).values_list("status", "disputed_by")
    )


def _child_name(w: World) -> str:
    return w.child.full_name


MATRIX: dict[str, Entry | list[Entry]] = {
    # The leaders' list; a teacher sees it only when they are the one to decide (no other leader).
    "schools/<slug:slug>/manage/guardians/": Entry(
        lambda w: _teacher_claim(w) and f"/schools/{w.school.slug}/manage/guardians/",
        expect(leaders=200, superuser=200),
        shows=_child_name,
    ),
    # Confirming: the leaders (or a superuser) yes; the claimant is told no and nothing changes.
    "guardianships/<int:guardianship_id>/decide/": Entry(
        lambda w: f"/guardianships/{_teacher_claim(w).pk}/decide/",
        expect(leaders="redirect", superuser="redirect", teacher="redirect"),
        method="post",
        data=lambda w: {"decision": "confirm"},
        effect=_teacher_claim_status,
        changes_for=frozenset({"principal", "vice_principal", "superuser"}),
    ),
    # "Do you know this person?": only the child's other guardians.
    "guardianships/<int:guardianship_id>/check/": [
        Entry(lambda w: f"/guardianships/{_new_guardian(w).pk}/check/", expect(parent=200), shows=STRANGER),
        Entry(
            lambda w: f"/guardianships/{_new_guardian(w).pk}/check/",
            expect(parent="redirect"),
            method="post",
            data=lambda w: {"answer": "unknown"},
            effect=_new_guardian_status,
        ),
    ],
}
