"""Donations: every write, each one atomic, each one checking the sponsorship rules.

The services check the rules of the thing itself (a campaign that is not open takes no gift, an
amount is whole đồng and sane, a receipt is never given twice); who may call them is the views'
and the admin's business (donations/policies.py). Bad input raises ValidationError with a message
in the user's language and changes nothing.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from coordination.lib.money import format_vnd
from donations import ledger
from donations.models import (
    ALLOWED_USES,
    DEFAULT_COMMENT_DAYS,
    MAX_AMOUNT,
    Asset,
    Campaign,
    CampaignState,
    Comment,
    Contribution,
    ContributionEvent,
    ContributionKind,
    ContributionState,
    Donor,
    DonorKind,
    EntryKind,
    LedgerEntry,
    ReceiptCounter,
    Settlement,
    Spending,
    SpendingState,
    TeamMember,
    Use,
    WishItem,
)

# The standard statement that every published plan carries.
VOLUNTARY_STATEMENT = gettext_lazy(
    "Giving is voluntary. No amount is set for any family, there is no minimum and no average: "
    "every gift, of any size or none, is welcome, and nobody is ever told who gave or did not."
)

# What the principal confirms before a plan is published for comment.
CHECKLIST = {
    "voluntary": gettext_lazy("Giving is voluntary: nobody is asked, pressed or reminded to give."),
    "no_amount": gettext_lazy("No amount is set for families: no fixed, minimum or average sum."),
    "allowed_uses": gettext_lazy(
        "The gifts go only to allowed uses: teaching and learning equipment, facilities and educational "
        "activities, never staff pay or security."
    ),
}

# Why a use is refused, in the words a principal needs.
REFUSED_USES = {
    Use.STAFF_PAY: gettext_lazy(
        "Sponsorship may never pay staff: salaries, bonuses and allowances come from the school's budget."
    ),
    Use.SECURITY: gettext_lazy("Sponsorship may not pay for security and guarding: that is the school's budget."),
    Use.OTHER: gettext_lazy(
        "Sponsorship may pay only for teaching and learning equipment, facilities and educational activities."
    ),
}
# Words in a spending's description that mean staff pay, whatever purpose was chosen.
_PAY_WORDS = re.compile(
    r"\b(lương|tiền thưởng|bồi dưỡng|phụ cấp|trợ cấp|salary|salaries|wages?|bonus(es)?|allowances?|"
    r"bảo vệ trường|security guards?)\b",
    re.IGNORECASE,
)

# A per-family amount in a plan: a sum of money in the same sentence as "each family", "minimum"...
_MONEY = re.compile(r"\d[\d.,\s]*\s*(đ\b|đồng|vnđ|vnd|₫|k\b|nghìn|ngàn|triệu|tr\b|dong\b)", re.IGNORECASE)
_PER_FAMILY = re.compile(
    r"(mỗi|một|1)\s*(phụ huynh|gia đình|cháu|trẻ|học sinh|hs|em|bé|ph)\b|/\s*(cháu|trẻ|hs|học sinh|phụ huynh|ph|bé)\b|"
    r"tối thiểu|ít nhất|bình quân|trung bình|mức (đóng|góp|ủng hộ)|định mức|bắt buộc|"
    r"per (family|child|parent|pupil)|each (family|child|parent)|minimum|at least|average|compulsory|mandatory",
    re.IGNORECASE,
)
_SENTENCES = re.compile(r"[;\n!?]+|\.(?=\s|$)")


def campaign_reference(campaign: Campaign) -> str:
    """What a bank transfer's message carries for a gift to the campaign without a pledge."""
    return f"CD{campaign.pk:06d}"


CAMPAIGN_REFERENCE = re.compile(r"CD(\d{6})", re.IGNORECASE)
PAYMENT_REFERENCE = re.compile(r"UH[ACDEFGHJKMNPQRTUVWXY34679]{8}", re.IGNORECASE)


# --- Checks shared by the services


def whole_dong(value, *, field: str = "amount", allow_zero: bool = False) -> int:
    """A sum of money in whole đồng, positive and below the absurd; a clear message otherwise."""
    if value is None or value == "":
        raise ValidationError({field: _("Write the amount in đồng.")})
    if isinstance(value, bool):
        raise ValidationError({field: _("Write the amount in đồng.")})
    try:
        number = Decimal(str(value).strip().replace(" ", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Write the amount as a number of đồng.")}) from None
    if number != number.to_integral_value():
        raise ValidationError({field: _("Amounts are in whole đồng, without fractions.")})
    number = int(number)
    if number < 0 or (number == 0 and not allow_zero):
        raise ValidationError({field: _("The amount must be more than zero.")})
    if number > MAX_AMOUNT:
        raise ValidationError(
            {
                field: _("%(amount)s is more than 10 billion đồng: please check the amount.")
                % {"amount": format_vnd(number)}
            }
        )
    return number


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason: it is recorded with the change.")})
    return reason[:300]


def _event(contribution: Contribution, action: str, by, detail: str = "") -> None:
    ContributionEvent.objects.create(contribution=contribution, action=action, by=by, detail=detail[:300])


# --- Campaigns


def plan_problems(*, campaign: Campaign) -> list[str]:
    """What keeps a plan from being published: an amount set for families, uses outside the rules."""
    problems = []
    text = "\n".join([campaign.title, campaign.purpose, campaign.beneficiaries, campaign.use_plan])
    for sentence in _SENTENCES.split(text):
        if _MONEY.search(sentence) and _PER_FAMILY.search(sentence):
            problems.append(
                _(
                    "The plan sets an amount for families (“%(sentence)s”). Giving is voluntary: remove any "
                    "fixed, minimum or average amount."
                )
                % {"sentence": sentence.strip()[:120]}
            )
    uses = campaign.uses or []
    if not uses:
        problems.append(_("Choose what the gifts will be used for."))
    for use in uses:
        if use not in ALLOWED_USES:
            problems.append(str(REFUSED_USES.get(use, REFUSED_USES[Use.OTHER])))
    for field, label in (
        ("purpose", _("the purpose")),
        ("beneficiaries", _("who benefits")),
        ("use_plan", _("how the gifts will be used")),
    ):
        if not getattr(campaign, field).strip():
            problems.append(_("The plan must say %(what)s.") % {"what": label})
    return problems


@transaction.atomic
def campaign_create(
    *,
    school,
    by,
    title: str,
    purpose: str,
    beneficiaries: str,
    use_plan: str,
    uses,
    target_amount=None,
    wishes=(),
    comment_days: int = DEFAULT_COMMENT_DAYS,
    collect_from: datetime.date | None = None,
    collect_until: datetime.date | None = None,
) -> Campaign:
    """Draft a campaign's written plan with its wish list."""
    target_amount = whole_dong(target_amount, field="target_amount") if target_amount not in (None, "") else None
    if comment_days < DEFAULT_COMMENT_DAYS:
        raise ValidationError({"comment_days": _("A plan is open for comment at least 15 working days.")})
    campaign = Campaign(
        school=school,
        title=title.strip(),
        purpose=purpose,
        beneficiaries=beneficiaries,
        use_plan=use_plan,
        uses=sorted(set(uses)),
        target_amount=target_amount,
        comment_days=comment_days,
        collect_from=collect_from,
        collect_until=collect_until,
        created_by=by,
    )
    campaign.full_clean(exclude=["uses"])
    campaign.save()
    for position, (name, quantity, is_equipment) in enumerate(wishes):
        if not name.strip() or int(quantity) < 1:
            raise ValidationError({"wishes": _("Each wish-list item needs a name and a number of at least 1.")})
        WishItem.objects.create(
            campaign=campaign, name=name.strip(), quantity=int(quantity), is_equipment=is_equipment, position=position
        )
    return campaign


def _lock(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update(of=("self",)).select_related("school").get(pk=campaign.pk)


def team_has_board_member(school) -> bool:
    from parents.models import BoardMember

    team = TeamMember.objects.filter(school=school).values("user_id")
    return BoardMember.objects.filter(school=school, school_year__is_current=True, guardian_id__in=team).exists()


@transaction.atomic
def campaign_publish(*, campaign: Campaign, by, confirmed, today: datetime.date | None = None) -> Campaign:
    """Publish the plan for comment, for its period of working days, after the principal's checklist."""
    from schools.calendar import add_working_days

    campaign = _lock(campaign)
    if campaign.state != CampaignState.DRAFT:
        raise ValidationError(_("Only a draft plan can be published for comment."))
    missing = [str(text) for key, text in CHECKLIST.items() if key not in set(confirmed or ())]
    if missing:
        raise ValidationError(
            _("Confirm every point of the checklist before publishing: %(points)s") % {"points": " ".join(missing)}
        )
    problems = plan_problems(campaign=campaign)
    if problems:
        raise ValidationError(problems)
    if not team_has_board_member(campaign.school):
        raise ValidationError(
            _("Name the sponsorship team first, with at least one member of the parents' board of this school year.")
        )
    today = today or timezone.localdate()
    campaign.state = CampaignState.COMMENT
    campaign.published_at = timezone.now()
    campaign.published_by = by
    campaign.checklist_confirmed_at = campaign.published_at
    campaign.comment_until = add_working_days(campaign.school, today, campaign.comment_days)
    campaign.save(update_fields=["state", "published_at", "published_by", "checklist_confirmed_at", "comment_until"])
    return campaign


@transaction.atomic
def campaign_open(*, campaign: Campaign, by, today: datetime.date | None = None) -> Campaign:
    """Start collecting, once the comment period has run in full."""
    campaign = _lock(campaign)
    if campaign.state != CampaignState.COMMENT:
        raise ValidationError(_("Only a plan that was published for comment can be opened."))
    today = today or timezone.localdate()
    if campaign.comment_until and today <= campaign.comment_until:
        raise ValidationError(
            _("The plan is open for comment until %(date)s; collecting can start the next day.")
            % {"date": campaign.comment_until.strftime("%d/%m/%Y")}
        )
    campaign.state = CampaignState.OPEN
    campaign.opened_at = timezone.now()
    campaign.save(update_fields=["state", "opened_at"])
    return campaign


@transaction.atomic
def campaign_close(*, campaign: Campaign, by) -> Campaign:
    """Stop collecting; pledges already made can still be received."""
    campaign = _lock(campaign)
    if campaign.state != CampaignState.OPEN:
        raise ValidationError(_("Only an open campaign can be closed."))
    campaign.state = CampaignState.CLOSED
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["state", "closed_at"])
    return campaign


@transaction.atomic
def comment_add(*, campaign: Campaign, by, body: str) -> Comment:
    """A family's comment on a plan published for comment."""
    if campaign.state != CampaignState.COMMENT:
        raise ValidationError(_("Comments are taken while the plan is published for comment."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write your comment.")})
    if len(body) > 2000:
        raise ValidationError({"body": _("A comment holds at most 2,000 characters.")})
    return Comment.objects.create(campaign=campaign, author=by, body=body)


@transaction.atomic
def comment_answer(*, comment: Comment, by, answer: str) -> Comment:
    """The principal's answer to a comment, shown under it."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    comment.answer = answer[:4000]
    comment.answered_by = by
    comment.answered_at = timezone.now()
    comment.save(update_fields=["answer", "answered_by", "answered_at"])
    return comment


# --- Donors


def donor_for_guardian(*, school, user) -> Donor:
    """The guardian's donor record at the school, made the first time they give."""
    donor = Donor.objects.filter(school=school, user=user).first()
    if donor is None:
        donor = Donor.objects.create(
            school=school,
            kind=DonorKind.GUARDIAN,
            name=user.get_full_name() or user.get_username(),
            user=user,
            email=getattr(user, "email", "") or "",
            phone=getattr(user, "phone", "") or "",
            created_by=user,
        )
    return donor


# --- Contributions


def _gift_fields(
    *,
    kind,
    amount=None,
    wish=None,
    items="",
    quantity=None,
    estimated_value=None,
    condition="",
    hours=None,
    work_description="",
    campaign=None,
) -> dict:
    """The checked fields of a gift of the given kind."""
    if kind == ContributionKind.CASH:
        return {"amount": whole_dong(amount)}
    if kind == ContributionKind.IN_KIND:
        if wish is not None and campaign is not None and wish.campaign_id != campaign.pk:
            raise ValidationError({"wish": _("That item is not on this campaign's wish list.")})
        items = (items or "").strip() or (wish.name if wish is not None else "")
        if not items:
            raise ValidationError({"items": _("Say what you give.")})
        try:
            quantity = int(quantity or 1)
        except (TypeError, ValueError):
            raise ValidationError({"quantity": _("The quantity is a whole number.")}) from None
        if quantity < 1 or quantity > 100_000:
            raise ValidationError({"quantity": _("The quantity must be between 1 and 100,000.")})
        value = None
        if estimated_value not in (None, ""):
            value = whole_dong(estimated_value, field="estimated_value", allow_zero=True)
        return {
            "wish": wish,
            "items": items[:300],
            "quantity": quantity,
            "estimated_value": value,
            "condition": (condition or "")[:100],
        }
    if kind == ContributionKind.WORK:
        try:
            hours = Decimal(str(hours))
        except (InvalidOperation, ValueError):
            raise ValidationError({"hours": _("Write the hours as a number.")}) from None
        if hours <= 0 or hours > 10_000 or hours != hours.quantize(Decimal("0.1")):
            raise ValidationError({"hours": _("Hours must be more than zero, to a tenth of an hour.")})
        description = (work_description or "").strip()
        if not description:
            raise ValidationError({"work_description": _("Say what work you give.")})
        return {"hours": hours, "work_description": description[:300]}
    raise ValidationError({"kind": _("Choose cash, goods or work.")})


@transaction.atomic
def contribution_pledge(*, campaign: Campaign, donor: Donor, by, kind: str, note: str = "", **gift) -> Contribution:
    """A gift that someone chose to give, not yet received."""
    campaign = _lock(campaign)
    if not campaign.accepts_contributions:
        raise ValidationError(_("This campaign is not open for contributions."))
    if donor.school_id != campaign.school_id:
        raise ValidationError(_("This donor is not one of the school's donors."))
    fields = _gift_fields(kind=kind, campaign=campaign, **gift)
    contribution = Contribution.objects.create(
        school=campaign.school,
        campaign=campaign,
        donor=donor,
        kind=kind,
        note=(note or "")[:300],
        created_by=by,
        **fields,
    )
    _event(contribution, "pledged", by)
    return contribution


def _next_receipt_number(school, year: int) -> int:
    """The next number of the school's receipts this year, with no gap, also under concurrency."""
    ReceiptCounter.objects.bulk_create([ReceiptCounter(school=school, year=year)], ignore_conflicts=True)
    counter = ReceiptCounter.objects.select_for_update().get(school=school, year=year)
    ReceiptCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
    return counter.last_number + 1


def _ledger_details(contribution: Contribution) -> dict:
    details = {"gift": contribution.kind, "receipt": contribution.receipt_label or None}
    if contribution.kind == ContributionKind.IN_KIND:
        details.update(items=contribution.items, quantity=contribution.quantity)
    elif contribution.kind == ContributionKind.WORK:
        details.update(hours=str(contribution.hours), work=contribution.work_description)
    return details


@transaction.atomic
def contribution_receive(
    *,
    contribution: Contribution,
    by,
    received_on: datetime.date | None = None,
    bank_reference: str = "",
    amount=None,
) -> Contribution:
    """Record a pledge as received: a receipt number for cash, a ledger entry, equipment in the register."""
    contribution = (
        Contribution.objects.select_for_update(of=("self",))
        .select_related("campaign", "school", "donor", "wish")
        .get(pk=contribution.pk)
    )
    if contribution.state == ContributionState.RECEIVED:
        raise ValidationError(
            _("This contribution was already received (receipt %(receipt)s).")
            % {"receipt": contribution.receipt_label or "–"}
        )
    if contribution.state != ContributionState.PLEDGED:
        raise ValidationError(_("A cancelled or reversed contribution cannot be received."))
    if contribution.campaign.state not in (CampaignState.OPEN, CampaignState.CLOSED):
        raise ValidationError(_("This campaign does not take contributions now."))
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The date of receipt cannot be in the future.")})
    update = ["state", "received_on", "received_at", "received_by"]
    if amount is not None and contribution.kind == ContributionKind.CASH:
        amount = whole_dong(amount)
        if amount != contribution.amount:
            _event(
                contribution,
                "amount changed",
                by,
                _("%(old)s pledged, %(new)s received")
                % {"old": format_vnd(contribution.amount), "new": format_vnd(amount)},
            )
            contribution.amount = amount
            update.append("amount")
    if bank_reference:
        contribution.bank_reference = bank_reference[:64]
        update.append("bank_reference")
    if contribution.kind == ContributionKind.CASH:
        contribution.receipt_year = received_on.year
        contribution.receipt_number = _next_receipt_number(contribution.school, received_on.year)
        update += ["receipt_year", "receipt_number"]
    contribution.state = ContributionState.RECEIVED
    contribution.received_on = received_on
    contribution.received_at = timezone.now()
    contribution.received_by = by
    contribution.save(update_fields=update)
    ledger.ledger_append(
        school=contribution.school,
        kind=EntryKind.RECEIPT,
        campaign=contribution.campaign,
        by=by,
        amount=contribution.amount if contribution.kind == ContributionKind.CASH else 0,
        value_in_kind=(contribution.estimated_value or 0) if contribution.kind == ContributionKind.IN_KIND else 0,
        contribution=contribution,
        details=_ledger_details(contribution),
        on=received_on,
    )
    if (
        contribution.kind == ContributionKind.IN_KIND
        and contribution.wish is not None
        and contribution.wish.is_equipment
    ):
        Asset.objects.create(
            school=contribution.school,
            name=contribution.items,
            quantity=contribution.quantity or 1,
            value=contribution.estimated_value or 0,
            acquired_on=received_on,
            condition=contribution.condition,
            contribution=contribution,
            credit=contribution.donor.chosen_public_name,
        )
    _event(contribution, "received", by, contribution.receipt_label)
    return contribution


@transaction.atomic
def contribution_record(
    *, campaign: Campaign, donor: Donor, by, kind: str, received_on=None, bank_reference="", note="", **gift
) -> Contribution:
    """A gift already in hand (cash at the office, goods delivered): pledged and received at once."""
    contribution = contribution_pledge(campaign=campaign, donor=donor, by=by, kind=kind, note=note, **gift)
    return contribution_receive(
        contribution=contribution, by=by, received_on=received_on, bank_reference=bank_reference
    )


@transaction.atomic
def contribution_cancel(*, contribution: Contribution, by, reason: str) -> Contribution:
    """A pledge that will not come: cancelled with a reason (it was never in the ledger)."""
    reason = _reason(reason)
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if contribution.state != ContributionState.PLEDGED:
        raise ValidationError(_("Only a pledge that was not received yet can be cancelled; reverse a received one."))
    contribution.state = ContributionState.CANCELLED
    contribution.ended_at = timezone.now()
    contribution.ended_by = by
    contribution.end_reason = reason
    contribution.save(update_fields=["state", "ended_at", "ended_by", "end_reason"])
    _event(contribution, "cancelled", by, reason)
    return contribution


@transaction.atomic
def contribution_reverse(*, contribution: Contribution, by, reason: str) -> Contribution:
    """Undo a received contribution by a correcting ledger entry; its receipt number stays, voided."""
    reason = _reason(reason)
    contribution = (
        Contribution.objects.select_for_update(of=("self",))
        .select_related("school", "campaign", "donor")
        .get(pk=contribution.pk)
    )
    if contribution.state == ContributionState.REVERSED:
        raise ValidationError(_("This contribution was already reversed: a reversal cannot be reversed."))
    if contribution.state != ContributionState.RECEIVED:
        raise ValidationError(_("Only a received contribution can be reversed; cancel a pledge instead."))
    if contribution.campaign.state == CampaignState.SETTLED:
        raise ValidationError(_("This campaign is settled: its figures can no longer change."))
    original = LedgerEntry.objects.get(contribution=contribution, kind=EntryKind.RECEIPT)
    contribution.state = ContributionState.REVERSED
    contribution.ended_at = timezone.now()
    contribution.ended_by = by
    contribution.end_reason = reason
    contribution.save(update_fields=["state", "ended_at", "ended_by", "end_reason"])
    ledger.ledger_append(
        school=contribution.school,
        kind=EntryKind.REVERSAL,
        campaign=contribution.campaign,
        by=by,
        amount=-original.amount,
        value_in_kind=-original.value_in_kind,
        contribution=contribution,
        reverses=original,
        details={"reason": reason, "receipt": contribution.receipt_label or None},
    )
    _event(contribution, "reversed", by, reason)
    return contribution


# --- Spending


def campaign_cash_balance(campaign: Campaign) -> int:
    """Cash in minus cash out, from the ledger (reversals included)."""
    return LedgerEntry.objects.filter(campaign=campaign).aggregate(total=Sum("amount"))["total"] or 0


def use_problem(*, campaign: Campaign, use: str, description: str = "") -> str | None:
    """Why a spending cannot be paid from this campaign, or None."""
    if use not in ALLOWED_USES:
        return str(REFUSED_USES.get(use, REFUSED_USES[Use.OTHER]))
    if _PAY_WORDS.search(description or ""):
        return str(REFUSED_USES[Use.STAFF_PAY])
    if use not in (campaign.uses or []):
        return _("This is outside the campaign's plan, which covers: %(uses)s.") % {
            "uses": ", ".join(str(Use(u).label) for u in campaign.uses or []) or "–"
        }
    return None


@transaction.atomic
def spending_record(*, campaign: Campaign, by, use: str, description: str, amount, spent_on: datetime.date) -> Spending:
    """The accountant's record of money spent, waiting for the principal's approval."""
    problem = use_problem(campaign=campaign, use=use, description=description)
    if problem:
        raise ValidationError({"use": problem})
    amount = whole_dong(amount)
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Say what was bought or paid.")})
    if campaign.state not in (CampaignState.OPEN, CampaignState.CLOSED):
        raise ValidationError(_("Spending is recorded for an open or closed campaign."))
    if spent_on is None or spent_on > timezone.localdate():
        raise ValidationError({"spent_on": _("The date of spending cannot be in the future.")})
    return Spending.objects.create(
        campaign=campaign, use=use, description=description[:300], amount=amount, spent_on=spent_on, recorded_by=by
    )


@transaction.atomic
def spending_approve(*, spending: Spending, by, over_balance_reason: str = "") -> Spending:
    """The principal's approval: the spending enters the ledger. Beyond the balance only with a recorded reason."""
    spending = Spending.objects.select_for_update(of=("self",)).select_related("campaign__school").get(pk=spending.pk)
    if spending.state != SpendingState.RECORDED:
        raise ValidationError(_("This spending was already decided."))
    campaign = spending.campaign
    if campaign.state == CampaignState.SETTLED:
        raise ValidationError(_("This campaign is settled: its figures can no longer change."))
    problem = use_problem(campaign=campaign, use=spending.use, description=spending.description)
    if problem:
        raise ValidationError(problem)
    ledger._lock(campaign.school_id)  # the balance must not move while it is checked
    balance = campaign_cash_balance(campaign)
    reason = (over_balance_reason or "").strip()
    if spending.amount > balance and not reason:
        raise ValidationError(
            _(
                "This spending (%(amount)s) is more than the campaign's balance (%(balance)s). To approve it anyway, "
                "give the reason for spending beyond the balance."
            )
            % {"amount": format_vnd(spending.amount), "balance": format_vnd(balance)}
        )
    spending.state = SpendingState.APPROVED
    spending.decided_by = by
    spending.decided_at = timezone.now()
    spending.over_balance_reason = reason[:300] if spending.amount > balance else ""
    spending.save(update_fields=["state", "decided_by", "decided_at", "over_balance_reason"])
    details = {"use": spending.use, "what": spending.description}
    if spending.over_balance_reason:
        details["over_balance"] = spending.over_balance_reason
    ledger.ledger_append(
        school=campaign.school,
        kind=EntryKind.SPENDING,
        campaign=campaign,
        by=by,
        amount=-spending.amount,
        spending=spending,
        details=details,
        on=spending.spent_on,
    )
    return spending


@transaction.atomic
def spending_reject(*, spending: Spending, by, reason: str) -> Spending:
    reason = _reason(reason)
    spending = Spending.objects.select_for_update().get(pk=spending.pk)
    if spending.state != SpendingState.RECORDED:
        raise ValidationError(_("This spending was already decided."))
    spending.state = SpendingState.REJECTED
    spending.decided_by = by
    spending.decided_at = timezone.now()
    spending.rejection_reason = reason
    spending.save(update_fields=["state", "decided_by", "decided_at", "rejection_reason"])
    return spending


@transaction.atomic
def spending_reverse(*, spending: Spending, by, reason: str) -> Spending:
    """Undo an approved spending by a correcting ledger entry."""
    reason = _reason(reason)
    spending = Spending.objects.select_for_update(of=("self",)).select_related("campaign__school").get(pk=spending.pk)
    if spending.state == SpendingState.REVERSED:
        raise ValidationError(_("This spending was already reversed: a reversal cannot be reversed."))
    if spending.state != SpendingState.APPROVED:
        raise ValidationError(_("Only approved spending can be reversed."))
    if spending.campaign.state == CampaignState.SETTLED:
        raise ValidationError(_("This campaign is settled: its figures can no longer change."))
    original = LedgerEntry.objects.get(spending=spending, kind=EntryKind.SPENDING)
    spending.state = SpendingState.REVERSED
    spending.rejection_reason = reason
    spending.save(update_fields=["state", "rejection_reason"])
    ledger.ledger_append(
        school=spending.campaign.school,
        kind=EntryKind.REVERSAL,
        campaign=spending.campaign,
        by=by,
        amount=-original.amount,
        spending=spending,
        reverses=original,
        details={"reason": reason},
    )
    return spending


# --- Settlement


@transaction.atomic
def settlement_prepare(*, campaign: Campaign, by, summary: str) -> Settlement:
    """The principal's settlement report of a closed campaign, with its figures frozen."""
    from donations.selectors import campaign_figures

    campaign = _lock(campaign)
    if campaign.state != CampaignState.CLOSED:
        raise ValidationError(_("Close the campaign before settling it."))
    waiting = campaign.contributions.filter(state=ContributionState.PLEDGED).count()
    if waiting:
        raise ValidationError(
            ngettext(
                "%(count)s pledge is still waiting: receive or cancel it before settling.",
                "%(count)s pledges are still waiting: receive or cancel them before settling.",
                waiting,
            )
            % {"count": waiting}
        )
    if campaign.spendings.filter(state=SpendingState.RECORDED).exists():
        raise ValidationError(_("Some spending is waiting for approval: approve or reject it before settling."))
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("Write the summary: what was achieved, and what happens to any balance.")})
    figures = campaign_figures(campaigns=[campaign])[campaign.pk]
    settlement, _created = Settlement.objects.update_or_create(
        campaign=campaign,
        defaults={
            "summary": summary,
            "figures": figures.as_dict(),
            "prepared_by": by,
            "prepared_at": timezone.now(),
            "cosigned_by": None,
            "cosigner_name": "",
            "cosigned_at": None,
        },
    )
    return settlement


@transaction.atomic
def settlement_cosign(*, settlement: Settlement, by) -> Settlement:
    """A parents' board member's co-signature: the campaign is settled."""
    settlement = Settlement.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=settlement.pk)
    if settlement.cosigned_at:
        raise ValidationError(_("This settlement report is already co-signed."))
    campaign = _lock(settlement.campaign)
    if campaign.state != CampaignState.CLOSED:
        raise ValidationError(_("Only the settlement of a closed campaign can be co-signed."))
    settlement.cosigned_by = by
    settlement.cosigner_name = by.get_full_name() or by.get_username()
    settlement.cosigned_at = timezone.now()
    settlement.save(update_fields=["cosigned_by", "cosigner_name", "cosigned_at"])
    campaign.state = CampaignState.SETTLED
    campaign.settled_at = settlement.cosigned_at
    campaign.save(update_fields=["state", "settled_at"])
    return settlement
