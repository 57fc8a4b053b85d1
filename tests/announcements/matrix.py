"""Who may use the announcement and pick-up notice URLs (merged into tests/test_authorization_matrix.py).

The objects: an announcement the teacher posted to Lá 1 (the parent's child's class) that asks for
acknowledgement, and a pick-up notice the parent sent today for that child.
"""

from __future__ import annotations

from tests.conftest import World
from tests.matrix_kit import CLASS_VIEWERS, GUARDIAN_ONLY, READ_ONLY, SCOPED_NO_ADD, SIGNED_IN_200, Entry, expect


def _announcement(w: World, **extra):
    """Posted by the teacher to the parent's child's class (Lá 1), asking for acknowledgement."""
    from tests.announcements.makers import announcement_make

    return announcement_make(school=w.school, by=w.teacher, classrooms=[w.classroom], **extra)


def _announcement_receipt(w: World):
    from announcements.models import AnnouncementReceipt

    return AnnouncementReceipt.objects.create(school=w.school, announcement=_announcement(w), guardian=w.parent)


def _pickup_notice(w: World):
    """Sent today by the parent for their child in the teacher's class."""
    from tests.announcements.makers import pickup_notice_make

    return pickup_notice_make(child=w.child, by=w.parent)


def _acknowledgements(w: World) -> list:
    from announcements.models import AnnouncementReceipt

    return list(AnnouncementReceipt.objects.values_list("guardian_id", "acknowledged_at"))


def _published(w: World) -> list:
    from announcements.models import Announcement

    return list(Announcement.objects.values_list("pk", "published_at"))


def _cancelled(w: World) -> list:
    from announcements.models import PickupNotice

    return list(PickupNotice.objects.values_list("pk", "cancelled_at"))


TITLE = "Thay đổi giờ đón trẻ"
# The school's teachers and leaders post and list the school's announcements.
SCHOOL_POSTERS = expect(school_teachers=200, leaders=200)

MATRIX: dict[str, Entry] = {
    # Announcements: the families they are for, their author, the school's leaders, the classes' teachers
    "announcements/": Entry(lambda w: _announcement(w) and "/announcements/", SIGNED_IN_200, shows={"parent": TITLE}),
    "announcements/<int:announcement_id>/": Entry(
        lambda w: f"/announcements/{_announcement(w).pk}/",
        expect(parent=200, teacher=200, leaders=200),
        shows=TITLE,
    ),
    "announcements/<int:announcement_id>/acknowledge/": Entry(
        lambda w: f"/announcements/{_announcement(w).pk}/acknowledge/",
        expect(parent="redirect"),
        method="post",
        effect=_acknowledgements,
    ),
    "announcements/<int:announcement_id>/publish/": Entry(
        lambda w: f"/announcements/{_announcement(w, published=False).pk}/publish/",
        expect(teacher="redirect", leaders="redirect"),
        method="post",
        effect=_published,
    ),
    "announcements/<int:announcement_id>/receipts/": Entry(
        lambda w: f"/announcements/{_announcement(w).pk}/receipts/", CLASS_VIEWERS, shows=TITLE
    ),
    "schools/<slug:slug>/announcements/": Entry(
        lambda w: _announcement(w) and f"/schools/{w.school.slug}/announcements/",
        SCHOOL_POSTERS,
        shows={"teacher": TITLE, "principal": TITLE, "vice_principal": TITLE},
    ),
    "schools/<slug:slug>/announcements/new/": Entry(
        lambda w: f"/schools/{w.school.slug}/announcements/new/",
        SCHOOL_POSTERS,
        shows={"teacher": "Lá 1", "other_teacher": "Chồi 1", "principal": "Mầm 1"},
    ),
    # Pick-up notices: a guardian for their own child; the class teachers and leaders read them
    "children/<int:child_id>/pickup-notices/": Entry(
        lambda w: f"/children/{w.child.pk}/pickup-notices/", GUARDIAN_ONLY, shows=lambda w: w.child.full_name
    ),
    "pickup-notices/<int:notice_id>/cancel/": Entry(
        lambda w: f"/pickup-notices/{_pickup_notice(w).pk}/cancel/",
        expect(parent="redirect"),
        method="post",
        effect=_cancelled,
    ),
    "pickup-notices/today/": Entry(
        "/pickup-notices/today/", expect(others=403, teachers=200, leaders=200, other_principal=200)
    ),
    "classes/<int:classroom_id>/pickup-notices/": Entry(
        lambda w: _pickup_notice(w) and f"/classes/{w.classroom.pk}/pickup-notices/",
        CLASS_VIEWERS,
        shows=lambda w: w.child.full_name,
    ),
}

ADMIN_MODELS = {
    "announcements/announcement": (SCOPED_NO_ADD, _announcement),
    "announcements/announcementreceipt": (READ_ONLY, _announcement_receipt),
    "announcements/pickupnotice": (READ_ONLY, _pickup_notice),
}
