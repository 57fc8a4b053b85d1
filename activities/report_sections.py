"""The school report's section on home activities (see reports.sections for the contract).

Counted the way the teachers' participation chart counts (activities.selectors.school_participation):
an activity belongs to the month it was published in; each of its classes expects an answer from
every child the class had on that day (`ActivityClassroom.enrolled`), and the answers given are
that class's answers, never more than it expected. The answers to a month's activities are counted
whenever they came, so a month's figures can still grow while families answer late. The families who
answered are counted by child (a family answers for each child), against the children in the classes
that got the month's activities on its last day.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Least
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, ActivityClassroom, Answer
from coordination.lib.days import days_between
from schools.selectors import enrolments_on

ORDER = 30
TITLE = _("Home activities")
METRICS = [
    {"key": "posted", "label": _("Activities posted"), "kind": "count"},
    {"key": "expected", "label": _("Answers expected (children × activities)"), "kind": "count"},
    {"key": "answered", "label": _("Answers given"), "kind": "count"},
    {"key": "children_answering", "label": _("Children whose family answered at least once"), "kind": "count"},
    {"key": "children_asked", "label": _("Children in the classes that got activities"), "kind": "count"},
]
RATES = [
    {
        "key": "answer_rate",
        "label": _("Answer rate"),
        "numerator": "answered",
        "denominator": "expected",
        # The schools reported that 60–70 % of families answered during the closures.
        "target": (60, 70),
    },
    {
        "key": "families_answering_rate",
        "label": _("Families who answered at least once"),
        "numerator": "children_answering",
        "denominator": "children_asked",
    },
]
BREAKDOWN = _("Class")


def figures(*, school_ids: list[int], start: datetime.date, end: datetime.date):
    """Yield (school_id, group, metric, value) for the activities published start..end: five queries."""
    since, until = days_between(start, end)
    published = {
        "activity__state": Activity.State.PUBLISHED,
        "activity__published_at__gte": since,
        "activity__published_at__lt": until,
    }
    answers_here = (
        Answer.objects.filter(activity_id=OuterRef("activity_id"), classroom_id=OuterRef("classroom_id"))
        .order_by()
        .values("activity_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    links = (
        ActivityClassroom.objects.filter(school_id__in=list(school_ids), **published)
        .annotate(
            given=Least(
                Coalesce(Subquery(answers_here, output_field=IntegerField()), Value(0)),
                Coalesce("enrolled", Value(0)),
                output_field=IntegerField(),
            )
        )
        .values("school_id", "classroom__name")
        .annotate(
            posted=Count("pk"),
            expected=Sum(Coalesce("enrolled", Value(0), output_field=IntegerField())),
            answered=Sum("given"),
        )
        .order_by()
    )
    totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in links:
        yield row["school_id"], row["classroom__name"], "posted", row["posted"]
        for key in ("expected", "answered"):
            totals[row["school_id"]][key] += row[key] or 0
            yield row["school_id"], row["classroom__name"], key, row[key] or 0

    # An activity for two classes counts in each class and once in the school.
    posted = (
        Activity.objects.filter(
            school_id__in=list(school_ids),
            state=Activity.State.PUBLISHED,
            published_at__gte=since,
            published_at__lt=until,
        )
        .values("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in posted:
        totals[row["school_id"]]["posted"] = row["n"]

    # A child counts once in the class the family answered from, and once in the school.
    answering = Answer.objects.filter(school_id__in=list(school_ids), **published)
    children = Count("child_id", distinct=True)
    for row in answering.values("school_id", "classroom__name").annotate(n=children).order_by():
        yield row["school_id"], row["classroom__name"], "children_answering", row["n"]
    for row in answering.values("school_id").annotate(n=children).order_by():
        totals[row["school_id"]]["children_answering"] = row["n"]

    # The children in those classes on the period's last day, each once.
    asked = (
        enrolments_on(school_ids=school_ids, day=end)
        .filter(
            classroom__activity_links__in=ActivityClassroom.objects.filter(school_id__in=list(school_ids), **published)
        )
        .values("school_id", "classroom__name")
        .annotate(n=Count("child_id", distinct=True))
        .order_by()
    )
    for row in asked:
        totals[row["school_id"]]["children_asked"] += row["n"]
        yield row["school_id"], row["classroom__name"], "children_asked", row["n"]

    for school_id, values in totals.items():
        for metric in METRICS:
            yield school_id, "", metric["key"], values[metric["key"]]
