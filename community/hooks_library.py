"""How the library part of the app plugs into the core and the mechanisms (called from CommunityConfig.ready())."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def can_view_library_media(user, media) -> bool:
    """The mediafiles resolver: an item's photo, to the school's desk staff and families (one query)."""
    from community.models import LibraryItem
    from community.policies_library import can_view_item_photo

    item = LibraryItem.objects.filter(photo_id=media.pk).only("pk", "school_id").first()
    return item is not None and can_view_item_photo(user, item)


def _runs_desk(user, school) -> bool:
    from community.policies_library import can_run_desk

    return school is not None and can_run_desk(user, school.pk)


def _teacher_runs_desk(user, _obj) -> bool:
    from community.policies_library import desk_school_ids

    return bool(desk_school_ids(user))


def _borrows(user, child) -> bool:
    from community.policies_library import can_borrow_for

    return child is not None and can_borrow_for(user, child)


def install() -> None:
    from community.models import LibraryItem
    from community.reminders_library import OVERDUE_FOLLOW_UPS, loans_due_tomorrow, loans_overdue
    from coordination.lib.links import PageLink, register
    from mediafiles import access, usage
    from notifications.reminders import Job, reminder_source_register

    access.register(can_view_library_media)
    usage.register(LibraryItem, "photo")
    reminder_source_register(
        job=Job.LOANS_DUE_TOMORROW, produce=loans_due_tomorrow, name="community.library.loans_due_tomorrow"
    )
    reminder_source_register(
        job=Job.LOANS_OVERDUE,
        produce=loans_overdue,
        name="community.library.loans_overdue",
        follow_ups=OVERDUE_FOLLOW_UPS,
    )
    register(
        "family_child",
        PageLink(
            label=_("Borrow toys and costumes"),
            url=lambda child: reverse("community:library_browse"),
            visible=_borrows,
            order=70,
        ),
    )
    register(
        "teacher",
        PageLink(
            label=_("Lending desk"),
            url=lambda _obj: reverse("community:library_desk"),
            visible=_teacher_runs_desk,
            order=70,
        ),
    )
    register(
        "school",
        PageLink(
            label=_("Lending desk"),
            url=lambda school: reverse("community:library_desk"),
            visible=_runs_desk,
            order=70,
        ),
    )
