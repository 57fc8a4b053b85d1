"""Every write of the feedback box and the polls: one atomic function each, checked by the policies."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feedback import policies
from feedback.models import (
    DEFAULT_ESCALATION_DAYS,
    MESSAGE_MAX,
    FeedbackItem,
    FeedbackSettings,
    Kind,
    Poll,
    PollAnswer,
    PollOption,
    Route,
    Topic,
)
from mediafiles.models import Kind as MediaKind
from mediafiles.services import media_pick_for_attaching
from notifications.models import Category
from notifications.services import notice_fan_out, notice_send
from schools import calendar
from schools.models import AuthorityOfficer, School, StaffMembership, school_today
from schools.policies import is_leader_of

ANSWER_MAX = MESSAGE_MAX
POLL_OPTIONS_MAX = 8


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def escalation_days(school: School) -> int:
    row = FeedbackSettings.objects.filter(school=school).values_list("escalation_working_days", flat=True).first()
    return row or DEFAULT_ESCALATION_DAYS


def _text_problem(text: str, *, empty: str) -> str:
    if not text.strip():
        return empty
    if len(text) > MESSAGE_MAX:
        message = _("Please keep it under %(max)s characters (it has %(count)s).")
        return message % {"max": MESSAGE_MAX, "count": len(text)}
    return ""


def _commune_officer_ids(school: School) -> list[int]:
    return list(AuthorityOfficer.objects.filter(authority_id=school.authority_id).values_list("user_id", flat=True))


def _leader_ids(school: School) -> list[int]:
    from schools.models import LEADER_ROLES

    return list(
        StaffMembership.objects.filter(school=school, is_active=True, role__in=LEADER_ROLES).values_list(
            "user_id", flat=True
        )
    )


def _item_url(item: FeedbackItem) -> str:
    return reverse("feedback:item", args=[item.pk])


# Notices say what kind of item and its topic, never the sender nor the text: a notice is read on a
# lock screen, and goes out by e-mail and SMS.
NEW_TITLE = gettext_lazy("New in the feedback box: %(kind)s about “%(topic)s”")
NEW_BODY = gettext_lazy("Open the feedback box to read and answer it.")
DIRECT_TITLE = gettext_lazy("A concern sent to the authority about %(school)s")
ESCALATED_TITLE = gettext_lazy("Unanswered for %(days)s working days: feedback at %(school)s")
ESCALATED_BODY = gettext_lazy("A %(kind)s about “%(topic)s”, sent on %(sent)s, has no answer yet.")
ANSWERED_TITLE = gettext_lazy("Your %(kind)s has an answer")
ANSWERED_BODY = gettext_lazy("Open it to read the answer.")
ASSIGNED_TITLE = gettext_lazy("You are asked to help answer a %(kind)s about “%(topic)s”")


def feedback_send(
    *,
    by,
    school: School,
    kind: str,
    topic: str,
    message: str,
    route: str = Route.SCHOOL,
    anonymous: bool = False,
    publish_agreed: bool = False,
    share_with_authority: bool = False,
    photo_id=None,
    now: datetime.datetime | None = None,
) -> FeedbackItem:
    """A guardian sends a suggestion, question or concern to the school, or a concern to the authority."""
    if not policies.can_send_feedback(by, school.pk):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    problem = _text_problem(message or "", empty=_("Please write your message."))
    if problem:
        errors["message"] = [problem]
    if kind not in Kind.values:
        errors["kind"] = [_("Choose a suggestion, a question or a concern.")]
    if topic not in Topic.values:
        errors["topic"] = [_("Choose what it is about.")]
    if route not in Route.values:
        errors["route"] = [_("Choose whom to send it to.")]
    elif route == Route.AUTHORITY and kind != Kind.CONCERN:
        errors["kind"] = [_("Only a concern can be sent straight to the authority.")]
    if errors:
        raise ValidationError(errors)
    direct = route == Route.AUTHORITY
    with transaction.atomic():
        photo = None
        if photo_id:
            try:
                photo = media_pick_for_attaching(photo_id, by=by, school_id=school.pk, kinds={MediaKind.IMAGE})
            except ValidationError as exc:
                raise ValidationError({"photo": exc.messages}) from None
            if FeedbackItem.objects.filter(photo=photo).exists():
                raise ValidationError({"photo": [_("This photo is already attached. Please upload it again.")]})
        item = FeedbackItem.objects.create(
            school=school,
            sender=by,
            route=route,
            kind=kind,
            topic=topic,
            message=message.strip(),
            photo=photo,
            anonymous=bool(anonymous),
            # Publishing is for the school's page; the authority's answers are not published there.
            publish_agreed=bool(publish_agreed) and not direct,
            share_with_authority=bool(share_with_authority) or direct,
            created_at=now or timezone.now(),
        )
        context = {"kind": item.get_kind_display(), "topic": item.get_topic_display(), "school": school.name}
        recipients = _commune_officer_ids(school) if direct else _leader_ids(school)
        if recipients:
            notice_fan_out(  # queued when the item is committed
                recipient_ids=recipients,
                category=Category.FEEDBACK_BOX,
                title=DIRECT_TITLE if direct else NEW_TITLE,
                body=NEW_BODY,
                url=_item_url(item),
                dedupe_key=f"feedback:{item.pk}:new",
                school=None if direct else school,
                context=context,
            )
    return item


def feedback_answer(*, by, item: FeedbackItem, answer: str, now: datetime.datetime | None = None) -> FeedbackItem:
    """The school (or, for a direct concern, the officer) answers; the sender is told."""
    if not policies.can_answer(by, item):
        raise PermissionDenied
    problem = _text_problem(answer or "", empty=_("Please write the answer."))
    if problem:
        raise ValidationError({"answer": [problem]})
    now = now or timezone.now()
    with transaction.atomic():
        item = FeedbackItem.objects.select_for_update().select_related("school").get(pk=item.pk)
        first = item.answered_at is None
        item.answer = answer.strip()
        item.answered_by = by
        if first:
            item.answered_at = now
            item.response_working_days = calendar.working_days_between(
                item.school, _local_date(item.created_at), _local_date(now)
            )
        item.save(update_fields=["answer", "answered_by", "answered_at", "response_working_days"])
    if item.sender_id is None:  # the sender's data was erased: nobody to tell
        return item
    notice_send(
        recipient=item.sender,
        category=Category.FEEDBACK_BOX,
        title=ANSWERED_TITLE,
        body=ANSWERED_BODY,
        url=_item_url(item),
        dedupe_key=f"feedback:{item.pk}:answered:{int(now.timestamp())}",
        school=item.school if item.route == Route.SCHOOL else None,
        context={"kind": item.get_kind_display()},
    )
    return item


def feedback_assign(*, by, item: FeedbackItem, staff_user_id: int | None) -> FeedbackItem:
    """A leader asks a member of the school's staff to help answer (None: nobody)."""
    if not policies.can_assign(by, item):
        raise PermissionDenied
    assignee = None
    if staff_user_id:
        membership = (
            StaffMembership.objects.filter(school_id=item.school_id, user_id=staff_user_id, is_active=True)
            .select_related("user")
            .first()
        )
        if membership is None:
            raise ValidationError({"assigned_to": [_("Choose a member of the school's staff.")]})
        assignee = membership.user
    item.assigned_to = assignee
    item.save(update_fields=["assigned_to"])
    if assignee is not None and assignee.pk != by.pk:
        notice_send(
            recipient=assignee,
            category=Category.FEEDBACK_BOX,
            title=ASSIGNED_TITLE,
            body=NEW_BODY,
            url=_item_url(item),
            dedupe_key=f"feedback:{item.pk}:assigned:{assignee.pk}",
            school=item.school,
            context={"kind": item.get_kind_display(), "topic": item.get_topic_display()},
        )
    return item


def feedback_publish(*, by, item: FeedbackItem, publish: bool = True, now=None) -> FeedbackItem:
    """Show the question and answer on the school's public page, when the sender agreed (or take it down)."""
    if not policies.can_publish(by, item):
        raise PermissionDenied
    if publish:
        if not item.publish_agreed:
            raise ValidationError(_("The sender did not agree to publish this item."))
        if not item.is_answered:
            raise ValidationError(_("Answer it first, then publish the question and the answer."))
    updated = FeedbackItem.objects.filter(pk=item.pk)
    if publish:
        updated.filter(published_at__isnull=True).update(published_at=now or timezone.now())
    else:
        updated.update(published_at=None)
    item.refresh_from_db(fields=["published_at"])
    return item


def feedback_escalate_overdue(*, today: datetime.date | None = None, now: datetime.datetime | None = None) -> int:
    """Escalate to the commune authority the items sent to a school and unanswered after the school's
    number of working days; the officers get topic, dates and school. Returns how many were escalated."""
    today = today or school_today()
    now = now or timezone.now()
    open_items = (
        FeedbackItem.objects.filter(route=Route.SCHOOL, answered_at__isnull=True, escalated_at__isnull=True)
        .select_related("school")
        .order_by("school_id", "created_at")
    )
    days_by_school = dict(FeedbackSettings.objects.values_list("school_id", "escalation_working_days"))
    escalated = 0
    for item in open_items:
        days = days_by_school.get(item.school_id, DEFAULT_ESCALATION_DAYS)
        sent = _local_date(item.created_at)
        if calendar.working_days_between(item.school, sent, today) < days:
            continue
        # Conditional: two runs at once escalate (and tell) once.
        if not FeedbackItem.objects.filter(pk=item.pk, escalated_at__isnull=True, answered_at__isnull=True).update(
            escalated_at=now
        ):
            continue
        escalated += 1
        officers = _commune_officer_ids(item.school)
        if officers:
            notice_fan_out(
                recipient_ids=officers,
                category=Category.FEEDBACK_BOX,
                title=ESCALATED_TITLE,
                body=ESCALATED_BODY,
                url=_item_url(item),
                dedupe_key=f"feedback:{item.pk}:escalated",
                context={
                    "days": days,
                    "school": item.school.name,
                    "kind": item.get_kind_display(),
                    "topic": item.get_topic_display(),
                    "sent": f"{sent:%d/%m/%Y}",
                },
            )
    return escalated


def feedback_settings_set(*, by, school: School, escalation_working_days: int) -> FeedbackSettings:
    if not is_leader_of(by, school.pk):
        raise PermissionDenied
    if not 1 <= int(escalation_working_days) <= 30:
        raise ValidationError(_("Choose between 1 and 30 working days."))
    row, _created = FeedbackSettings.objects.update_or_create(
        school=school, defaults={"escalation_working_days": escalation_working_days}
    )
    return row


# --- Polls


def poll_create(
    *, by, school: School, question: str, options: list[str], closes_at: datetime.datetime, now=None
) -> Poll:
    """A leader asks the school's families a short question, with 2 to 8 possible answers."""
    if not policies.can_run_polls(by, school.pk):
        raise PermissionDenied
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    question = (question or "").strip()
    if not question:
        errors["question"] = [_("Please write the question.")]
    elif len(question) > 200:
        errors["question"] = [_("Please keep the question under 200 characters.")]
    labels: list[str] = []
    for label in options:
        label = label.strip()
        if label and label not in labels:
            labels.append(label)
    if not 2 <= len(labels) <= POLL_OPTIONS_MAX:
        errors["options"] = [_("Give between 2 and %(max)s different answers, one a line.") % {"max": POLL_OPTIONS_MAX}]
    elif any(len(label) > 120 for label in labels):
        errors["options"] = [_("Please keep each answer under 120 characters.")]
    if closes_at is None or closes_at <= now:
        errors["closes_at"] = [_("The poll must close in the future.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        poll = Poll.objects.create(school=school, question=question, created_by=by, created_at=now, closes_at=closes_at)
        PollOption.objects.bulk_create(
            PollOption(school=school, poll=poll, label=label, position=n) for n, label in enumerate(labels)
        )
    return poll


def poll_answer(*, by, poll: Poll, child_id, option_id, now=None) -> PollAnswer:
    """A guardian answers for one of their children; an answer given before for the child is replaced."""
    now = now or timezone.now()
    children = {child.pk: child for child in policies.poll_children(by, poll)}
    try:
        child = children.get(int(child_id))
    except (TypeError, ValueError):
        child = None
    if child is None:
        raise ValidationError({"child": [_("You can answer only for your own child at this school.")]})
    if poll.closes_at <= now:
        raise ValidationError(_("This poll is closed: answers are no longer taken."))
    try:
        option = poll.options.get(pk=int(option_id))
    except (TypeError, ValueError, PollOption.DoesNotExist):
        raise ValidationError({"option": [_("Choose one of the answers.")]}) from None
    answer, _created = PollAnswer.objects.update_or_create(
        poll=poll,
        child=child,
        defaults={"school_id": poll.school_id, "option": option, "answered_by": by, "answered_at": now},
    )
    return answer


def poll_close(*, by, poll: Poll, now=None) -> Poll:
    """Close a poll early: the families see the results."""
    if not policies.can_run_polls(by, poll.school_id):
        raise PermissionDenied
    now = now or timezone.now()
    if poll.closes_at > now:
        poll.closes_at = max(now, poll.created_at + datetime.timedelta(seconds=1))
        poll.save(update_fields=["closes_at"])
    return poll
