"""The demo step "feedback": at Sao Mai, a question answered and published on the public page, a concern
left unanswered and escalated to the ward's officer (its text not shared), a concern sent straight to the
ward, a closed poll with its answers, and an open poll that parent@saomai.test has not answered yet.
No feedback text names a child. Run twice, it adds nothing."""

from __future__ import annotations

import datetime

from django.utils import timezone

from coordination.lib import demo as demo_steps

STEP = "feedback"
DEMO_PARENT = "parent@saomai.test"

PUBLISHED_Q = "Bữa phụ buổi chiều của các con có thêm sữa chua hoặc trái cây được không ạ?"
PUBLISHED_A = (
    "Cảm ơn phụ huynh đã góp ý. Từ tuần sau, bếp sẽ thêm sữa chua vào bữa phụ thứ Ba và thứ Năm, "
    "trái cây theo mùa vào các ngày còn lại. Thực đơn được đăng hằng tuần trên cổng thông tin."
)
ESCALATED = "Đoạn hàng rào phía sau sân chơi bị hỏng, các con có thể chui ra ngoài. Mong nhà trường sửa sớm."
DIRECT = "Tôi muốn phản ánh việc thu các khoản ngoài quy định đầu năm học mà chưa được giải thích rõ."
CLOSED_POLL = "Ngày nào phù hợp để tổ chức Hội chợ Xuân?"
CLOSED_OPTIONS = ["Thứ Bảy 16/01", "Chủ nhật 17/01", "Thứ Bảy 23/01"]
OPEN_POLL = "Phụ huynh muốn họp phụ huynh cuối kỳ vào khung giờ nào?"
OPEN_OPTIONS = ["Sáng thứ Bảy (8:00)", "Chiều thứ Sáu (17:00)", "Tối thứ Năm (19:00)"]


def _guardians(school) -> list:
    """Guardian and child pairs of Sao Mai (each person and each child once), the demo parent's household left out."""
    from parents.models import Guardianship
    from schools.models import Child

    children = Child.objects.filter(school=school, left_on__isnull=True)
    links = (
        Guardianship.objects.active()
        .filter(child__in=children, guardian__is_active=True)
        .exclude(child__guardianships__guardian__email=DEMO_PARENT)
        .select_related("guardian", "child")
        .order_by("child__full_name", "pk")
    )
    seen, children, pairs = set(), set(), []
    for link in links:
        if link.guardian_id not in seen and link.child_id not in children:
            seen.add(link.guardian_id)
            children.add(link.child_id)
            pairs.append((link.guardian, link.child))
    return pairs


def _local(moment) -> datetime.date:
    return timezone.localtime(moment).date()


def seed_feedback(ctx: demo_steps.DemoContext) -> None:
    from feedback.models import FeedbackItem, Kind, Poll, PollAnswer, PollOption, Route, Topic
    from schools import calendar
    from schools.models import School, StaffMembership, StaffRole

    school = School.objects.filter(slug="sao-mai").first()
    if school is None:
        return
    principal = StaffMembership.objects.filter(school=school, role=StaffRole.PRINCIPAL).select_related("user").first()
    families = _guardians(school)
    if principal is None or len(families) < 3:
        return
    now = timezone.now()

    if not FeedbackItem.objects.filter(school=school, message=PUBLISHED_Q).exists():
        sent, answered = now - datetime.timedelta(days=20), now - datetime.timedelta(days=18)
        FeedbackItem.objects.create(
            school=school,
            sender=families[0][0],
            kind=Kind.QUESTION,
            topic=Topic.MEALS,
            message=PUBLISHED_Q,
            anonymous=True,
            publish_agreed=True,
            created_at=sent,
            answer=PUBLISHED_A,
            answered_at=answered,
            answered_by=principal.user,
            response_working_days=calendar.working_days_between(school, _local(sent), _local(answered)),
            published_at=answered,
        )
    if not FeedbackItem.objects.filter(school=school, message=ESCALATED).exists():
        FeedbackItem.objects.create(
            school=school,
            sender=families[1][0],
            kind=Kind.CONCERN,
            topic=Topic.FACILITIES,
            message=ESCALATED,
            created_at=now - datetime.timedelta(days=14),
            escalated_at=now - datetime.timedelta(days=5),
        )
    if not FeedbackItem.objects.filter(school=school, message=DIRECT).exists():
        FeedbackItem.objects.create(
            school=school,
            sender=families[2][0],
            route=Route.AUTHORITY,
            kind=Kind.CONCERN,
            topic=Topic.FEES,
            message=DIRECT,
            share_with_authority=True,
            created_at=now - datetime.timedelta(days=2),
        )

    closed = Poll.objects.filter(school=school, question=CLOSED_POLL).first()
    if closed is None:
        closed = Poll.objects.create(
            school=school,
            question=CLOSED_POLL,
            created_by=principal.user,
            created_at=now - datetime.timedelta(days=12),
            closes_at=now - datetime.timedelta(days=2),
        )
        options = [
            PollOption.objects.create(school=school, poll=closed, label=label, position=n)
            for n, label in enumerate(CLOSED_OPTIONS)
        ]
        PollAnswer.objects.bulk_create(
            PollAnswer(
                school=school,
                poll=closed,
                child=child,
                option=options[ctx.rng.choice((0, 0, 1, 2))],
                answered_by=guardian,
                answered_at=now - datetime.timedelta(days=5),
            )
            for guardian, child in families[:18]
        )
    if not Poll.objects.filter(school=school, question=OPEN_POLL).exists():
        poll = Poll.objects.create(
            school=school,
            question=OPEN_POLL,
            created_by=principal.user,
            created_at=now - datetime.timedelta(days=1),
            closes_at=now + datetime.timedelta(days=7),
        )
        PollOption.objects.bulk_create(
            PollOption(school=school, poll=poll, label=label, position=n) for n, label in enumerate(OPEN_OPTIONS)
        )
    ctx.log("feedback: Sao Mai's feedback box (answered, escalated, sent to the ward) and two polls")


def register() -> None:
    demo_steps.register(STEP, seed_feedback, after=("families",))
