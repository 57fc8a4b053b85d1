"""Reads of the donations, scoped and counted in a fixed number of queries."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from donations.models import Contribution, ContributionKind, ContributionState, LedgerEntry, Spending, SpendingState


@dataclass
class Figures:
    cash_received: int = 0
    goods_value: int = 0
    work_hours: Decimal = Decimal("0")
    contributions: int = 0
    spent: int = 0
    spending_waiting: int = 0
    wishes: dict = field(default_factory=dict)  # wish id -> number received

    @property
    def balance(self) -> int:
        return self.cash_received - self.spent

    def as_dict(self) -> dict:
        data = asdict(self)
        data["work_hours"] = str(self.work_hours)
        data["balance"] = self.balance
        data["wishes"] = {str(key): value for key, value in self.wishes.items()}
        return data


def campaign_figures(*, campaigns) -> dict[int, Figures]:
    """Received, spent and balance of each campaign, in three queries whatever their number.

    Cash comes from the ledger (receipts, approved spending and corrections), so the public
    figures are exactly the sums of the published entries.
    """
    ids = [getattr(c, "pk", c) for c in campaigns]
    figures = {pk: Figures() for pk in ids}
    if not ids:
        return figures
    # Their schools, when known, send each query to the schools' shards only (docs/scaling.md).
    school_ids = {c.school_id for c in campaigns if hasattr(c, "school_id")}
    schools = Q(school_id__in=school_ids) if school_ids else Q()
    money = (
        LedgerEntry.objects.filter(schools, campaign_id__in=ids)
        .values("campaign_id")
        .annotate(
            cash_in=Sum("amount", filter=Q(contribution__isnull=False)),
            goods=Sum("value_in_kind"),
            cash_out=Sum("amount", filter=Q(spending__isnull=False)),
        )
    )
    for row in money:
        each = figures[row["campaign_id"]]
        each.cash_received = row["cash_in"] or 0
        each.goods_value = row["goods"] or 0
        each.spent = -(row["cash_out"] or 0)
    gifts = (
        Contribution.objects.filter(schools, campaign_id__in=ids, state=ContributionState.RECEIVED)
        .values("campaign_id", "kind", "wish_id")
        .annotate(count=Count("pk"), hours=Sum("hours"), quantity=Sum("quantity"))
    )
    for row in gifts:
        each = figures[row["campaign_id"]]
        each.contributions += row["count"]
        if row["kind"] == ContributionKind.WORK:
            each.work_hours += row["hours"] or 0
        if row["kind"] == ContributionKind.IN_KIND and row["wish_id"]:
            each.wishes[row["wish_id"]] = each.wishes.get(row["wish_id"], 0) + (row["quantity"] or 0)
    waiting = (
        Spending.objects.filter(schools, campaign_id__in=ids, state=SpendingState.RECORDED)
        .values("campaign_id")
        .annotate(count=Count("pk"))
    )
    for row in waiting:
        figures[row["campaign_id"]].spending_waiting = row["count"]
    return figures


def wish_progress(*, campaign, figures: Figures | None = None) -> list[dict]:
    """Each wish-list item with the number received against the number needed."""
    figures = figures or campaign_figures(campaigns=[campaign])[campaign.pk]
    rows = []
    for wish in campaign.wishes.all():
        received = figures.wishes.get(wish.pk, 0)
        rows.append(
            {
                "wish": wish,
                "received": received,
                "needed": wish.quantity,
                "percent": min(100, round(100 * received / wish.quantity)),
            }
        )
    return rows
