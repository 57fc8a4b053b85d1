"""Writes of the lending library: reserve, cancel, lend, take back; each one atomic.

Every write that changes who holds a copy first locks the item's row, so two desks (or a desk and a
family reserving) work one after the other on an item; the database's one-open-loan-per-copy
constraint backs it up. A refused write raises ValidationError with a message for the person and
changes nothing.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from community.models import (
    OPEN_RESERVATION,
    Condition,
    LibraryCopy,
    LibraryItem,
    LibraryLoan,
    LibraryReservation,
    ReservationStatus,
)
from parents.models import Guardianship
from schools.models import Child, school_today

MAX_LOAN_DAYS = 90

READY_TITLE = _("%(item)s is ready for you")
READY_BODY = _(
    "The copy of %(item)s you reserved for %(name)s is back and set aside for you. "
    "Collect it at the school's lending desk (label %(code)s)."
)


def _lock_item(item_id: int) -> LibraryItem:
    return LibraryItem.objects.select_for_update().get(pk=item_id)


def _free_copy(item: LibraryItem, *, exclude_held: bool = True) -> LibraryCopy | None:
    """A copy of the item that is in use, not lent and not set aside for a family."""
    copies = LibraryCopy.objects.filter(item=item, is_active=True).exclude(
        pk__in=LibraryLoan.objects.filter(returned_at__isnull=True).values("copy_id")
    )
    if exclude_held:
        copies = copies.exclude(
            pk__in=LibraryReservation.objects.filter(status=ReservationStatus.READY, held_copy__isnull=False).values(
                "held_copy_id"
            )
        )
    return copies.order_by("code").first()


def reservation_create(*, item: LibraryItem, child: Child, guardian) -> LibraryReservation:
    """Reserve an item for a family: a free copy is set aside at once, otherwise the family joins the waiting list."""
    with transaction.atomic():
        item = _lock_item(item.pk)
        if not item.is_active:
            raise ValidationError(_("This item is no longer lent."))
        if child.school_id != item.school_id:
            raise ValidationError(_("This item belongs to another school."))
        if LibraryReservation.objects.filter(item=item, child=child, status__in=OPEN_RESERVATION).exists():
            raise ValidationError(_("%(item)s is already reserved for %(name)s.") % _names(item, child))
        if LibraryLoan.objects.filter(copy__item=item, child=child, returned_at__isnull=True).exists():
            raise ValidationError(_("%(name)s already has %(item)s at home.") % _names(item, child))
        if not LibraryCopy.objects.filter(item=item, is_active=True).exists():
            raise ValidationError(_("%(item)s has no copy to lend at the moment.") % {"item": item.name})
        now = timezone.now()
        copy = _free_copy(item)
        reservation = LibraryReservation(
            school_id=item.school_id, item=item, child=child, guardian=guardian, created_at=now
        )
        if copy is not None:
            reservation.status = ReservationStatus.READY
            reservation.held_copy = copy
            reservation.ready_at = now
        try:
            with transaction.atomic():
                reservation.save()
        except IntegrityError:
            raise ValidationError(_("%(item)s is already reserved for %(name)s.") % _names(item, child)) from None
    return reservation


def _names(item, child) -> dict:
    return {"item": item.name, "name": child.given_name}


def reservation_cancel(*, reservation: LibraryReservation, by) -> LibraryReservation | None:
    """Cancel a reservation; a copy it held passes to the next family waiting (returned: their reservation)."""
    with transaction.atomic():
        item = _lock_item(reservation.item_id)
        reservation = LibraryReservation.objects.select_for_update().get(pk=reservation.pk)
        if not reservation.is_open:
            raise ValidationError(_("This reservation is no longer open."))
        held = reservation.held_copy if reservation.status == ReservationStatus.READY else None
        reservation.status = ReservationStatus.CANCELLED
        reservation.held_copy = None
        reservation.closed_at = timezone.now()
        reservation.save(update_fields=["status", "held_copy", "closed_at"])
        if held is not None:
            return waiting_list_advance(item=item, copy=held)
    return None


def waiting_list_advance(*, item: LibraryItem, copy: LibraryCopy) -> LibraryReservation | None:
    """Set a copy just freed aside for the first family waiting, and tell them (inside the caller's transaction)."""
    from notifications.models import Category
    from notifications.services import notice_send

    reservation = (
        LibraryReservation.objects.select_for_update()
        .filter(item=item, status=ReservationStatus.WAITING)
        .select_related("child", "guardian")
        .order_by("created_at", "pk")
        .first()
    )
    if reservation is None:
        return None
    reservation.status = ReservationStatus.READY
    reservation.held_copy = copy
    reservation.ready_at = timezone.now()
    reservation.save(update_fields=["status", "held_copy", "ready_at"])
    recipients = {reservation.guardian_id} | set(
        Guardianship.objects.active()
        .filter(child_id=reservation.child_id, guardian__is_active=True)
        .values_list("guardian_id", flat=True)
    )
    from django.contrib.auth import get_user_model

    for user in get_user_model().objects.filter(pk__in=recipients):
        notice_send(
            recipient=user,
            category=Category.LOANS,
            title=READY_TITLE,
            body=READY_BODY,
            context={"item": item.name, "name": reservation.child.given_name, "code": copy.code},
            url=reverse("community:library_browse"),
            dedupe_key=f"library:ready:{reservation.pk}",
            school=item.school,
        )
    return reservation


def item_photo_set(*, item: LibraryItem, by, upload) -> LibraryItem:
    """Give an item its photo: the file goes through the media mechanism's checks (content, size) and thumbnails."""
    import tempfile
    from pathlib import Path

    from mediafiles.models import State
    from mediafiles.services import media_ingest, media_lock_for_attaching

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "photo"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        if path.stat().st_size == 0:
            raise ValidationError(_("Choose a photo to upload."))
        media = media_ingest(school=item.school, by=by, kind="image", path=path, filename=upload.name)
    if media.state == State.FAILED:
        raise ValidationError(media.failure_reason or _("This file is not a photo."))
    with transaction.atomic():
        if media_lock_for_attaching(media_id=media.pk) is None:
            raise ValidationError(_("This file was not found. Please upload it again."))
        item = LibraryItem.objects.select_for_update().get(pk=item.pk)
        item.photo = media
        item.save(update_fields=["photo"])
    return item


def _check_due(due_on: datetime.date) -> None:
    today = school_today()
    if due_on < today:
        raise ValidationError(_("The due date is in the past."))
    if due_on > today + datetime.timedelta(days=MAX_LOAN_DAYS):
        raise ValidationError(
            ngettext("A loan lasts at most %(days)s day.", "A loan lasts at most %(days)s days.", MAX_LOAN_DAYS)
            % {"days": MAX_LOAN_DAYS}
        )


def guardian_for_reservation(*, child: Child):
    """The guardian a reservation made at the desk is for (the primary one first)."""
    return _borrower_of(child)


def _borrower_of(child: Child, guardian=None):
    guardians = list(
        Guardianship.objects.active()
        .filter(child=child, guardian__is_active=True)
        .select_related("guardian")
        .order_by("-is_primary", "pk")
    )
    for g in guardians:
        if guardian is not None and g.guardian_id == guardian.pk:
            return g.guardian
    if not guardians:
        raise ValidationError(_("%(name)s has no guardian signed up to borrow for them.") % {"name": child.full_name})
    return guardians[0].guardian


def loan_check_out(
    *,
    copy: LibraryCopy,
    child: Child,
    due_on: datetime.date,
    by,
    condition: str = "",
    note: str = "",
) -> LibraryLoan:
    """Lend a copy to a child's family until `due_on`; the family's reservation of the item is collected."""
    _check_due(due_on)
    if condition and condition not in Condition.values:
        raise ValidationError(_("Choose the copy's condition from the list."))
    with transaction.atomic():
        item = _lock_item(copy.item_id)
        copy = LibraryCopy.objects.select_for_update().get(pk=copy.pk)
        if child.school_id != copy.school_id or child.left_on is not None:
            raise ValidationError(_("This child is not at this school."))
        if not copy.is_active or not item.is_active:
            raise ValidationError(_("Copy %(code)s is withdrawn: it cannot be lent.") % {"code": copy.code})
        if condition == Condition.LOST:
            raise ValidationError(_("A lost copy cannot be lent."))
        out = LibraryLoan.objects.filter(copy=copy, returned_at__isnull=True).select_related("child").first()
        if out is not None:
            raise ValidationError(
                _("Copy %(code)s is already out, lent to the family of %(name)s until %(due)s.")
                % {
                    "code": copy.code,
                    "name": out.child.given_name if out.child_id else _("a family whose data was erased"),
                    "due": out.due_on.strftime("%d/%m/%Y"),
                }
            )
        held = (
            LibraryReservation.objects.select_for_update()
            .filter(held_copy=copy, status=ReservationStatus.READY)
            .select_related("child")
            .first()
        )
        if held is not None and held.child_id != child.pk:
            raise ValidationError(
                _("Copy %(code)s is set aside for the family of %(name)s, who reserved it.")
                % {"code": copy.code, "name": held.child.given_name}
            )
        mine = (
            LibraryReservation.objects.select_for_update()
            .filter(item=item, child=child, status__in=OPEN_RESERVATION)
            .first()
        )
        borrower = _borrower_of(child, mine.guardian if mine else None)
        now = timezone.now()
        loan = LibraryLoan(
            school_id=copy.school_id,
            copy=copy,
            child=child,
            borrower=borrower,
            out_at=now,
            out_by=by,
            due_on=due_on,
            condition_out=condition or copy.condition,
            note=note,
        )
        try:
            with transaction.atomic():
                loan.save()
        except IntegrityError:
            raise ValidationError(_("Copy %(code)s is already out.") % {"code": copy.code}) from None
        if loan.condition_out != copy.condition:
            copy.condition = loan.condition_out
            copy.save(update_fields=["condition"])
        if mine is not None:
            old_hold = mine.held_copy_id if mine.status == ReservationStatus.READY else None
            mine.status = ReservationStatus.COLLECTED
            mine.held_copy = None
            mine.closed_at = now
            mine.save(update_fields=["status", "held_copy", "closed_at"])
            if old_hold is not None and old_hold != copy.pk:
                # The family took another copy than the one set aside: that one goes to the next family.
                waiting_list_advance(item=item, copy=LibraryCopy.objects.get(pk=old_hold))
    return loan


def loan_check_out_item(
    *, item: LibraryItem, child: Child, due_on: datetime.date, by, condition: str = ""
) -> LibraryLoan:
    """Lend any free copy of an item (the one set aside for this family first)."""
    held = LibraryReservation.objects.filter(
        item=item, child=child, status=ReservationStatus.READY, held_copy__isnull=False
    ).first()
    copy = held.held_copy if held else _free_copy(item)
    if copy is None:
        raise ValidationError(
            _("No copy of %(item)s is free: every copy is out or set aside for a family.") % {"item": item.name}
        )
    return loan_check_out(copy=copy, child=child, due_on=due_on, by=by, condition=condition)


def loan_check_in(
    *, copy: LibraryCopy, by, condition: str, note: str = ""
) -> tuple[LibraryLoan, LibraryReservation | None]:
    """Take a copy back with its condition; the waiting list moves on and the next family is told."""
    if condition not in Condition.values:
        raise ValidationError(_("Say in what condition the copy came back."))
    with transaction.atomic():
        item = _lock_item(copy.item_id)
        loan = LibraryLoan.objects.select_for_update().filter(copy=copy, returned_at__isnull=True).first()
        if loan is None:
            raise ValidationError(_("Copy %(code)s is not out: there is nothing to return.") % {"code": copy.code})
        loan.returned_at = timezone.now()
        loan.returned_by = by
        loan.condition_in = condition
        if note:
            loan.note = f"{loan.note}\n{note}".strip() if loan.note else note
        loan.save(update_fields=["returned_at", "returned_by", "condition_in", "note"])
        copy = LibraryCopy.objects.select_for_update().get(pk=copy.pk)
        copy.condition = condition
        fields = ["condition"]
        if condition == Condition.LOST:
            copy.is_active = False
            fields.append("is_active")
        copy.save(update_fields=fields)
        ready = None
        if copy.is_active and item.is_active:
            ready = waiting_list_advance(item=item, copy=copy)
    return loan, ready
