"""Community, library: URLs (merged into tests/test_authorization_matrix.py).

Families (active guardians of a child still at a school) see their school's shelf and reserve for their
own children; the school's teachers and leaders run the desk and see every family's and item's history.
A family viewer, the nurse, the accountant, the kitchen and the officers see nothing of it (404).
"""

from __future__ import annotations

import datetime

from tests.conftest import World
from tests.matrix_kit import SCOPED, Entry, expect

DESK_STAFF = expect(school_teachers=200, leaders=200)
EVERY_DESK = expect(teachers=200, leaders=200, other_principal=200)
EVERY_DESK_POSTS = expect(teachers="redirect", leaders="redirect", other_principal="redirect")
SAO_MAI_DESK = frozenset({"teacher", "other_teacher", "principal", "vice_principal"})


def _made(w: World) -> dict:
    from community.models import LibraryLoan, LibraryReservation
    from schools.models import school_today
    from tests.community.factories_library import LibraryCopyFactory, LibraryItemFactory

    costume = LibraryItemFactory(school=w.school, name="Trang phục chú Cuội", category="costume")
    free = LibraryCopyFactory(item=costume, code="TP-1")
    lent = LibraryCopyFactory(item=costume, code="TP-2")
    LibraryCopyFactory(item=LibraryItemFactory(school=w.other_school, name="Đàn Hoa Sen"), code="TP-1")
    LibraryLoan.objects.create(
        school=w.school,
        copy=lent,
        child=w.sibling,
        borrower=w.parent,
        out_by=w.teacher,
        out_at=datetime.datetime(2026, 11, 2, 8, tzinfo=datetime.UTC),
        due_on=school_today() + datetime.timedelta(days=3),
        condition_out="good",
    )
    reservation = LibraryReservation.objects.create(
        school=w.school,
        item=costume,
        child=w.child,
        guardian=w.parent,
        status="ready",
        held_copy=free,
        created_at=datetime.datetime(2026, 11, 3, 8, tzinfo=datetime.UTC),
    )
    return {"item": costume, "reservation": reservation}


def _reservations(w: World):
    from community.models import LibraryReservation

    return sorted(LibraryReservation.objects.values_list("child_id", "status", "held_copy_id"))


def _loans(w: World):
    from community.models import LibraryLoan

    return sorted(LibraryLoan.objects.values_list("copy_id", "child_id", "returned_at", "condition_in"))


def _photo(w: World) -> dict:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buffer, "JPEG")
    return {"photo": SimpleUploadedFile("anh.jpg", buffer.getvalue(), content_type="image/jpeg")}


def _item_photo(w: World):
    from community.models import LibraryItem

    return list(LibraryItem.objects.order_by("pk").values_list("photo_id", flat=True))


def _due() -> str:
    from schools.models import school_today

    return (school_today() + datetime.timedelta(days=7)).strftime("%d/%m/%Y")


def _item_admin(w: World):
    from tests.community.factories_library import LibraryItemFactory

    return LibraryItemFactory(school=w.school, name="Bộ xếp hình gỗ")


MATRIX: dict[str, Entry | list[Entry]] = {
    "library/": Entry(
        "/library/",
        expect(parent=200, other_parent=200, foreign_parent=200),
        setup=_made,
        shows={"parent": "Trang phục chú Cuội", "other_parent": "Trang phục chú Cuội", "foreign_parent": "Đàn Hoa Sen"},
    ),
    "library/items/<int:item_id>/reserve/": Entry(
        lambda w: f"/library/items/{w.made['item'].pk}/reserve/",
        # Only for one's own child (the other parent's: joins the waiting list); the parent, naming a
        # child not theirs, is told the item does not exist.
        expect(other_parent="redirect"),
        method="post",
        data=lambda w: {"child": w.other_class_child.pk},
        setup=_made,
        effect=_reservations,
    ),
    "library/reservations/<int:reservation_id>/cancel/": Entry(
        lambda w: f"/library/reservations/{w.made['reservation'].pk}/cancel/",
        expect(parent="redirect", school_teachers="redirect", leaders="redirect"),
        method="post",
        setup=_made,
        effect=_reservations,
    ),
    "library/desk/": Entry(
        "/library/desk/",
        EVERY_DESK,
        setup=_made,
        shows={
            "teacher": "Trang phục chú Cuội",
            "principal": "Trang phục chú Cuội",
            "foreign_teacher": "Hoa Sen",
            "other_principal": "Hoa Sen",
        },
    ),
    "library/desk/check-out/": Entry(
        "/library/desk/check-out/",
        EVERY_DESK_POSTS,
        method="post",
        data=lambda w: {"code": "TP-1", "child": w.child.pk, "due_on": _due(), "condition": "good"},
        setup=_made,
        effect=_loans,
        # At Hoa Sen's desk, TP-1 is Hoa Sen's own copy and Sao Mai's child is not theirs: refused, nothing changes.
        changes_for=SAO_MAI_DESK,
    ),
    "library/desk/check-in/": Entry(
        "/library/desk/check-in/",
        EVERY_DESK_POSTS,
        method="post",
        data=lambda w: {"code": "TP-2", "condition": "good"},
        setup=_made,
        effect=_loans,
        changes_for=SAO_MAI_DESK,
    ),
    "library/desk/waiting-list/": Entry(
        "/library/desk/waiting-list/",
        # Another school's desk: the item is not theirs (404).
        expect(school_teachers="redirect", leaders="redirect"),
        method="post",
        data=lambda w: {"item": w.made["item"].pk, "child": w.other_class_child.pk},
        setup=_made,
        effect=_reservations,
    ),
    "library/desk/labels.pdf": Entry("/library/desk/labels.pdf", EVERY_DESK, setup=_made),
    "library/items/<int:item_id>/": Entry(
        lambda w: f"/library/items/{w.made['item'].pk}/",
        DESK_STAFF,
        setup=_made,
        shows="Trang phục chú Cuội",
    ),
    "library/items/<int:item_id>/photo/": Entry(
        lambda w: f"/library/items/{w.made['item'].pk}/photo/",
        expect(school_teachers="redirect", leaders="redirect"),
        method="post",
        data=_photo,
        setup=_made,
        effect=_item_photo,
    ),
    "library/families/<int:child_id>/": Entry(
        lambda w: f"/library/families/{w.child.pk}/",
        expect(parent=200, school_teachers=200, leaders=200),
        shows="Nguyễn Minh Khôi",
    ),
}
ADMIN_MODELS: dict = {
    "community/libraryitem": (SCOPED, _item_admin),
}
