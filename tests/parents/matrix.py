"""Who may confirm, question and decide about guardianships, and who may invite, accept and revoke
family viewers (merged into tests/test_authorization_matrix.py).

The objects: the teacher of Lá 1 claimed a code for Khôi (the parent's child in that class), which
makes a pending guardianship for the school's leaders to confirm; a new guardian of Khôi,
"Đoàn Văn Lạ", whom the parent is asked about; the grandmother who follows Khôi (the persona
`family_viewer`), and an open invitation the parent made for Khôi's aunt.
"""

from __future__ import annotations

from tests import factories as f
from tests.conftest import PERSONAS, World
from tests.matrix_kit import READ_ONLY, Entry, expect

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


def _grandmother(w: World):
    """The row by which the persona family_viewer follows Khôi."""
    from parents.models import FamilyViewer

    return FamilyViewer.objects.get(child=w.child, viewer=w.family_viewer)


def _open_invitation(w: World):
    """A link the parent made for Khôi's aunt, not yet accepted."""
    return f.FamilyViewerFactory(
        child=w.child, viewer=None, accepted_at=None, name="Cô Mai", relationship="Cô ruột", invited_by=w.parent
    )


def _viewers_of_child(w: World) -> list:
    from parents.models import FamilyViewer

    return list(
        FamilyViewer.objects.filter(child=w.child)
        .order_by("pk")
        .values_list("pk", "name", "viewer_id", "accepted_at", "revoked_at")
    )


# Everyone signed in may accept a link they were given, but a guardian of the child, and someone
# who follows the child already; an inactive account is not signed in.
ACCEPTERS = frozenset(PERSONAS) - {"anonymous", "parent", "family_viewer"}


MATRIX: dict[str, Entry | list[Entry]] = {
    # --- Family viewers
    # The child's guardians see who follows the child, and invite someone new.
    "children/<int:child_id>/family-viewers/": [
        Entry(lambda w: f"/children/{w.child.pk}/family-viewers/", expect(parent=200), shows="Nguyễn Thị Bà"),
        Entry(
            lambda w: f"/children/{w.child.pk}/family-viewers/",
            expect(parent="redirect"),
            method="post",
            data=lambda w: {"name": "Cô Mai", "relationship": "Cô ruột ở Nhật", "send_to": ""},
            effect=_viewers_of_child,
        ),
    ],
    # A guardian revokes a viewer; the viewer may stop following. Nobody else.
    "family-viewers/<int:viewer_id>/revoke/": Entry(
        lambda w: f"/family-viewers/{_grandmother(w).pk}/revoke/",
        expect(parent="redirect", family_viewer="redirect"),
        method="post",
        effect=_viewers_of_child,
    ),
    # The invitation's link: whoever holds it signs in and sees it (a guardian of the child is told
    # they cannot follow as a viewer); before signing in, nothing about the child. A malformed or
    # unknown token is a 404 to everyone signed in.
    "follow/<str:token>/": [
        Entry(
            lambda w: f"/follow/{_open_invitation(w).token}/",
            expect(anonymous=200, others=200),
            shows=dict.fromkeys(ACCEPTERS, "Khôi"),
        ),
        Entry(
            lambda w: f"/follow/{_open_invitation(w).token}/",
            expect(anonymous=200, others="redirect"),
            method="post",
            effect=_viewers_of_child,
            changes_for=ACCEPTERS,
        ),
        Entry("/follow/not-a-token!/", expect(anonymous=404)),
        Entry("/follow/" + "A" * 43 + "/", expect(anonymous=200)),
    ],
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


ADMIN_MODELS = {
    # Read-only for the school's leaders (revoked with an action, through the service); never added here.
    "parents/familyviewer": (READ_ONLY, _grandmother),
}
