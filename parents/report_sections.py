"""The school report's section on children and families (see reports.sections for the contract).

Every figure is a stock on the period's last day: the children in a class that day (their enrolment),
those with at least one guardian on the portal, and the guardians. A guardian counts when their
guardianship is active now and was made by that day: the table keeps no history of statuses, so a
guardianship suspended or ended later no longer counts in an earlier month either.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from coordination.lib.days import day_start
from parents.models import Guardianship
from schools.selectors import enrolments_on

ORDER = 10
TITLE = _("Children and families")
METRICS = [
    {"key": "children", "label": _("Children enrolled"), "kind": "stock"},
    {"key": "children_signed_up", "label": _("Children with a guardian on the portal"), "kind": "stock"},
    {"key": "guardians", "label": _("Guardians on the portal"), "kind": "stock"},
]
RATES = [
    {
        "key": "signed_up_rate",
        "label": _("Children with a guardian on the portal"),
        "numerator": "children_signed_up",
        "denominator": "children",
    },
]
BREAKDOWN = _("Class")


def figures(*, school_ids: list[int], start: datetime.date, end: datetime.date):
    """Yield (school_id, group, metric, value) for the children in class on `end`: three queries."""
    before = day_start(end + datetime.timedelta(days=1))
    enrolled = enrolments_on(school_ids=school_ids, day=end)
    counted = Guardianship.objects.active().filter(created_at__lt=before)

    school_totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    per_class = (
        enrolled.values("school_id", "classroom__name")
        .annotate(
            children=Count("child_id", distinct=True),
            children_signed_up=Count(
                "child_id", distinct=True, filter=Q(Exists(counted.filter(child_id=OuterRef("child_id"))))
            ),
        )
        .order_by()
    )
    for row in per_class:
        for key in ("children", "children_signed_up"):
            school_totals[row["school_id"]][key] += row[key]
            yield row["school_id"], row["classroom__name"], key, row[key]

    # A guardian of children in two classes counts in each class and once in the school.
    with_guardians = enrolled.filter(
        child__guardianships__status=Guardianship.Status.ACTIVE, child__guardianships__created_at__lt=before
    )
    guardians = Count("child__guardianships__guardian_id", distinct=True)
    for row in with_guardians.values("school_id", "classroom__name").annotate(n=guardians).order_by():
        yield row["school_id"], row["classroom__name"], "guardians", row["n"]
    for row in with_guardians.values("school_id").annotate(n=guardians).order_by():
        school_totals[row["school_id"]]["guardians"] = row["n"]

    for school_id, totals in school_totals.items():
        for key in ("children", "children_signed_up", "guardians"):
            yield school_id, "", key, totals[key]
