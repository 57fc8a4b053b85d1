"""Reads for the follow-up pages: check-ups, plans, the follow-up list and the summaries' children.

Each `*_for_*` function takes the person and answers 404 (Http404) for what they may not see, so that
a page of another school and a page that does not exist look the same.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery
from django.http import Http404

from health import policies
from health.growth import INDICATORS, level_words
from health.models import CheckUp, CheckUpAttachment, FollowUpPlan, Level, Measurement
from health.summary import LEVEL_FIELDS, is_pending
from schools.models import Authority, Child, Classroom, School
from schools.policies import can_view_authority

RECENT_DAYS = 90
LIST_LIMIT = 300


def school_for_health(*, user, slug: str) -> School:
    """The school whose health work this person does (nurse or leader)."""
    school = School.objects.filter(slug=slug).first()
    if school is None or not policies.can_manage_health(user, school.pk):
        raise Http404
    return school


def classroom_for_summary(*, user, classroom_id: int) -> Classroom:
    """A class's summary: the nurse, the leaders and the class's own teachers (as on measuring day)."""
    classroom = Classroom.objects.select_related("school", "school_year").filter(pk=classroom_id).first()
    if classroom is None or not policies.can_measure_classroom(user, classroom):
        raise Http404
    return classroom


def child_for_managing(*, user, child_id: int) -> Child:
    child = Child.objects.select_related("school", "classroom").filter(pk=child_id).first()
    if child is None or not policies.can_manage_health(user, child.school_id):
        raise Http404
    return child


def checkup_for_managing(*, user, checkup_id: int) -> CheckUp:
    checkup = CheckUp.objects.select_related("child", "child__classroom", "school").filter(pk=checkup_id).first()
    if checkup is None or not policies.can_manage_health(user, checkup.school_id):
        raise Http404
    return checkup


def authority_for_viewing(*, user, slug: str) -> Authority:
    authority = Authority.objects.filter(slug=slug).first()
    if authority is None or not can_view_authority(user, authority):
        raise Http404
    return authority


def checkup_attachments(*, checkup: CheckUp) -> list[CheckUpAttachment]:
    return list(checkup.attachments.select_related("media"))


def checkup_of_media(*, media) -> CheckUp | None:
    """The check-up a file is attached to, with its child (one query)."""
    found = CheckUpAttachment.objects.filter(media_id=media.pk).select_related("checkup__child").first()
    return found.checkup if found else None


def school_checkups(*, school: School, today: datetime.date) -> tuple[list[CheckUp], list[CheckUp]]:
    """The planned check-ups, soonest first, and those recorded in the last RECENT_DAYS days (two queries)."""
    base = CheckUp.objects.filter(school=school).select_related("child", "child__classroom")
    planned = list(base.filter(done=False).order_by("on", "child__full_name", "pk")[:LIST_LIMIT])
    recent = list(
        base.filter(done=True, on__gte=today - datetime.timedelta(days=RECENT_DAYS)).order_by(
            "-on", "child__full_name", "pk"
        )[:LIST_LIMIT]
    )
    return planned, recent


def child_checkups(*, child: Child) -> list[CheckUp]:
    return list(CheckUp.objects.filter(child=child).order_by("-on", "-pk"))


def open_plan(*, child: Child) -> FollowUpPlan | None:
    return FollowUpPlan.objects.filter(child=child, closed_at__isnull=True).first()


def closed_plans(*, child: Child) -> list[FollowUpPlan]:
    return list(FollowUpPlan.objects.filter(child=child, closed_at__isnull=False).order_by("-closed_at"))


def latest_measurement(*, child: Child) -> Measurement | None:
    return Measurement.objects.filter(child=child).order_by("-measured_on").first()


# --- Children with their latest measurement --------------------------------------------------------

# How serious a level is, for sorting the follow-up list: severe first.
SEVERITY = {Level.SEVERE_LOW: 4, Level.VERY_HIGH: 3, Level.LOW: 2, Level.HIGH: 1}


@dataclass
class ChildLevels:
    child: Child
    measurement: Measurement | None
    plan: FollowUpPlan | None = None

    @property
    def outside_normal(self) -> bool:
        m = self.measurement
        return m is not None and any(getattr(m, name) not in ("", Level.NORMAL) for name in LEVEL_FIELDS)

    @property
    def to_confirm(self) -> bool:
        return self.measurement is not None and is_pending(self.measurement)

    @property
    def problems(self) -> list[str]:
        """The levels outside normal, in words (weight-for-age, height-for-age, weight-for-height, BMI)."""
        m = self.measurement
        if m is None:
            return []
        out = []
        for indicator, name in zip(INDICATORS, LEVEL_FIELDS, strict=True):
            level = getattr(m, name)
            if level not in ("", Level.NORMAL):
                out.append(level_words(indicator, level))
        return out

    @property
    def severity(self) -> tuple[int, int]:
        if self.measurement is None:
            return (0, 0)
        scores = [SEVERITY.get(getattr(self.measurement, name), 0) for name in LEVEL_FIELDS]
        return (max(scores), sum(scores))


def _with_latest(children_query) -> list[ChildLevels]:
    """The children, each with their latest measurement (two queries)."""
    latest = Measurement.objects.filter(child=OuterRef("pk")).order_by("-measured_on").values("pk")[:1]
    children = list(children_query.select_related("classroom").annotate(latest_id=Subquery(latest)))
    ids = [c.latest_id for c in children if c.latest_id is not None]
    measurements = Measurement.objects.in_bulk(ids) if ids else {}
    return [ChildLevels(child=c, measurement=measurements.get(c.latest_id)) for c in children]


def class_children_levels(*, classroom: Classroom) -> list[ChildLevels]:
    """The class's current children with their latest measurement, by name."""
    return _with_latest(Child.objects.filter(classroom=classroom, left_on__isnull=True).order_by("full_name"))


def follow_up_list(*, school: School) -> list[ChildLevels]:
    """The children needing follow-up: latest measurement outside normal on any indicator, or an open plan;
    the most severe first (three queries)."""
    plans = {p.child_id: p for p in FollowUpPlan.objects.filter(school=school, closed_at__isnull=True)}
    outside = Q()
    for name in LEVEL_FIELDS:
        outside |= ~Q(**{f"{name}__in": ["", Level.NORMAL]})
    # Narrowed in the query to children ever measured outside normal, or with a plan; then their latest decides.
    ever_outside = Measurement.objects.filter(outside, school=school).values("child_id")
    query = Child.objects.filter(school=school, left_on__isnull=True).filter(
        Q(pk__in=list(plans)) | Q(pk__in=Subquery(ever_outside))
    )
    rows = _with_latest(query)
    for row in rows:
        row.plan = plans.get(row.child.pk)
    rows = [r for r in rows if r.outside_normal or r.plan is not None]
    rows.sort(key=lambda r: (-r.severity[0], -r.severity[1], r.child.full_name))
    return rows
