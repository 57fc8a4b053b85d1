"""The school report's section on growth and nutrition (see reports.sections for the contract).

Stocks on the period's last day, for the children in a class that day: each child's latest measurement
of the class's school year up to that day, classified by health's own rules (`health.summary`, from
the WHO z-score levels stored on the measurement): a child may be in several classifications, a
flagged measurement not yet confirmed is "to confirm", a child with none is "not measured". Also the
children measured in the period and those with an open follow-up plan on the last day.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from coordination.lib.days import day_start
from health.models import FollowUpPlan, Measurement
from health.summary import CATEGORIES, ROW_FIELDS, classifications, is_pending
from schools.selectors import enrolments_on

ORDER = 70
TITLE = _("Growth and nutrition")
METRICS = [
    {"key": "children", "label": _("Children in class"), "kind": "stock"},
    *({"key": key, "label": words, "kind": "stock"} for key, words in CATEGORIES),
    {"key": "measured", "label": _("Children measured in the period"), "kind": "count"},
    {"key": "follow_up", "label": _("Children with a follow-up plan"), "kind": "stock"},
]
RATES = [
    {"key": "measured_rate", "label": _("Children measured"), "numerator": "measured", "denominator": "children"},
]
BREAKDOWN = _("Class")


def figures(*, school_ids: list[int], start: datetime.date, end: datetime.date):
    """Yield (school_id, group, metric, value) for the children in class on `end`: two queries."""
    until = day_start(end + datetime.timedelta(days=1))
    of_child = Measurement.objects.filter(child_id=OuterRef("child_id"))
    latest = (
        of_child.filter(measured_on__lte=end, measured_on__gte=OuterRef("classroom__school_year__starts_on"))
        .order_by("-measured_on")
        .values("pk")[:1]
    )
    open_plan = FollowUpPlan.objects.filter(child_id=OuterRef("child_id"), opened_at__lt=until).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=until)
    )
    enrolled = enrolments_on(school_ids=school_ids, day=end).annotate(
        latest_id=Subquery(latest),
        measured=Exists(of_child.filter(measured_on__gte=start, measured_on__lte=end)),
        follow_up=Exists(open_plan),
    )
    children = list(enrolled.values_list("school_id", "classroom__name", "latest_id", "measured", "follow_up"))
    latest_rows = {
        row["pk"]: row
        for row in Measurement.objects.filter(pk__in=enrolled.values("latest_id")).values("pk", *ROW_FIELDS)
    }

    counts: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for school_id, group, latest_id, measured, follow_up in children:
        row = latest_rows.get(latest_id)
        if row is None:
            found = {"not_measured"}
        elif is_pending(row):
            found = {"to_confirm"}
        else:
            found = classifications(row)
        for key in (*found, "children", *(["measured"] if measured else []), *(["follow_up"] if follow_up else [])):
            counts[(school_id, group)][key] += 1
            counts[(school_id, "")][key] += 1
    for (school_id, group), values in counts.items():
        for metric in METRICS:
            yield school_id, group, metric["key"], values[metric["key"]]
