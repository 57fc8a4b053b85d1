"""Donations and sponsorship: donors, campaigns, contributions, spending and the public ledger.

Sponsorship of schools must be voluntary, public and transparent, and a donor's privacy is theirs:
a donor is shown publicly only by the name they chose to show ("anonymous" by default), their contact
details are seen by the principal and the accountant only, and the ledger names a donor only by a
random reference that says nothing about them.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coordination.lib.phone import normalize_phone


def new_reference() -> str:
    """A donor's pseudonymous reference in the ledger: random, never derived from who they are."""
    return "D" + secrets.token_hex(8).upper()


def hours_plural(hours) -> int:
    """The whole number that chooses the plural form of "hours": gettext counts only whole numbers."""
    hours = Decimal(hours or 0)
    # A part of an hour reads as several in English and Vietnamese ("1.5 hours").
    return int(hours) if hours == hours.to_integral_value() else 2


class SchoolRow(models.Model):
    """A row that belongs to its parent row's school, and says so in its own `school` column.

    Under Citus every table of school data is distributed by school_id (docs/scaling.md), so a row
    reached through a campaign, a contribution or a donor carries the school too. It is filled from the
    parent row on save; code that uses bulk_create sets it itself.
    """

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+", editable=False)
    # The foreign key whose row holds the school.
    school_from = ""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.school_id is None:
            self.school_id = getattr(self, self.school_from).school_id
        super().save(*args, **kwargs)


class DonorKind(models.TextChoices):
    GUARDIAN = "guardian", _("A child's guardian")
    PERSON = "person", _("Another person")
    BUSINESS = "business", _("A business")
    ORGANISATION = "organisation", _("An organisation")


class DonorDisplay(models.TextChoices):
    ANONYMOUS = "anonymous", _("Anonymous")
    NAME = "name", _("My name")
    CHOSEN = "chosen", _("A name I choose")


class Donor(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="donors")
    kind = models.CharField(_("donor"), max_length=15, choices=DonorKind.choices)
    name = models.CharField(_("name"), max_length=200, help_text=_("The person's or the company's full name."))
    # A guardian's own account, or the account a donor made through the accountant's invitation.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="donor_records",
        verbose_name=_("account"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.TextField(_("address"), blank=True)
    tax_code = models.CharField(_("tax code"), max_length=20, blank=True)
    # How the donor is shown in public (the transparency board, the honour roll): anonymous unless
    # the donor chose otherwise.
    display = models.CharField(
        _("shown in public as"), max_length=10, choices=DonorDisplay.choices, default=DonorDisplay.ANONYMOUS
    )
    display_name = models.CharField(_("name shown in public"), max_length=100, blank=True)
    language = models.CharField(
        _("language of letters"), max_length=8, choices=[("vi", "Tiếng Việt"), ("en", "English")], default="vi"
    )
    reference = models.CharField(
        _("ledger reference"), max_length=17, unique=True, default=new_reference, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["school", "name"], name="donor_school_name")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "user"], condition=models.Q(user__isnull=False), name="one_donor_per_account"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def chosen_public_name(self) -> str:
        """The name the donor chose to be shown by, or "" when they stay anonymous."""
        if self.display == DonorDisplay.NAME:
            return self.name
        if self.display == DonorDisplay.CHOSEN and self.display_name:
            return self.display_name
        return ""

    @property
    def public_name(self) -> str:
        """What public pages show: the name only when the donor chose to show it."""
        return self.chosen_public_name or str(_("Anonymous"))

    def clean(self):
        super().clean()
        errors = {}
        if self.display == DonorDisplay.CHOSEN and not self.display_name.strip():
            errors["display_name"] = _("Write the name to show, or choose “Anonymous”.")
        if self.kind == DonorKind.GUARDIAN:
            from parents.models import Guardianship

            if not self.user_id:
                errors["user"] = _("Choose the guardian's account.")
            elif (
                self.school_id
                and not Guardianship.objects.active()
                .filter(guardian_id=self.user_id, child__school_id=self.school_id)
                .exists()
            ):
                errors["user"] = _("This account is not a guardian of a child at this school.")
        if self.phone:
            try:
                self.phone = normalize_phone(self.phone)
            except ValidationError as exc:
                errors["phone"] = exc.messages
        if errors:
            raise ValidationError(errors)


# --- The school's bank account and its sponsorship team


class SchoolAccount(models.Model):
    """The school's bank account for gifts: the campaign page shows it as a VietQR code."""

    school = models.OneToOneField("schools.School", on_delete=models.CASCADE, related_name="donation_account")
    bank_name = models.CharField(_("bank"), max_length=100)
    bank_bin = models.CharField(
        _("bank's BIN"), max_length=6, help_text=_("The six-digit number of the bank in NAPAS, for example 970415.")
    )
    account_number = models.CharField(_("account number"), max_length=19)
    account_name = models.CharField(_("account holder"), max_length=100)

    class Meta:
        verbose_name = _("school's bank account")
        verbose_name_plural = _("schools' bank accounts")

    def __str__(self):
        return f"{self.bank_name} {self.account_number}"

    def clean(self):
        super().clean()
        errors = {}
        if not (self.bank_bin.isdigit() and len(self.bank_bin) == 6):
            errors["bank_bin"] = _("A bank's BIN is six digits.")
        if not (self.account_number.isdigit() and 6 <= len(self.account_number) <= 19):
            errors["account_number"] = _("An account number is 6 to 19 digits.")
        if errors:
            raise ValidationError(errors)


class TeamRole(models.TextChoices):
    LEAD = "lead", _("Leads the team")
    MEMBER = "member", _("Member")


class TeamMember(models.Model):
    """A member of the school's sponsorship team, named by the principal (with at least one board member)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="sponsorship_team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sponsorship_teams", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=10, choices=TeamRole.choices, default=TeamRole.MEMBER)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    appointed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("sponsorship team member")
        verbose_name_plural = _("sponsorship team")
        constraints = [models.UniqueConstraint(fields=["school", "user"], name="one_team_seat_per_person")]

    def __str__(self):
        return str(self.user)


# --- Campaigns


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMMENT = "comment", _("Published for comment")
    OPEN = "open", _("Open for contributions")
    CLOSED = "closed", _("Closed")
    SETTLED = "settled", _("Settled")


class Use(models.TextChoices):
    """The uses that sponsorship may pay for (Circular 16/2018), and those it never may."""

    EQUIPMENT = "equipment", _("Teaching and learning equipment")
    FACILITIES = "facilities", _("Facilities")
    ACTIVITIES = "activities", _("Educational activities")
    # Offered only to be refused with a reason: naming them is how a mistake is caught.
    STAFF_PAY = "staff_pay", _("Staff pay or bonuses")
    SECURITY = "security", _("Security and guarding")
    OTHER = "other", _("Something else")


ALLOWED_USES = frozenset({Use.EQUIPMENT, Use.FACILITIES, Use.ACTIVITIES})
DEFAULT_COMMENT_DAYS = 15
MAX_AMOUNT = 10_000_000_000  # đồng: anything above is a typing mistake


class Campaign(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="campaigns")
    title = models.CharField(pgettext_lazy("heading of a campaign", "title"), max_length=200)
    purpose = models.TextField(_("purpose"), help_text=_("What the gifts are for, and why."))
    beneficiaries = models.TextField(_("beneficiaries"), help_text=_("Who benefits: which classes or children."))
    use_plan = models.TextField(_("how the gifts will be used"))
    # Which allowed uses the plan covers: spending outside them is outside the plan.
    uses = models.JSONField(_("uses in the plan"), default=list, blank=True)
    target_amount = models.BigIntegerField(_("cash target (đồng)"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=CampaignState.choices, default=CampaignState.DRAFT)
    comment_days = models.PositiveSmallIntegerField(
        _("working days for comment"), default=DEFAULT_COMMENT_DAYS, help_text=_("At least 15 working days.")
    )
    collect_from = models.DateField(_("collecting from"), null=True, blank=True)
    collect_until = models.DateField(_("collecting until"), null=True, blank=True)
    published_at = models.DateTimeField(_("published for comment"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    comment_until = models.DateField(_("comments until"), null=True, blank=True, editable=False)
    # The principal's confirmation of the checklist (voluntary, no amount for families, allowed uses).
    checklist_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "state"], name="campaign_school_state")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_amount__isnull=True)
                | models.Q(target_amount__gt=0, target_amount__lte=MAX_AMOUNT),
                name="campaign_target_in_range",
            ),
            models.CheckConstraint(condition=models.Q(comment_days__gte=15), name="campaign_comment_days_min"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_public(self) -> bool:
        return self.state != CampaignState.DRAFT

    @property
    def accepts_contributions(self) -> bool:
        return self.state == CampaignState.OPEN

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("donations:campaign", kwargs={"slug": self.school.slug, "pk": self.pk})


class WishItem(SchoolRow):
    """One line of the wish list: "1 oven", "20 costumes"."""

    school_from = "campaign"
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="wishes")
    name = models.CharField(_("item"), max_length=200)
    quantity = models.PositiveIntegerField(_("number needed"), default=1)
    is_equipment = models.BooleanField(
        _("equipment"), default=True, help_text=_("Equipment received goes into the school's asset register.")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("wish-list item")
        verbose_name_plural = _("wish list")
        ordering = ["position", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gte=1), name="wish_quantity_positive")]

    def __str__(self):
        return f"{self.quantity} × {self.name}"


class Comment(SchoolRow):
    """A family's comment on a plan published for comment, and the principal's answer."""

    school_from = "campaign"
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    answer = models.TextField(_("answer"), blank=True, max_length=4000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("comment on a plan")
        verbose_name_plural = _("comments on plans")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:60]


# --- Contributions


class ContributionKind(models.TextChoices):
    CASH = "cash", _("Cash")
    IN_KIND = "in_kind", _("Goods")
    WORK = "work", _("Work")


class ContributionState(models.TextChoices):
    PLEDGED = "pledged", _("Pledged")
    RECEIVED = "received", _("Received")
    CANCELLED = "cancelled", _("Cancelled")
    REVERSED = "reversed", _("Reversed")


def new_payment_reference() -> str:
    """What a family writes in a bank transfer's message so the statement finds their pledge."""
    alphabet = "ACDEFGHJKMNPQRTUVWXY34679"  # no letters a reader confuses
    return "UH" + "".join(secrets.choice(alphabet) for _ in range(8))


class Contribution(models.Model):
    """What one donor chose to give to one campaign. There is no amount that anyone is asked for."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="contributions")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="contributions")
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="contributions")
    kind = models.CharField(_("kind"), max_length=10, choices=ContributionKind.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=ContributionState.choices, default=ContributionState.PLEDGED
    )
    # Cash, in whole đồng.
    amount = models.BigIntegerField(_("amount (đồng)"), null=True, blank=True)
    # Goods.
    wish = models.ForeignKey(
        WishItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("wish-list item"),
    )
    items = models.CharField(_("items"), max_length=300, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    estimated_value = models.BigIntegerField(_("estimated value (đồng)"), null=True, blank=True)
    condition = models.CharField(_("condition"), max_length=100, blank=True)
    # Work.
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, null=True, blank=True)
    work_description = models.CharField(_("work done"), max_length=300, blank=True)

    note = models.CharField(_("note"), max_length=300, blank=True)
    payment_reference = models.CharField(
        _("transfer reference"), max_length=12, unique=True, default=new_payment_reference, editable=False
    )
    bank_reference = models.CharField(_("bank's reference"), max_length=64, blank=True, editable=False)
    receipt_year = models.PositiveSmallIntegerField(_("receipt year"), null=True, blank=True, editable=False)
    receipt_number = models.PositiveIntegerField(_("receipt number"), null=True, blank=True, editable=False)
    pledged_at = models.DateTimeField(_("pledged"), default=timezone.now, editable=False)
    received_on = models.DateField(_("received on"), null=True, blank=True, editable=False)
    received_at = models.DateTimeField(_("recorded as received"), null=True, blank=True, editable=False)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    ended_at = models.DateTimeField(_("cancelled or reversed"), null=True, blank=True, editable=False)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    end_reason = models.CharField(_("reason"), max_length=300, blank=True, editable=False)
    thanked_at = models.DateTimeField(_("thanked"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-pledged_at", "-pk"]
        indexes = [
            models.Index(fields=["campaign", "state"], name="contribution_campaign_state"),
            models.Index(fields=["school", "-received_on"], name="contribution_school_received"),
            models.Index(fields=["donor", "-pledged_at"], name="contribution_donor"),
            # A campaign's received gifts, newest first, as the transparency board pages them: a page
            # is read from the index instead of joining and sorting every gift (BENCHMARKS.md).
            models.Index(fields=["campaign", "state", "-received_on", "-id"], name="contribution_public_list"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "receipt_year", "receipt_number"],
                condition=models.Q(receipt_number__isnull=False),
                name="receipt_number_unique",
            ),
            models.UniqueConstraint(
                fields=["school", "bank_reference"], condition=~models.Q(bank_reference=""), name="bank_line_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="cash") | models.Q(amount__gt=0, amount__lte=MAX_AMOUNT),
                name="cash_amount_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(estimated_value__isnull=True)
                | models.Q(estimated_value__gte=0, estimated_value__lte=MAX_AMOUNT),
                name="estimated_value_in_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="work") | models.Q(hours__gt=0, hours__lte=10000), name="work_hours_in_range"
            ),
        ]

    def __str__(self):
        if self.receipt_number:
            return _("Receipt %(number)s") % {"number": self.receipt_label}
        return _("Contribution %(reference)s") % {"reference": self.payment_reference}

    @property
    def receipt_label(self) -> str:
        if not self.receipt_number:
            return ""
        return f"{self.receipt_year}-{self.receipt_number:06d}"

    @property
    def value(self) -> int:
        """The contribution's worth in đồng: the cash, or the goods' estimated value (work counts hours)."""
        if self.kind == ContributionKind.CASH:
            return self.amount or 0
        if self.kind == ContributionKind.IN_KIND:
            return self.estimated_value or 0
        return 0

    @property
    def hours_plural(self) -> int:
        return hours_plural(self.hours)


class ReceiptCounter(models.Model):
    """The last receipt number given per school and calendar year; locked while a number is taken."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "year"], name="one_receipt_counter_per_year")]

    def __str__(self):
        return f"{self.school_id}/{self.year}: {self.last_number}"


class ContributionEvent(SchoolRow):
    """Who did what to a contribution, and when: the history the admin shows."""

    school_from = "contribution"
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("what"), max_length=40)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("history")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


class ContributionEvidence(SchoolRow):
    """A photo of the goods, the transfer's slip or the handover."""

    school_from = "contribution"
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="evidence")
    media = models.ForeignKey("mediafiles.MediaFile", on_delete=models.PROTECT, related_name="+")
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.caption or str(self.media_id)


class Handover(SchoolRow):
    """The record of goods handed over to the school, signed by both sides' names."""

    school_from = "contribution"
    contribution = models.OneToOneField(Contribution, on_delete=models.CASCADE, related_name="handover")
    handed_over_on = models.DateField(_("handed over on"))
    giver_name = models.CharField(_("handed over by"), max_length=200)
    receiver_name = models.CharField(_("received by"), max_length=200)
    receiver_title = models.CharField(_("receiver's position"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("handover record")
        verbose_name_plural = _("handover records")

    def __str__(self):
        return str(_("Handover of %(items)s") % {"items": self.contribution.items})


class Asset(models.Model):
    """An entry of the school's asset register; donated equipment carries its donor's credit."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="assets")
    name = models.CharField(_("name"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    value = models.BigIntegerField(_("value (đồng)"), default=0)
    acquired_on = models.DateField(_("acquired on"))
    condition = models.CharField(_("condition"), max_length=100, blank=True)
    location = models.CharField(_("where it is"), max_length=100, blank=True)
    contribution = models.ForeignKey(
        Contribution, on_delete=models.SET_NULL, null=True, blank=True, related_name="assets"
    )
    # The credit as the donor chose to be shown; blank for a donor who stays anonymous.
    credit = models.CharField(_("given by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("asset register")
        ordering = ["-acquired_on", "-pk"]

    def __str__(self):
        return self.name


# --- Spending


class SpendingState(models.TextChoices):
    RECORDED = "recorded", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    REVERSED = "reversed", _("Reversed")


class Spending(SchoolRow):
    """Money spent from a campaign: recorded by the accountant, approved by the principal."""

    school_from = "campaign"
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="spendings")
    use = models.CharField(_("purpose"), max_length=12, choices=Use.choices)
    description = models.CharField(_("what was bought or paid"), max_length=300)
    amount = models.BigIntegerField(_("amount (đồng)"))
    spent_on = models.DateField(_("date"))
    state = models.CharField(_("state"), max_length=10, choices=SpendingState.choices, default=SpendingState.RECORDED)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    rejection_reason = models.CharField(_("why it was rejected"), max_length=300, blank=True, editable=False)
    # Spending beyond the campaign's balance: the principal's explicit, recorded decision.
    over_balance_reason = models.CharField(_("why spending beyond the balance"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("spending")
        verbose_name_plural = _("spending")
        ordering = ["-spent_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0, amount__lte=MAX_AMOUNT), name="spending_amount_in_range"
            )
        ]

    def __str__(self):
        return self.description


class SpendingEvidence(SchoolRow):
    """An invoice or a photo; public unless the principal marks it as holding personal data."""

    school_from = "spending"
    spending = models.ForeignKey(Spending, on_delete=models.CASCADE, related_name="evidence")
    media = models.ForeignKey("mediafiles.MediaFile", on_delete=models.PROTECT, related_name="+")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    personal = models.BooleanField(_("holds personal data"), default=False, help_text=_("Not shown in public."))

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.caption or str(self.media_id)


# --- The ledger


class EntryKind(models.TextChoices):
    RECEIPT = "receipt", _("Received")
    SPENDING = "spending", _("Spent")
    REVERSAL = "reversal", _("Correction")


class LedgerEntry(models.Model):
    """One entry of a school's append-only ledger, chained to the one before by its hash.

    `canonical` is the exact text that is hashed and published: it names no person. The donor's
    pseudonymous reference is kept beside it, outside the hashed content, so a donor who becomes
    anonymous or is erased later leaves the chain valid. Rows are never updated or deleted (in
    code, and on PostgreSQL by a trigger); a correction is a new entry that reverses an old one.
    """

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="ledger")
    seq = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="ledger")
    contribution = models.ForeignKey(
        Contribution, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger"
    )
    spending = models.ForeignKey(Spending, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger")
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by")
    amount = models.BigIntegerField(_("cash (đồng)"), default=0)  # signed: in positive, out negative
    value_in_kind = models.BigIntegerField(_("goods (đồng)"), default=0)
    donor_reference = models.CharField(_("donor's reference"), max_length=17, blank=True)
    canonical = models.TextField(_("canonical content"))
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger")
        ordering = ["school", "seq"]
        constraints = [models.UniqueConstraint(fields=["school", "seq"], name="ledger_seq_unique")]
        indexes = [models.Index(fields=["campaign", "seq"], name="ledger_campaign_seq")]

    def __str__(self):
        return f"#{self.seq} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("A ledger entry is never changed: record a correction instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A ledger entry is never deleted: record a correction instead."))


# --- Settlement


class Settlement(SchoolRow):
    """The public settlement report that closes a campaign, co-signed by the parents' board."""

    school_from = "campaign"
    campaign = models.OneToOneField(Campaign, on_delete=models.PROTECT, related_name="settlement")
    summary = models.TextField(_("summary"), help_text=_("What was achieved, and what happens to any balance."))
    figures = models.JSONField(default=dict, editable=False)  # the totals when it was prepared
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    prepared_at = models.DateTimeField(default=timezone.now, editable=False)
    cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    cosigner_name = models.CharField(max_length=200, blank=True, editable=False)
    cosigned_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("settlement report")
        verbose_name_plural = _("settlement reports")

    def __str__(self):
        return str(self.campaign)


# --- Bank statements


class BankImport(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="bank_imports")
    file_name = models.CharField(_("file"), max_length=255)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)
    rows = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    unmatched = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bank statement import")
        verbose_name_plural = _("bank statement imports")
        ordering = ["-imported_at"]

    def __str__(self):
        return self.file_name


class BankLine(models.Model):
    """A statement row that matched nothing: waiting for the accountant to assign it."""

    bank_import = models.ForeignKey(BankImport, on_delete=models.CASCADE, related_name="lines")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    row = models.PositiveIntegerField(_("row"))
    date = models.DateField(_("date"))
    amount = models.BigIntegerField(_("amount (đồng)"))
    message = models.CharField(_("message"), max_length=300, blank=True)
    bank_reference = models.CharField(_("bank's reference"), max_length=64)
    contribution = models.OneToOneField(
        Contribution, on_delete=models.SET_NULL, null=True, blank=True, related_name="bank_line"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("unmatched bank transfer")
        verbose_name_plural = _("unmatched bank transfers")
        ordering = ["date", "row"]
        constraints = [models.UniqueConstraint(fields=["school", "bank_reference"], name="bank_line_unique")]

    def __str__(self):
        return f"{self.date} {self.amount} {self.message}"


# --- Honour roll and letters


class RollPeriod(models.TextChoices):
    MONTH = "month", _("Month")
    YEAR = "year", _("School year")


class HonourRoll(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="honour_rolls")
    period = models.CharField(_("period"), max_length=6, choices=RollPeriod.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    title = models.CharField(pgettext_lazy("heading of an honour roll", "title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    published_at = models.DateTimeField(
        pgettext_lazy("date published", "published"), null=True, blank=True, editable=False
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    class Meta:
        verbose_name = _("honour roll")
        verbose_name_plural = _("honour rolls")
        ordering = ["-starts_on", "period"]
        constraints = [models.UniqueConstraint(fields=["school", "period", "starts_on"], name="one_roll_per_period")]

    def __str__(self):
        return self.title


class HonourLine(SchoolRow):
    school_from = "roll"

    roll = models.ForeignKey(HonourRoll, on_delete=models.CASCADE, related_name="lines")
    donor = models.ForeignKey(Donor, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Drafted from the donor's public name ("anonymous" unless they chose to be named).
    shown_as = models.CharField(_("shown as"), max_length=200)
    gift = models.CharField(_("gift"), max_length=300)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    photo = models.ForeignKey(
        "mediafiles.MediaFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo"),
    )

    class Meta:
        verbose_name = _("name on the roll")
        verbose_name_plural = _("names on the roll")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.shown_as


class Letter(models.Model):
    """A thank-you letter: for one contribution, or for a donor's gifts over a period."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="letters")
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, null=True, blank=True, related_name="letters"
    )
    period_from = models.DateField(null=True, blank=True)
    period_until = models.DateField(null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, default="vi")
    # A child's drawing, chosen by a teacher, only with the guardians' consent for this purpose.
    drawing = models.ForeignKey(
        "mediafiles.MediaFile", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    drawing_child = models.ForeignKey(
        "schools.Child", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thank-you letter")
        verbose_name_plural = _("thank-you letters")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return str(_("Thank-you letter to %(donor)s") % {"donor": self.donor.public_name})


class DonorInvitation(SchoolRow):
    """The accountant's link that lets a donor make an account and see their own page."""

    school_from = "donor"
    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("donor invitation")
        verbose_name_plural = _("donor invitations")

    def __str__(self):
        return str(self.donor)
