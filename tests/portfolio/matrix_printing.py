"""Who may use the printed outputs' URLs (merged into tests/test_authorization_matrix.py).

Label sheets are for the staff of the class (its teacher and the school's leaders); albums and the
"ready for school" summary for the child's guardians, and for the guardian of a child who left
during the after-leaving period (the former parent's Huy left on 29/05/2026; Sao Mai keeps the
portfolio 12 months). Family viewers, other families, other classes' teachers, the nurse and
everyone of another school get the 404 of something that does not exist.
"""

from __future__ import annotations

import datetime

from tests.conftest import World
from tests.matrix_kit import CLASS_VIEWERS, Entry, expect

DAY = datetime.date(2026, 11, 20)
TITLE = "Vườn ươm của những bạn nhỏ"
GUARDIAN = expect(parent=200)
FORMER_GUARDIAN = expect(former_parent=200)


def _work(w: World, child=None):
    from portfolio.models import Work

    child = child or w.child
    return Work.objects.create(
        school=w.school,
        child=child,
        classroom=w.classroom,
        title=TITLE,
        domain="aesthetic",
        made_on=DAY,
        created_by=w.teacher,
    )


def _ready_sheet(w: World):
    from portfolio.models import LabelSheet
    from portfolio.printing.labels import label_sheet_build

    _work(w)
    sheet = LabelSheet.objects.create(
        school=w.school, classroom=w.classroom, layout="70x42.3", date_from=DAY, date_to=DAY, requested_by=w.teacher
    )
    label_sheet_build(sheet_id=sheet.pk)
    return sheet


def _ready_album(child_attr: str, guardian_attr: str):
    def make(w: World):
        from portfolio.models import Album
        from portfolio.printing.albums import album_build

        child = getattr(w, child_attr)
        _work(w, child)
        album = Album.objects.create(school=w.school, child=child, scope="all", requested_by=getattr(w, guardian_attr))
        album_build(album_id=album.pk)
        return album

    return make


def _sheets(w: World) -> list:
    from portfolio.models import LabelSheet

    return list(LabelSheet.objects.order_by("pk").values_list("pk", "classroom_id", "state"))


def _albums(w: World) -> list:
    from portfolio.models import Album

    return list(Album.objects.order_by("pk").values_list("pk", "child_id", "requested_by_id"))


def _sheet_form(w: World) -> dict:
    return {"layout": "70x42.3", "date_from": "2026-11-16", "date_to": "2026-11-22", "skip": "0"}


def _khoi(w: World) -> str:
    return w.child.full_name


def _huy(w: World) -> str:
    return w.left_child.full_name


MATRIX: dict[str, Entry | list[Entry]] = {
    "classes/<int:classroom_id>/labels/": [
        Entry(lambda w: f"/classes/{w.classroom.pk}/labels/", CLASS_VIEWERS, shows="Lá 1"),
        Entry(
            lambda w: f"/classes/{w.classroom.pk}/labels/",
            expect(teacher="redirect", leaders="redirect"),
            method="post",
            data=_sheet_form,
            effect=_sheets,
            setup=_work,
        ),
    ],
    "labels/<int:sheet_id>/": Entry(lambda w: f"/labels/{w.made.pk}/", CLASS_VIEWERS, shows="Lá 1", setup=_ready_sheet),
    "labels/<int:sheet_id>/status/": Entry(lambda w: f"/labels/{w.made.pk}/status/", CLASS_VIEWERS, setup=_ready_sheet),
    "labels/<int:sheet_id>/labels.pdf": Entry(
        lambda w: f"/labels/{w.made.pk}/labels.pdf", CLASS_VIEWERS, setup=_ready_sheet
    ),
    "children/<int:child_id>/albums/": [
        Entry(lambda w: f"/children/{w.child.pk}/albums/", GUARDIAN, shows=_khoi),
        Entry(lambda w: f"/children/{w.left_child.pk}/albums/", FORMER_GUARDIAN, shows=_huy),
        Entry(
            lambda w: f"/children/{w.child.pk}/albums/",
            expect(parent="redirect"),
            method="post",
            data=lambda w: {"scope": "all"},
            effect=_albums,
            setup=_work,
        ),
        Entry(
            lambda w: f"/children/{w.left_child.pk}/albums/",
            expect(former_parent="redirect"),
            method="post",
            data=lambda w: {"scope": "all"},
            effect=_albums,
            setup=lambda w: _work(w, w.left_child),
        ),
    ],
    "albums/<int:album_id>/": [
        Entry(lambda w: f"/albums/{w.made.pk}/", GUARDIAN, shows=_khoi, setup=_ready_album("child", "parent")),
        Entry(
            lambda w: f"/albums/{w.made.pk}/",
            FORMER_GUARDIAN,
            shows=_huy,
            setup=_ready_album("left_child", "former_parent"),
        ),
    ],
    "albums/<int:album_id>/status/": Entry(
        lambda w: f"/albums/{w.made.pk}/status/", GUARDIAN, setup=_ready_album("child", "parent")
    ),
    "albums/<int:album_id>/album.pdf": [
        Entry(lambda w: f"/albums/{w.made.pk}/album.pdf", GUARDIAN, setup=_ready_album("child", "parent")),
        Entry(
            lambda w: f"/albums/{w.made.pk}/album.pdf",
            FORMER_GUARDIAN,
            setup=_ready_album("left_child", "former_parent"),
        ),
    ],
    "albums/<int:album_id>/album.zip": Entry(
        lambda w: f"/albums/{w.made.pk}/album.zip", GUARDIAN, setup=_ready_album("child", "parent")
    ),
    "children/<int:child_id>/ready-for-school/": [
        Entry(lambda w: f"/children/{w.child.pk}/ready-for-school/", GUARDIAN, shows=_khoi),
        Entry(lambda w: f"/children/{w.left_child.pk}/ready-for-school/", FORMER_GUARDIAN, shows=_huy),
    ],
    "children/<int:child_id>/ready-for-school.pdf": Entry(
        lambda w: f"/children/{w.child.pk}/ready-for-school.pdf?work={w.made.pk}", GUARDIAN, setup=_work
    ),
}
ADMIN_MODELS: dict = {}
