"""Reads for the feedback box and the polls, each taking the person who asks (a refused person gets 404)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from feedback import policies
from feedback.models import DEFAULT_ESCALATION_DAYS, FeedbackItem, FeedbackSettings, Poll, PollAnswer, Route
from schools import calendar
from schools.models import School, StaffMembership, school_today
from schools.policies import access_for, guardian_children, leader_school_ids


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


# --- What a person sees of an item


@dataclass
class ItemView:
    """An item as one person may see it: the text and the sender only when they may."""

    item: FeedbackItem
    text: bool
    sender: bool
    answer: bool = True
    working_days: int | None = None  # answered in, or waiting for (staff only)
    overdue: bool = False

    @property
    def sender_name(self) -> str:
        return self.item.sender.full_name if self.sender and self.item.sender_id else ""


def _view(user, item: FeedbackItem) -> ItemView:
    return ItemView(
        item=item,
        text=policies.can_read_text(user, item),
        sender=policies.can_see_sender(user, item),
        # The answer to an escalated item is the school's to the family: the officer sees that it came.
        answer=policies.can_read_text(user, item),
    )


def _items():
    return FeedbackItem.objects.select_related("school", "school__authority", "sender", "photo")


def item_for_viewing(*, user, item_id: int) -> ItemView:
    item = _items().select_related("assigned_to").filter(pk=item_id).first()
    if item is None or not policies.can_view_item(user, item):
        raise Http404
    return _view(user, item)


def item_for(*, user, item_id: int, check) -> FeedbackItem:
    item = _items().filter(pk=item_id).first()
    if item is None or not check(user, item):
        raise Http404
    return item


def items_sent_by(*, user) -> list[FeedbackItem]:
    """The person's own items, newest first (two queries whatever their number: the items, with their school)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(FeedbackItem.objects.filter(sender=user).select_related("school").order_by("-created_at", "-pk"))


def schools_led(*, user) -> list[School]:
    ids = leader_school_ids(user)
    return list(School.objects.filter(pk__in=ids).order_by("name")) if ids else []


def family_schools(*, user) -> list[School]:
    ids = policies.family_school_ids(user)
    return list(School.objects.filter(pk__in=ids).order_by("name")) if ids else []


def school_for_sending(*, user, slug: str) -> School:
    school = School.objects.select_related("authority").filter(slug=slug).first()
    if school is None or not policies.can_send_feedback(user, school.pk):
        raise Http404
    return school


# --- The school's inbox


def escalation_days(school: School) -> int:
    row = FeedbackSettings.objects.filter(school=school).values_list("escalation_working_days", flat=True).first()
    return row or DEFAULT_ESCALATION_DAYS


def _counted(school: School, items: list[FeedbackItem], today: datetime.date) -> dict[int, int]:
    """Working days each item waited (to its answer, or until today), with the school's days off read once."""
    if not items:
        return {}
    first = min(_local_date(item.created_at) for item in items)
    closed = calendar.days_off(school, first, today)
    counts = {}
    for item in items:
        if item.response_working_days is not None:
            counts[item.pk] = item.response_working_days
            continue
        day, count = _local_date(item.created_at), 0
        while day < today:
            day += calendar.ONE_DAY
            if day.weekday() not in calendar.WEEKEND and day not in closed:
                count += 1
        counts[item.pk] = count
    return counts


@dataclass
class Inbox:
    school: School
    days: int
    items: list[ItemView] = field(default_factory=list)
    average: float | None = None

    @property
    def open_count(self) -> int:
        return sum(1 for view in self.items if not view.item.is_answered)


def school_for_inbox(*, user, slug: str) -> School:
    school = School.objects.select_related("authority").filter(slug=slug).first()
    if school is None or school.pk not in leader_school_ids(user):
        raise Http404
    return school


def school_inbox(*, user, school: School, today: datetime.date | None = None) -> Inbox:
    """The items sent to the school, for its leaders: never the direct concerns, never an anonymous sender."""
    today = today or school_today()
    items = list(
        FeedbackItem.objects.filter(school=school, route=Route.SCHOOL)
        .select_related("school", "sender", "assigned_to")
        .order_by("answered_at", "-created_at", "-pk")
    )
    days = escalation_days(school)
    counts = _counted(school, items, today)
    views = []
    for item in items:
        view = _view(user, item)
        view.working_days = counts.get(item.pk)
        view.overdue = not item.is_answered and (view.working_days or 0) >= days
        views.append(view)
    answered = [item.response_working_days for item in items if item.response_working_days is not None]
    average = round(sum(answered) / len(answered), 1) if answered else None
    return Inbox(school=school, days=days, items=views, average=average)


def assigned_items(*, user) -> list[ItemView]:
    """The items a member of staff was asked to help answer."""
    if not getattr(user, "is_authenticated", False):
        return []
    # Only those of the schools where the person works count (policies.is_assigned): they name their schools.
    items = _items().filter(school_id__in=set(access_for(user).roles_by_school), assigned_to=user, route=Route.SCHOOL)
    items = items.order_by("-created_at")
    return [_view(user, item) for item in items if policies.is_assigned(user, item)]


def staff_for_assigning(*, school: School) -> list:
    return [
        m.user
        for m in StaffMembership.objects.filter(school=school, is_active=True)
        .select_related("user")
        .order_by("user__full_name")
    ]


# --- The authority's inbox


def is_feedback_officer(user) -> bool:
    """A commune-level officer (a provincial post does not handle feedback)."""
    ids = access_for(user).authority_ids
    return bool(ids) and School.objects.filter(authority_id__in=ids).exists()


def authority_inbox(*, user) -> list[ItemView]:
    """Items sent straight to the officer's authority, and those escalated to it (topic, dates, school)."""
    ids = access_for(user).authority_ids
    if not ids:
        raise Http404
    items = (
        _items()
        .filter(school__authority_id__in=ids)
        .exclude(route=Route.SCHOOL, escalated_at__isnull=True)
        .order_by("answered_at", "-created_at", "-pk")
    )
    return [_view(user, item) for item in items]


# --- The school's public page


def published_items(*, school: School) -> list[FeedbackItem]:
    """“You asked, we answered”: only items the sender agreed to publish, answered and published."""
    return list(
        FeedbackItem.objects.filter(school=school, route=Route.SCHOOL, publish_agreed=True)
        .filter(published_at__isnull=False, answered_at__isnull=False)
        .order_by("-published_at", "-pk")
    )


def school_public(*, slug: str) -> School:
    school = School.objects.filter(slug=slug).first()
    if school is None:
        raise Http404
    return school


# --- Polls


@dataclass
class PollView:
    poll: Poll
    closed: bool
    children: list = field(default_factory=list)  # (child, chosen option id or None)
    results: list = field(default_factory=list)  # (option, count)
    answered: int = 0
    can_run: bool = False


def polls_for(*, user, now=None) -> list[PollView]:
    """The polls of the person's children's schools and of the schools they lead, with their children's
    answers and, once closed (or for the leaders), the results: four queries whatever their number."""
    now = now or timezone.now()
    children = guardian_children(user)
    school_ids = {child.school_id for child in children} | leader_school_ids(user)
    if not school_ids:
        return []
    polls = list(
        Poll.objects.filter(school_id__in=school_ids).prefetch_related("options").order_by("-closes_at", "-pk")
    )
    return _poll_views(user, polls, children, now)


def _poll_views(user, polls: list[Poll], children, now) -> list[PollView]:
    poll_ids = [poll.pk for poll in polls]
    if not poll_ids:
        return []
    chosen = {}
    if children:
        chosen = {
            (poll_id, child_id): option_id
            for poll_id, child_id, option_id in PollAnswer.objects.filter(
                poll_id__in=poll_ids, child_id__in=[c.pk for c in children]
            ).values_list("poll_id", "child_id", "option_id")
        }
    leading = leader_school_ids(user)
    # Counted in the database for the closed polls (and those the person runs): one query, whatever they are.
    counts = dict(
        PollAnswer.objects.filter(poll_id__in=poll_ids)
        .filter(Q(poll__closes_at__lte=now) | Q(poll__school_id__in=leading))
        .order_by()
        .values_list("option_id")
        .annotate(n=Count("pk"))
        .values_list("option_id", "n")
    )
    views = []
    for poll in polls:
        closed = poll.closes_at <= now
        view = PollView(poll=poll, closed=closed, can_run=poll.school_id in leading)
        view.children = [(c, chosen.get((poll.pk, c.pk))) for c in children if c.school_id == poll.school_id]
        if closed or view.can_run:
            view.results = [(option, counts.get(option.pk, 0)) for option in poll.options.all()]
            view.answered = sum(n for _o, n in view.results)
        views.append(view)
    return views


def poll_for_viewing(*, user, poll_id: int, now=None) -> PollView:
    poll = Poll.objects.filter(pk=poll_id).prefetch_related("options").first()
    if poll is None or not policies.can_view_poll(user, poll):
        raise Http404
    return _poll_views(user, [poll], guardian_children(user), now or timezone.now())[0]


def poll_for(*, user, poll_id: int, check) -> Poll:
    poll = Poll.objects.filter(pk=poll_id).first()
    if poll is None or not check(user, poll):
        raise Http404
    return poll


def school_for_polls(*, user, slug: str) -> School:
    school = School.objects.filter(slug=slug).first()
    if school is None or not policies.can_run_polls(user, school.pk):
        raise Http404
    return school
