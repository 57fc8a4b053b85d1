"""Reads for the privacy pages, each scoped by the person asking."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone

from parents.policies import guardian_child_ids
from privacy.declarations import GROUNDS, app_declarations, retention_rules
from privacy.models import OPEN_STATUSES, LegalHold, PrivacyRequest, RetentionPeriod, RetentionRun
from privacy.policies import is_privacy_contact
from privacy.retention import LEFT_CHILDREN_RULE, child_erase_on
from schools.models import Child, School
from schools.selectors import in_schools_of


def family_children(*, user) -> list[Child]:
    """The children a person may ask about: those they are a guardian of, at school or left."""
    ids = guardian_child_ids(user)
    children = in_schools_of(Child.objects.filter(pk__in=ids), user=user)
    return list(children.select_related("school").order_by("full_name")) if ids else []


def requests_of(*, user) -> list[PrivacyRequest]:
    return list(
        PrivacyRequest.objects.filter(requester=user).select_related("child", "school").order_by("-received_at", "-pk")
    )


def request_for_requester(*, user, request_id: int) -> PrivacyRequest:
    request = PrivacyRequest.objects.select_related("child", "school").filter(pk=request_id, requester=user).first()
    if request is None:
        raise Http404
    return request


def school_for_contact(*, user, slug: str) -> School:
    school = School.objects.filter(slug=slug).first()
    if school is None or not is_privacy_contact(user, school):
        raise Http404
    return school


@dataclass
class Queue:
    open: list[PrivacyRequest]
    closed: list[PrivacyRequest]
    today: object


def queue_for(*, school: School, closed_limit: int = 50) -> Queue:
    base = PrivacyRequest.objects.filter(school=school).select_related("child", "requester")
    open_requests = sorted(
        base.filter(status__in=OPEN_STATUSES), key=lambda request: (request.deadline, request.received_at)
    )
    closed = list(base.exclude(status__in=OPEN_STATUSES).order_by("-completed_at", "-pk")[:closed_limit])
    return Queue(open=open_requests, closed=closed, today=timezone.localdate())


def queue_item(*, school: School, request_id: int) -> PrivacyRequest:
    request = (
        PrivacyRequest.objects.select_related("child", "requester", "school")
        .prefetch_related("events__by")
        .filter(pk=request_id, school=school)
        .first()
    )
    if request is None:
        raise Http404
    return request


def holds_of(*, school: School) -> list[LegalHold]:
    return list(
        LegalHold.objects.filter(school=school).select_related("child", "user", "placed_by").order_by("-placed_at")
    )


def hold_for(*, school: School, hold_id: int) -> LegalHold:
    hold = LegalHold.objects.filter(pk=hold_id, school=school).first()
    if hold is None:
        raise Http404
    return hold


@dataclass
class RetentionLine:
    key: str
    label: object
    default_days: int
    days: int


def retention_lines(*, school: School) -> list[RetentionLine]:
    chosen = dict(RetentionPeriod.objects.filter(school=school).values_list("key", "days"))
    return [
        RetentionLine(
            key=rule["key"], label=rule["label"], default_days=rule["days"], days=chosen.get(rule["key"], rule["days"])
        )
        for rule in [LEFT_CHILDREN_RULE, *retention_rules()]
    ]


def retention_runs(*, school: School, limit: int = 10) -> list[RetentionRun]:
    return list(RetentionRun.objects.filter(school=school).order_by("-at", "-pk")[:limit])


@dataclass
class NoticeSection:
    app: object
    entries: list


def privacy_notice() -> list[NoticeSection]:
    """The privacy notice, from the declarations: what each part of the portal holds, why, on what ground,
    who else sees it and how long it is kept."""
    sections = []
    for app in sorted(app_declarations(), key=lambda item: str(item.verbose_name)):
        if app.declarations:
            sections.append(NoticeSection(app=app.verbose_name, entries=list(app.declarations)))
    return sections


def grounds() -> dict:
    return GROUNDS


@dataclass
class LeftChild:
    child: Child
    erase_on: object


def left_children_of(*, user, children: list[Child] | None = None) -> list[LeftChild]:
    """A family's children who left, with the day their data is erased (one query for the schools' periods)."""
    left = [child for child in (family_children(user=user) if children is None else children) if child.left_on]
    if not left:
        return []
    chosen = dict(
        RetentionPeriod.objects.filter(
            school_id__in={child.school_id for child in left}, key=LEFT_CHILDREN_RULE["key"]
        ).values_list("school_id", "days")
    )
    return [
        LeftChild(
            child=child,
            erase_on=child_erase_on(child, grace_days=chosen.get(child.school_id, LEFT_CHILDREN_RULE["days"])),
        )
        for child in left
    ]
