"""What community holds about families (events, the lending library, the menus), and how it is erased.

The library keeps each item's history of loans (dates, condition) without the family: a child's or a
borrower's erasure empties the loan's family. Reservations are a place in a queue, not history: they are
deleted, and a copy set aside for the family passes on to the next family waiting. A group photo in an
event's gallery shows every child tagged in it, so a child's erasure deletes the photos the child is
tagged in, and a family's copy of its data has a group photo only when it may see every child in it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from community.models import EventPhoto, LibraryLoan, LibraryReservation, ReservationStatus
from community.services_library import waiting_list_advance
from parents.models import ConsentPurpose
from parents.selectors import consent_granted_child_ids

STAFF = [_("the school's staff")]


def photos_for_family(queryset: models.QuerySet, *, user, child_ids) -> models.QuerySet:
    """Group photos a family may have: one of its children is in it, and every other child tagged in it
    is consented to shared galleries (what the gallery shows families)."""
    family = set(child_ids)
    tags: dict[int, set[int]] = {}
    through = EventPhoto.children.through
    for photo_id, child_id in through.objects.filter(eventphoto__in=queryset).values_list("eventphoto_id", "child_id"):
        tags.setdefault(photo_id, set()).add(child_id)
    others = {child_id for tagged in tags.values() for child_id in tagged} - family
    shown = family | consent_granted_child_ids(child_ids=others, purpose=ConsentPurpose.SHARED_PHOTOS)
    keep = [photo_id for photo_id, tagged in tags.items() if tagged & family and tagged <= shown]
    return queryset.filter(pk__in=keep)


DECLARATIONS = [
    {
        "model": "community.Event",
        "holds": _("The school's events and which staff member created them"),
        "purpose": _("To invite the families to the school's events"),
        "ground": "public_task",
        "retention": _("As long as the school keeps its events"),
        "actors": ("created_by",),
        "erase": "keep",
    },
    {
        "model": "community.EventAnswer",
        "holds": _("Whether a guardian comes to an event, and with how many people"),
        "purpose": _("To prepare the event for the right number of people"),
        "ground": "consent",
        "recipients": STAFF,
        "retention": _("Until the guardian's data is erased"),
        "people": ("guardian",),
    },
    {
        "model": "community.VolunteerSignup",
        "holds": _("The roles a guardian volunteered for at an event"),
        "purpose": _("To organise the volunteers of an event"),
        "ground": "consent",
        "recipients": STAFF,
        "retention": _("Until the guardian's data is erased"),
        "people": ("guardian",),
    },
    {
        "model": "community.EventPhoto",
        "holds": _("Photos of the school's events and the children tagged in them"),
        "purpose": _("To share the event with the families whose children took part, when they agreed"),
        "ground": "consent",
        "recipients": [_("the school's staff, and the event's families when every child in the photo may be shown")],
        "retention": _("Until a child tagged in the photo has their data erased"),
        "child": "children",
        "actors": ("added_by",),
        "media": ("media",),
        "export_filter": photos_for_family,
    },
    {
        "model": "community.LibraryLoan",
        "holds": _("What the family borrowed from the school's library, when, and in which condition"),
        "purpose": _("To lend toys, books and costumes and get them back"),
        "ground": "contract",
        "recipients": [_("the staff at the library desk")],
        "retention": _("The item's history keeps the dates; the family is removed when its data is erased"),
        "child": "child",
        "people": ("borrower",),
        "actors": ("out_by", "returned_by"),
        "erase": "anonymise",
        "anonymise": {"borrower": None, "note": ""},
    },
    {
        "model": "community.LibraryReservation",
        "holds": _("What the family reserved from the library"),
        "purpose": _("To set items aside for the family in turn"),
        "ground": "contract",
        "recipients": [_("the staff at the library desk")],
        "retention": _("Until the family's data is erased"),
        "child": "child",
        "people": ("guardian",),
        "erase": "custom",
    },
    {
        "model": "community.LibraryItem",
        "holds": _("The name a donor of a library item chose to be credited by"),
        "purpose": _("To thank who gave the item"),
        "ground": "consent",
        "recipients": [_("the families who borrow")],
        "retention": _("As long as the item is in the library; the school removes the credit on request"),
        "erase": "keep",
    },
    {
        "model": "community.Substitute",
        "holds": _("A dish served to the child instead of one the child must not eat"),
        "purpose": _("To keep the child safe at meals"),
        "ground": "vital_interests",
        "recipients": [_("the school's kitchen and teachers")],
        "retention": _("Until the child's data is erased"),
        "child": "child",
    },
    {
        "model": "community.Menu",
        "holds": _("Which staff member published each week's menu"),
        "purpose": _("To show who is responsible for the menus"),
        "ground": "public_task",
        "retention": _("As long as the school keeps its menus"),
        "actors": ("published_by",),
        "erase": "keep",
    },
    {
        "model": "community.MenuTargets",
        "holds": _("Which staff member set the nutrition targets"),
        "purpose": _("To show who is responsible for the menus"),
        "ground": "public_task",
        "retention": _("As long as the school keeps its menus"),
        "actors": ("updated_by",),
        "erase": "keep",
    },
]


def _reservations_remove(reservations: models.QuerySet) -> int:
    """Delete reservations; a copy one of them held passes to the next family waiting."""
    held = list(
        reservations.filter(status=ReservationStatus.READY, held_copy__isnull=False).select_related("item", "held_copy")
    )
    deleted = reservations.delete()[1].get("community.LibraryReservation", 0)
    for reservation in held:
        waiting_list_advance(item=reservation.item, copy=reservation.held_copy)
    return deleted


def erase_child(child, *, now) -> dict[str, int]:
    return {"community.LibraryReservation": _reservations_remove(LibraryReservation.objects.filter(child=child))}


def erase_person(user, *, now) -> dict[str, int]:
    return {"community.LibraryReservation": _reservations_remove(LibraryReservation.objects.filter(guardian=user))}


def legal_holds(*, child=None, user=None) -> list[str]:
    """Items still out: the school must get them back from the family first."""
    loans = LibraryLoan.objects.filter(returned_at__isnull=True)
    out = 0
    if child is not None:
        out += loans.filter(child=child).count()
    if user is not None:
        out += loans.filter(borrower=user).count()
    if not out:
        return []
    return [
        ngettext(
            "%(count)d item borrowed from the library is not returned yet.",
            "%(count)d items borrowed from the library are not returned yet.",
            out,
        )
        % {"count": out}
        + " "
        + gettext("Return them at the library desk first.")
    ]


def _reservations_purge(*, school, cutoff, now) -> int:
    closed = LibraryReservation.objects.filter(
        school=school, status__in=[ReservationStatus.COLLECTED, ReservationStatus.CANCELLED], closed_at__lt=cutoff
    )
    return closed.delete()[1].get("community.LibraryReservation", 0)


RETENTION = [
    {
        "key": "community.reservations",
        "label": _("Library reservations, once collected or cancelled"),
        "days": 365,
        "purge": _reservations_purge,
    },
]
