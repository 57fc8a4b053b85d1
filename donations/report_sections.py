"""The school report's section on contributions and spending (see reports.sections for the contract).

Money only, from the append-only ledger, exactly as it is published: cash received and spent, and the
estimated value of goods, in the month each entry was recorded. A correction is an entry of its own
that reverses an earlier one, so it counts in the month it was recorded, against the kind of entry it
reverses (a reversed receipt lowers "received", a reversed spending lowers "spent"), and an earlier
month's figures never change. Groups are the campaigns, by title; no donor is ever named.

The balance is not a figure of its own: a term adds up its months' money, which is right for
what came in and went out but not for what is held, so the report takes received − spent.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from coordination.lib.days import days_between
from donations.models import LedgerEntry

ORDER = 60
TITLE = _("Contributions and spending")
METRICS = [
    {"key": "received", "label": _("Cash received"), "kind": "money"},
    {"key": "goods_received", "label": _("Estimated value of goods received"), "kind": "money"},
    {"key": "spent", "label": _("Cash spent"), "kind": "money"},
]
BREAKDOWN = _("Campaign")
# A report's group label holds 120 characters; a campaign's title may be longer.
GROUP_LENGTH = 120


def figures(*, school_ids: list[int], start: datetime.date, end: datetime.date):
    """Yield (school_id, group, metric, value) for the ledger entries recorded start..end: one query."""
    since, until = days_between(start, end)
    rows = (
        LedgerEntry.objects.filter(school_id__in=list(school_ids), recorded_at__gte=since, recorded_at__lt=until)
        .values("school_id", "campaign__title")
        .annotate(
            received=Sum("amount", filter=Q(contribution__isnull=False)),
            goods_received=Sum("value_in_kind", filter=Q(contribution__isnull=False)),
            # Spending is recorded as money going out (negative), its correction as money coming back.
            spent_out=Sum("amount", filter=Q(spending__isnull=False)),
        )
        .order_by()
    )
    # Two campaigns of a school may share a title: they are one line of the report.
    groups: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        values = groups[(row["school_id"], row["campaign__title"][:GROUP_LENGTH])]
        values["received"] += row["received"] or 0
        values["goods_received"] += row["goods_received"] or 0
        values["spent"] += -(row["spent_out"] or 0)
    totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (school_id, title), values in groups.items():
        for metric in METRICS:
            key = metric["key"]
            totals[school_id][key] += values[key]
            yield school_id, title, key, values[key]
    for school_id, values in totals.items():
        for metric in METRICS:
            yield school_id, "", metric["key"], values[metric["key"]]
