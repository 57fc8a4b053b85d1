"""The school report's section on children's works (see reports.sections for the contract).

A month's works are those recorded in it (`Work.created_at`), in the class the child was in when
the work was made. "Opened" is what the teacher sees: someone of the family opened the work's page
(`Work.family_opened_at`, the first opening by a guardian or a family viewer).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from coordination.lib.days import days_between
from portfolio.models import Work

ORDER = 50
TITLE = _("Children's works")
METRICS = [
    {"key": "recorded", "label": _("Works recorded"), "kind": "count"},
    {"key": "recorded_opened", "label": _("Works of the period opened by the family"), "kind": "count"},
    {"key": "opened", "label": _("Work pages first opened by a family in the period"), "kind": "count"},
]
RATES = [
    {
        "key": "opened_rate",
        "label": _("Works opened by the family"),
        "numerator": "recorded_opened",
        "denominator": "recorded",
    },
]
BREAKDOWN = _("Class")


def figures(*, school_ids: list[int], start: datetime.date, end: datetime.date):
    """Yield (school_id, group, metric, value) for the works recorded or opened start..end: one query."""
    since, until = days_between(start, end)
    recorded = Q(created_at__gte=since, created_at__lt=until)
    opened = Q(family_opened_at__gte=since, family_opened_at__lt=until)
    rows = (
        Work.objects.filter(Q(school_id__in=list(school_ids)) & (recorded | opened))
        .values("school_id", "classroom__name")
        .annotate(
            recorded=Count("pk", filter=recorded),
            # Opened by the period's end: a later opening does not change a month already reported.
            recorded_opened=Count("pk", filter=recorded & Q(family_opened_at__lt=until)),
            opened=Count("pk", filter=opened),
        )
        .order_by()
    )
    totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        for metric in METRICS:
            key = metric["key"]
            totals[row["school_id"]][key] += row[key]
            yield row["school_id"], row["classroom__name"], key, row[key]
    for school_id, values in totals.items():
        for metric in METRICS:
            yield school_id, "", metric["key"], values[metric["key"]]
