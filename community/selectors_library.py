"""Reads of the lending library, each scoped by the person asking (community.policies_library).

Every page reads a fixed number of queries, whatever the number of items, copies, loans or families:
the lists are read whole with their relations, and availability is counted in Python from three flat
reads (copies, open loans, open reservations).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from community import policies_library as policies
from community.models import (
    OPEN_RESERVATION,
    LibraryCopy,
    LibraryItem,
    LibraryLoan,
    LibraryReservation,
    ReservationStatus,
)
from parents.models import Guardianship
from parents.policies import guardian_child_ids
from schools.models import Child, School, school_today
from schools.selectors import in_schools_of

HOLD_DAYS = datetime.timedelta(days=3)


def family_children(*, user) -> list[Child]:
    """The person's children still at a school (they borrow for them), read once per request."""
    cached = getattr(user, "_library_children", None)
    if cached is None:
        ids = guardian_child_ids(user)
        children = in_schools_of(
            Child.objects.filter(pk__in=ids, left_on__isnull=True, classroom__isnull=False), user=user
        )
        cached = list(children.select_related("school", "classroom").order_by("full_name")) if ids else []
        user._library_children = cached
    return cached


def family_school_ids(*, user) -> set[int]:
    return {child.school_id for child in family_children(user=user)}


@dataclass
class Availability:
    copies: int = 0
    out: int = 0
    held: int = 0
    waiting: int = 0
    next_due: datetime.date | None = None

    @property
    def free(self) -> int:
        return max(self.copies - self.out - self.held, 0)


@dataclass
class ItemRow:
    item: LibraryItem
    availability: Availability
    mine: LibraryReservation | None = None  # the family's open reservation
    copies: list = field(default_factory=list)


def _availability(
    item_ids, *, school_ids
) -> tuple[dict[int, Availability], dict[int, list[LibraryCopy]], dict[int, LibraryLoan]]:
    """Each item's counts, its copies, and each copy's open loan: three queries, of the items' schools."""
    counts: dict[int, Availability] = defaultdict(Availability)
    copies_by_item: dict[int, list[LibraryCopy]] = defaultdict(list)
    copies = list(
        LibraryCopy.objects.filter(school_id__in=school_ids, item_id__in=item_ids, is_active=True).order_by("code")
    )
    for copy in copies:
        counts[copy.item_id].copies += 1
        copies_by_item[copy.item_id].append(copy)
    open_loans = {
        loan.copy_id: loan
        for loan in LibraryLoan.objects.filter(
            school_id__in=school_ids, copy__item_id__in=item_ids, returned_at__isnull=True
        ).select_related("child", "copy")
    }
    for loan in open_loans.values():
        if loan.copy.is_active:
            a = counts[loan.copy.item_id]
            a.out += 1
            a.next_due = loan.due_on if a.next_due is None else min(a.next_due, loan.due_on)
    for item_id, status, held_copy_id in LibraryReservation.objects.filter(
        school_id__in=school_ids, item_id__in=item_ids, status__in=OPEN_RESERVATION
    ).values_list("item_id", "status", "held_copy_id"):
        if status == ReservationStatus.READY and held_copy_id not in open_loans:
            counts[item_id].held += 1
        elif status == ReservationStatus.WAITING:
            counts[item_id].waiting += 1
    return counts, copies_by_item, open_loans


@dataclass
class SchoolShelf:
    school: School
    children: list[Child]
    rows: list[ItemRow]


@dataclass
class FamilyLibrary:
    shelves: list[SchoolShelf]
    reservations: list[LibraryReservation]
    loans: list[LibraryLoan]


def family_library(*, user, category: str = "", q: str = "") -> FamilyLibrary:
    """What a family sees: their children's schools' items with availability, their reservations and loans."""
    children = family_children(user=user)
    if not children:
        raise Http404
    school_ids = {c.school_id for c in children}
    items = LibraryItem.objects.filter(school_id__in=school_ids, is_active=True).select_related("photo")
    if category:
        items = items.filter(category=category)
    if q:
        items = items.filter(name__icontains=q)
    items = list(items.order_by("category", "name"))
    counts, _copies, _loans = _availability([i.pk for i in items], school_ids=school_ids)
    child_ids = [c.pk for c in children]
    reservations = list(
        LibraryReservation.objects.filter(school_id__in=school_ids, child_id__in=child_ids)
        .select_related("item", "child", "held_copy")
        .order_by("-created_at")[:100]
    )
    open_by_item = {r.item_id: r for r in reservations if r.is_open}
    loans = list(
        LibraryLoan.objects.filter(school_id__in=school_ids, child_id__in=child_ids)
        .select_related("copy__item", "child")
        .order_by("returned_at", "-out_at")[:100]
    )
    shelves = []
    for school_id in sorted(school_ids):
        school_children = [c for c in children if c.school_id == school_id]
        rows = [
            ItemRow(item=i, availability=counts[i.pk], mine=open_by_item.get(i.pk))
            for i in items
            if i.school_id == school_id
        ]
        shelves.append(SchoolShelf(school=school_children[0].school, children=school_children, rows=rows))
    return FamilyLibrary(shelves=shelves, reservations=reservations, loans=loans)


def waiting_position(*, reservation: LibraryReservation) -> int:
    """Where a waiting reservation stands in its item's queue (1 = next)."""
    return (
        LibraryReservation.objects.filter(item_id=reservation.item_id, status=ReservationStatus.WAITING)
        .filter(Q(created_at__lt=reservation.created_at) | Q(created_at=reservation.created_at, pk__lt=reservation.pk))
        .count()
        + 1
    )


def item_for_family(*, user, item_id: int) -> LibraryItem:
    item = LibraryItem.objects.filter(pk=item_id, is_active=True).select_related("school").first()
    if item is None or item.school_id not in family_school_ids(user=user):
        raise Http404
    return item


def child_for_family(*, user, item: LibraryItem, child_id) -> Child:
    for child in family_children(user=user):
        if str(child.pk) == str(child_id) and child.school_id == item.school_id:
            return child
    raise Http404


def reservation_for_cancelling(*, user, reservation_id: int) -> LibraryReservation:
    reservation = LibraryReservation.objects.filter(pk=reservation_id).select_related("item", "child").first()
    if reservation is None or not policies.can_cancel_reservation(user, reservation):
        raise Http404
    return reservation


# --- The desk


def desk_school(*, user, school_id: int | None = None) -> School:
    """The school whose desk the person runs (the one asked for, or their first)."""
    ids = policies.desk_school_ids(user)
    if school_id is not None:
        ids = ids & {school_id}
    if not ids:
        raise Http404
    return School.objects.get(pk=min(ids))


@dataclass
class CopyAtDesk:
    copy: LibraryCopy
    loan: LibraryLoan | None
    held_for: LibraryReservation | None
    waiting: int


@dataclass
class Desk:
    school: School
    today: datetime.date
    results: list[ItemRow]
    loans: list[LibraryLoan]
    ready: list[LibraryReservation]
    waiting: dict[int, list[LibraryReservation]]
    children: list[Child]
    scanned: CopyAtDesk | None = None


def copy_by_code(*, school: School, code: str) -> LibraryCopy | None:
    code = (code or "").strip().upper()
    if not code:
        return None
    return LibraryCopy.objects.filter(school=school, code=code).select_related("item").first()


def desk_view(*, user, school: School, q: str = "", code: str = "") -> Desk:
    """The desk: search results with each copy's state, the loans out (overdue first), holds to collect,
    waiting lists, the school's children to lend to, and the copy just scanned."""
    if not policies.can_run_desk(user, school.pk):
        raise Http404
    results: list[ItemRow] = []
    if q:
        q = q.strip()
        items = list(
            LibraryItem.objects.filter(school=school)
            .filter(Q(name__icontains=q) | Q(copies__code__iexact=q))
            .distinct()
            .order_by("name")[:30]
        )
        counts, copies, _loans = _availability([i.pk for i in items], school_ids=[school.pk])
        results = [ItemRow(item=i, availability=counts[i.pk], copies=copies[i.pk]) for i in items]
    loans = list(
        LibraryLoan.objects.filter(school=school, returned_at__isnull=True)
        .select_related("copy__item", "child__classroom", "borrower")
        .order_by("due_on", "pk")
    )
    reservations = list(
        LibraryReservation.objects.filter(school=school, status__in=OPEN_RESERVATION)
        .select_related("item", "child__classroom", "guardian", "held_copy")
        .order_by("created_at", "pk")
    )
    waiting: dict[int, list[LibraryReservation]] = defaultdict(list)
    for r in reservations:
        if r.status == ReservationStatus.WAITING:
            waiting[r.item_id].append(r)
    children = list(
        Child.objects.filter(school=school, left_on__isnull=True, classroom__isnull=False)
        .select_related("classroom")
        .order_by("classroom__name", "full_name")
    )
    scanned = None
    if code:
        copy = copy_by_code(school=school, code=code)
        if copy is not None:
            scanned = CopyAtDesk(
                copy=copy,
                loan=next((loan for loan in loans if loan.copy_id == copy.pk), None),
                held_for=next(
                    (r for r in reservations if r.status == ReservationStatus.READY and r.held_copy_id == copy.pk), None
                )
                or next((r for r in waiting.get(copy.item_id, [])), None),
                waiting=len(waiting.get(copy.item_id, [])),
            )
    today = school_today()
    ready = [r for r in reservations if r.status == ReservationStatus.READY]
    for r in ready:
        # Set aside for longer than a few days and not collected: the desk may pass it on (cancel).
        r.stale = r.ready_at is not None and timezone.localtime(r.ready_at).date() < today - HOLD_DAYS
    return Desk(
        school=school,
        today=today,
        results=results,
        loans=loans,
        ready=ready,
        waiting=dict(waiting),
        children=children,
        scanned=scanned,
    )


def item_at_desk(*, school: School, item_id) -> LibraryItem:
    """An item of the desk's school (404 for anything else)."""
    try:
        item_id = int(item_id)
    except (TypeError, ValueError):
        raise Http404 from None
    item = LibraryItem.objects.filter(pk=item_id, school=school).first()
    if item is None:
        raise Http404
    return item


def child_at_desk(*, school: School, child_id) -> Child | None:
    try:
        child_id = int(child_id)
    except (TypeError, ValueError):
        return None
    return Child.objects.filter(pk=child_id, school=school, left_on__isnull=True, classroom__isnull=False).first()


# --- Histories


@dataclass
class ItemHistory:
    item: LibraryItem
    copies: list[LibraryCopy]
    loans: list[LibraryLoan]
    reservations: list[LibraryReservation]


def item_history(*, user, item_id: int) -> ItemHistory:
    item = LibraryItem.objects.filter(pk=item_id).select_related("school", "photo").first()
    if item is None or not policies.can_run_desk(user, item.school_id):
        raise Http404
    return ItemHistory(
        item=item,
        copies=list(item.copies.order_by("code")),
        loans=list(
            LibraryLoan.objects.filter(copy__item=item)
            .select_related("copy", "child", "borrower", "out_by", "returned_by")
            .order_by("-out_at")
        ),
        reservations=list(item.reservations.select_related("child", "guardian").order_by("-created_at")),
    )


@dataclass
class FamilyHistory:
    child: Child
    guardians: list
    loans: list[LibraryLoan]
    reservations: list[LibraryReservation]
    staff_view: bool
    can_browse: bool = True  # a family whose children have all left has no library to go back to


def family_history(*, user, child_id: int) -> FamilyHistory:
    """A family's loans and reservations: the child's own, for its guardians and the school's desk staff."""
    child = Child.objects.filter(pk=child_id).select_related("school", "classroom").first()
    if child is None or not policies.can_see_family_history(user, child):
        raise Http404
    return FamilyHistory(
        child=child,
        guardians=[g.guardian for g in Guardianship.objects.active().filter(child=child).select_related("guardian")],
        loans=list(
            LibraryLoan.objects.filter(child=child)
            .select_related("copy__item", "borrower", "out_by", "returned_by")
            .order_by("-out_at")
        ),
        reservations=list(child.library_reservations.select_related("item").order_by("-created_at")),
        staff_view=(staff_view := policies.can_run_desk(user, child.school_id)),
        can_browse=staff_view or bool(family_children(user=user)),
    )


def label_copies(*, user, school: School, item_id: int | None = None) -> list[LibraryCopy]:
    if not policies.can_run_desk(user, school.pk):
        raise Http404
    copies = LibraryCopy.objects.filter(school=school, is_active=True, item__is_active=True).select_related("item")
    if item_id is not None:
        copies = copies.filter(item_id=item_id)
    return list(copies.order_by("item__name", "code"))
