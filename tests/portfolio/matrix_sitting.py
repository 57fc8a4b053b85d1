"""Who may use the portfolio's sitting URLs (merged into tests/test_authorization_matrix.py).

Recording, editing, deleting a work and replacing its code are for the class's teacher and the
school's leaders (policies.can_record_works). The nurse, who sees the child, records nothing; family
viewers, families, other classes' teachers, a teacher whose role ended and everyone of another school
get the 404 of something that does not exist.

`works/` takes a teacher to their class's works (a redirect: one class) and shows a leader the
school's classes (or the one class's works); it is 404 for whoever records no class's works.
"""

from __future__ import annotations

import datetime

from tests.conftest import World
from tests.matrix_kit import CLASS_VIEWERS, Entry, expect

DAY = datetime.date(2026, 11, 20)
TITLE = "Vườn ươm của những bạn nhỏ"
RECORDERS_CHANGE = expect(teacher="redirect", leaders="redirect")


def _work(w: World):
    from portfolio.models import Work

    return Work.objects.create(
        school=w.school,
        child=w.child,
        classroom=w.classroom,
        title=TITLE,
        domain="aesthetic",
        made_on=DAY,
        created_by=w.teacher,
    )


def _work_with_voice(w: World):
    from tests.activities.makers import voice_make

    work = _work(w)
    work.voice = voice_make(school=w.school, by=w.teacher)
    work.save(update_fields=["voice"])
    return work


def _transcripts(w: World) -> list:
    from mediafiles.models import MediaFile

    return list(MediaFile.objects.order_by("pk").values_list("pk", "transcript"))


def _works(w: World) -> list:
    from portfolio.models import Work

    return list(Work.objects.order_by("pk").values_list("pk", "child_id", "title", "domain", "made_on"))


def _tokens(w: World) -> list:
    from portfolio.models import RevokedToken, Work

    return [list(Work.objects.order_by("pk").values_list("pk", "token")), RevokedToken.objects.count()]


def _fields(**extra):
    def data(w: World) -> dict:
        values = {"title": "Con thuyền giấy", "domain": "cognitive", "made_on": DAY.isoformat()}
        values.update(extra)
        return values

    return data


def _class_name(w: World) -> str:
    return w.classroom.name


MATRIX: dict[str, Entry | list[Entry]] = {
    "works/": Entry(
        "/works/",
        expect(
            teacher="redirect",
            other_teacher="redirect",
            foreign_teacher="redirect",
            leaders=200,  # Sao Mai's three classes to choose from
            other_principal="redirect",  # Hoa Sen has one class
        ),
    ),
    "classes/<int:classroom_id>/works/": Entry(
        lambda w: f"/classes/{w.classroom.pk}/works/", CLASS_VIEWERS, shows=_class_name, setup=_work
    ),
    "classes/<int:classroom_id>/works/new/": [
        Entry(lambda w: f"/classes/{w.classroom.pk}/works/new/", CLASS_VIEWERS, shows=_class_name),
        Entry(
            lambda w: f"/classes/{w.classroom.pk}/works/new/",
            RECORDERS_CHANGE,
            method="post",
            data=lambda w: _fields(without_photo=[str(w.child.pk)])(w),
            effect=_works,
        ),
    ],
    "works/<int:work_id>/edit/": [
        Entry(lambda w: f"/works/{w.made.pk}/edit/", CLASS_VIEWERS, shows=TITLE, setup=_work),
        Entry(
            lambda w: f"/works/{w.made.pk}/edit/",
            RECORDERS_CHANGE,
            method="post",
            data=_fields(),
            effect=_works,
            setup=_work,
        ),
    ],
    # What the child says in the voice note: the class's teacher and the leaders, like the work's other edits.
    "works/<int:work_id>/transcript/": [
        Entry(lambda w: f"/works/{w.made.pk}/transcript/", CLASS_VIEWERS, shows=TITLE, setup=_work_with_voice),
        Entry(
            lambda w: f"/works/{w.made.pk}/transcript/",
            RECORDERS_CHANGE,
            method="post",
            data=lambda w: {"transcript": "Con vẽ con mèo nhà bà."},
            effect=_transcripts,
            setup=_work_with_voice,
        ),
        # A work without a voice note has nothing to transcribe.
        Entry(lambda w: f"/works/{w.made.pk}/transcript/", expect(), setup=_work),
    ],
    "works/<int:work_id>/delete/": [
        Entry(lambda w: f"/works/{w.made.pk}/delete/", CLASS_VIEWERS, shows=TITLE, setup=_work),
        Entry(
            lambda w: f"/works/{w.made.pk}/delete/",
            RECORDERS_CHANGE,
            method="post",
            data=lambda w: {"confirm": "yes"},
            effect=_works,
            setup=_work,
        ),
    ],
    "works/<int:work_id>/replace-code/": [
        Entry(lambda w: f"/works/{w.made.pk}/replace-code/", CLASS_VIEWERS, shows=TITLE, setup=_work),
        Entry(
            lambda w: f"/works/{w.made.pk}/replace-code/",
            RECORDERS_CHANGE,
            method="post",
            effect=_tokens,
            setup=_work,
        ),
    ],
}
ADMIN_MODELS: dict = {}
