"""The library part's models: items a school lends to families, their copies, loans and reservations.

A copy is lent at most once at a time: the database holds one open loan per copy (a partial unique
constraint), so two desks scanning the same label at once cannot both lend it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Condition",
    "ItemCategory",
    "OPEN_RESERVATION",
    "LibraryCopy",
    "LibraryItem",
    "LibraryLoan",
    "LibraryReservation",
    "ReservationStatus",
]


class ItemCategory(models.TextChoices):
    TOY = "toy", _("Toy")
    BOOK = "book", _("Book")
    COSTUME = "costume", _("Costume")
    PROP = "prop", _("Performance prop")
    KIT = "kit", _("Kit")


class Condition(models.TextChoices):
    NEW = "new", _("New")
    GOOD = "good", _("Good")
    WORN = "worn", _("Worn")
    DAMAGED = "damaged", _("Damaged")
    LOST = "lost", _("Lost")


class ReservationStatus(models.TextChoices):
    WAITING = "waiting", _("On the waiting list")
    READY = "ready", _("Ready to collect")
    COLLECTED = "collected", _("Collected")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_RESERVATION = (ReservationStatus.WAITING, ReservationStatus.READY)


class LibraryItem(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="library_items")
    name = models.CharField(_("name"), max_length=150)
    category = models.CharField(_("category"), max_length=10, choices=ItemCategory.choices)
    description = models.TextField(_("description"), blank=True)
    photo = models.ForeignKey(
        "mediafiles.MediaFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo"),
    )
    age_from = models.PositiveSmallIntegerField(_("from age (years)"), default=2, validators=[MaxValueValidator(6)])
    age_to = models.PositiveSmallIntegerField(_("to age (years)"), default=6, validators=[MaxValueValidator(6)])
    # A donations record may name the item; only the text is kept here, never a link to that app.
    donor_credit = models.CharField(
        _("donor's credit"), max_length=200, blank=True, help_text=_("For example “Given by the family of Minh Khôi”.")
    )
    donor_reference = models.CharField(
        _("donation reference"), max_length=60, blank=True, help_text=_("Optional: the contribution's number.")
    )
    loan_days = models.PositiveSmallIntegerField(_("usual loan (days)"), default=7, validators=[MaxValueValidator(90)])
    is_active = models.BooleanField(_("offered to families"), default=True, help_text=_("Untick to withdraw the item."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("library item")
        verbose_name_plural = _("library items")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(age_from__lte=models.F("age_to")), name="library_item_age_range"),
        ]

    def __str__(self):
        return self.name


class LibraryCopy(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(LibraryItem, on_delete=models.CASCADE, related_name="copies", verbose_name=_("item"))
    code = models.CharField(
        _("label code"),
        max_length=20,
        validators=[RegexValidator(r"^[0-9A-Za-z-]+$", _("Use only letters, digits and hyphens."))],
        help_text=_("Printed on the label; the desk's scanner types it."),
    )
    condition = models.CharField(_("condition"), max_length=10, choices=Condition.choices, default=Condition.GOOD)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("copy")
        verbose_name_plural = _("copies")
        ordering = ["item__name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="library_copy_code_unique_in_school"),
        ]

    def __str__(self):
        return f"{self.code} · {self.item.name}"

    def save(self, *args, **kwargs):
        self.code = self.code.strip().upper()
        if not self.school_id and self.item_id:
            self.school_id = self.item.school_id
        super().save(*args, **kwargs)


class LibraryLoan(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    copy = models.ForeignKey(LibraryCopy, on_delete=models.PROTECT, related_name="loans")
    # The family is the child's: any of its guardians collects and returns; the borrower signed for it.
    # Both are emptied when the family's data is erased: the item's history keeps the dates only.
    child = models.ForeignKey(
        "schools.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="library_loans"
    )
    borrower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="library_loans"
    )
    out_at = models.DateTimeField()
    out_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due on"))
    condition_out = models.CharField(_("condition when lent"), max_length=10, choices=Condition.choices)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    condition_in = models.CharField(_("condition on return"), max_length=10, choices=Condition.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-out_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["copy"], condition=Q(returned_at__isnull=True), name="library_one_open_loan_per_copy"
            ),
        ]
        indexes = [models.Index(fields=["school", "due_on"], name="library_loan_school_due")]

    def __str__(self):
        return f"{self.copy_id} → {self.child_id}"

    @property
    def is_open(self) -> bool:
        return self.returned_at is None


class LibraryReservation(models.Model):
    """A family's wish for an item: on the waiting list, then held for them (a copy set aside) until collected."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(LibraryItem, on_delete=models.CASCADE, related_name="reservations")
    child = models.ForeignKey("schools.Child", on_delete=models.CASCADE, related_name="library_reservations")
    guardian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=ReservationStatus.choices, default=ReservationStatus.WAITING)
    held_copy = models.ForeignKey(LibraryCopy, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField()
    ready_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        ordering = ["created_at", "pk"]
        constraints = [
            # One open reservation per family (child) and item; one family held per copy.
            models.UniqueConstraint(
                fields=["item", "child"],
                condition=Q(status__in=["waiting", "ready"]),
                name="library_one_open_reservation",
            ),
            models.UniqueConstraint(
                fields=["held_copy"], condition=Q(status="ready"), name="library_one_hold_per_copy"
            ),
        ]

    def __str__(self):
        return f"{self.item_id} · {self.child_id} · {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_RESERVATION
