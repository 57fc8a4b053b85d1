"""Who may use the authorities' library and the commendations (merged into tests/test_authorization_matrix.py).

The objects: an activity the teacher published for Lá 1, offered to (or approved in) the library of Sao
Mai's ward; for copying, an approved activity of a third school of the same ward. The ward's officers and
the province's curate the ward's library; the teachers and leaders of Sao Mai browse it; an officer of
another area (Hoa Sen's ward, another province), Hoa Sen's staff and every family see nothing (404).
"""

from __future__ import annotations

from tests.conftest import World
from tests.matrix_kit import Entry, expect

TITLE = "Gấp thuyền giấy"  # tests/activities/makers.py
CURATORS = expect(officers=200, superuser=200)
CURATORS_ACT = expect(officers="redirect", superuser="redirect")
# The ward's library: its officers (and the province's), and the staff of the schools under it.
BROWSERS = expect(school_teachers=200, leaders=200, officers=200, superuser=200)


def _activity(w: World):
    from tests.activities.makers import activity_make

    return activity_make(school=w.school, by=w.teacher, classrooms=[w.classroom])


def _entry(w: World, state: str = "approved"):
    from tests.activities.library import entry_make

    return entry_make(school=w.school, by=w.teacher, state=state)


def _neighbours_entry(w: World):
    """An approved activity of Hướng Dương, another school of Sao Mai's ward."""
    from tests import factories as f
    from tests.activities.library import entry_make

    school = f.SchoolFactory(authority=w.school.authority, name="Trường Mầm non Hướng Dương", slug="huong-duong")
    teacher = f.StaffFactory(school=school, role="teacher", classrooms=[f.ClassroomFactory(school=school)]).user
    return entry_make(school=school, by=teacher)


def _entries(w: World) -> list:
    from activities.models import LibraryEntry

    return list(LibraryEntry.objects.order_by("pk").values_list("pk", "authority_id", "state", "refusal_reason"))


def _copies(w: World) -> list:
    from activities.models import LibraryAdoption

    return list(LibraryAdoption.objects.order_by("pk").values_list("school_id", "activity__classrooms"))


def _commendations(w: World) -> list:
    from activities.models import Commendation

    return list(Commendation.objects.order_by("pk").values_list("school_id", "text"))


def _commendation(w: World):
    import datetime

    from activities.models import Commendation

    return Commendation.objects.create(
        authority=w.school.authority, school=w.school, text="Mô hình tốt.", awarded_on=datetime.date(2026, 11, 20)
    )


def _ward(w: World) -> str:
    return w.school.authority.slug


MATRIX: dict[str, Entry | list[Entry]] = {
    # Offering: the activity's author and the school's leaders.
    "activities/<int:activity_id>/offer/": [
        Entry(lambda w: f"/activities/{_activity(w).pk}/offer/", expect(teacher=200, leaders=200), shows=TITLE),
        Entry(
            lambda w: f"/activities/{_activity(w).pk}/offer/",
            expect(teacher="redirect", leaders="redirect"),
            method="post",
            data=lambda w: {"authority": w.school.authority.pk, "no_child_confirmed": "on"},
            effect=_entries,
        ),
    ],
    # The libraries a person uses: two for Sao Mai's and Hoa Sen's staff (ward and province), one for an
    # officer (sent straight to it); nothing for families and staff who post no activities.
    "activity-library/": Entry(
        "/activity-library/",
        expect(teachers=200, leaders=200, other_principal=200, officers="redirect", foreign_officer="redirect"),
    ),
    "authorities/<slug:slug>/activity-library/": Entry(
        lambda w: _entry(w) and f"/authorities/{_ward(w)}/activity-library/", BROWSERS, shows=TITLE
    ),
    "authorities/<slug:slug>/activity-library/reuse/": Entry(
        lambda w: _entry(w) and f"/authorities/{_ward(w)}/activity-library/reuse/", CURATORS, shows=TITLE
    ),
    "activity-library/<int:entry_id>/": Entry(lambda w: f"/activity-library/{_entry(w).pk}/", BROWSERS, shows=TITLE),
    "activity-library/<int:entry_id>/decide/": Entry(
        lambda w: f"/activity-library/{_entry(w, state='offered').pk}/decide/",
        CURATORS_ACT,
        method="post",
        data=lambda w: {"decision": "refuse", "reason": "Thấy mặt bé trong video."},
        effect=_entries,
    ),
    # Copying a neighbour's activity into Lá 1: its teacher and Sao Mai's leaders. The other teacher is
    # sent back to the activity with a refusal (Lá 1 is not hers), changing nothing.
    "activity-library/<int:entry_id>/adopt/": Entry(
        lambda w: f"/activity-library/{_neighbours_entry(w).pk}/adopt/",
        expect(teacher="redirect", leaders="redirect", other_teacher="redirect"),
        method="post",
        data=lambda w: {"classroom": w.classroom.pk},
        effect=_copies,
        changes_for=frozenset({"teacher", "principal", "vice_principal"}),
    ),
    "authorities/<slug:slug>/commendations/<int:commendation_id>/delete/": Entry(
        lambda w: f"/authorities/{_ward(w)}/commendations/{_commendation(w).pk}/delete/",
        CURATORS_ACT,
        method="post",
        effect=_commendations,
    ),
    "authorities/<slug:slug>/commendations/": [
        Entry(lambda w: f"/authorities/{_ward(w)}/commendations/", CURATORS, shows="Sao Mai"),
        Entry(
            lambda w: f"/authorities/{_ward(w)}/commendations/",
            CURATORS_ACT,
            method="post",
            data=lambda w: {"school": w.school.pk, "text": "Mô hình phối hợp tốt.", "awarded_on": "2026-11-20"},
            effect=_commendations,
        ),
    ],
}
