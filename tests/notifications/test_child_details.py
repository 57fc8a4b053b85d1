"""Messages about a child leave the portal with the child's given name and the kind of message only:
what a family or a teacher wrote about the child (an absence reason, a note, a comment on an answer)
stays in the portal, which the message links to."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from activities import services as activity_services
from announcements import services as announcement_services
from tests import factories as f
from tests.activities.makers import activity_make, answer_make
from tests.notifications.conftest import at, prefer, with_phone

pytestmark = pytest.mark.django_db

REASON = "Cháu bị sốt xuất huyết, đang nằm viện Bạch Mai"
COMMENT = "Khôi vẽ rất đẹp nhưng hôm nay có vẻ buồn, gia đình có chuyện gì không ạ?"


def everything_sent(mailoutbox, sms_outbox) -> str:
    parts = []
    for message in mailoutbox:
        parts += [message.subject, message.body, *(html for html, _type in message.alternatives)]
    parts += [sms["body"] for sms in sms_outbox]
    return "\n".join(parts)


@pytest.fixture
def teacher_by_sms_and_email(world, clock):
    clock.to(at(2026, 10, 5, 7, 30))
    with_phone(world.teacher, "+84912000002")
    world.teacher.language = "en"
    world.teacher.save(update_fields=["language"])
    prefer(world.teacher, frequency="immediate", sms={"pickup": "all"})
    return world.teacher


def test_an_absence_notice_names_the_child_by_given_name_and_keeps_the_reason_in_the_portal(
    world, teacher_by_sms_and_email, mailoutbox, sms_outbox, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        notice = announcement_services.pickup_notice_send(
            child=world.child, by=world.parent, kind="absent", reason=REASON
        )
    sent = everything_sent(mailoutbox, sms_outbox)
    assert mailoutbox and sms_outbox
    assert "Khôi" in sent and "Absent" in sent
    assert f"/classes/{world.classroom.pk}/pickup-notices/?date={notice.date.isoformat()}" in sms_outbox[0]["body"]
    for private in ("Nguyễn Minh Khôi", REASON, "sốt", "Lá 1", world.parent.full_name):
        assert private not in sent, private
    # The teacher reads the reason on the portal's page.
    from django.test import Client

    client = Client()
    client.force_login(world.teacher)
    page = client.get(f"/classes/{world.classroom.pk}/pickup-notices/?date={notice.date.isoformat()}")
    assert REASON in page.content.decode()


def test_a_note_with_someone_else_picking_up_stays_in_the_portal(
    world, teacher_by_sms_and_email, mailoutbox, sms_outbox, django_capture_on_commit_callbacks
):
    person = f.PickupPersonFactory(child=world.child, full_name="Trần Văn Bình", phone="+84912345678")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        announcement_services.pickup_notice_send(
            child=world.child,
            by=world.parent,
            kind="other_person",
            time=datetime.time(16, 45),
            reason="Mẹ đi viện",
            pickup_person=person,
        )
    sent = everything_sent(mailoutbox, sms_outbox)
    assert "Someone else will pick Khôi up" in sent and "16:45" in sent
    for private in ("Mẹ đi viện", "Trần Văn Bình", "+84912345678", "0912 345 678", "Nguyễn Minh Khôi"):
        assert private not in sent, private


def test_a_teachers_comment_on_an_answer_stays_in_the_portal(
    world, clock, mailoutbox, sms_outbox, django_capture_on_commit_callbacks
):
    clock.to(at(2026, 10, 5, 10, 0))
    with_phone(world.parent, "+84987000001")
    prefer(world.parent, frequency="immediate", sms={"feedback": "all"})
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    answer = answer_make(activity=activity, child=world.child, by=world.parent)
    mailoutbox.clear()
    world.parent.language = "en"
    world.parent.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.answer_feedback(answer=answer, by=world.teacher, comment=COMMENT, sticker="star")
    sent = everything_sent(mailoutbox, sms_outbox)
    assert mailoutbox and sms_outbox
    assert "Khôi" in sent and "read the teacher's comment" in sent
    assert COMMENT not in sent and "buồn" not in sent and "Nguyễn Minh Khôi" not in sent


def test_an_announcement_keeps_its_text_within_the_sms_length_with_the_link(
    world, clock, mailoutbox, sms_outbox, django_capture_on_commit_callbacks
):
    clock.to(at(2026, 10, 5, 10, 0))
    with_phone(world.parent, "+84987000001")
    prefer(world.parent, frequency="immediate", sms={"announcement": "all"})
    body = "Từ thứ Hai, nhà trường trả trẻ lúc 16 giờ 15. " * 20
    world.parent.language = "en"
    world.parent.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        announcement = announcement_services.announcement_post(
            school=world.school,
            by=world.teacher,
            title="Giờ đón mới",
            body=body,
            kind="pickup_time",
            classrooms=[world.classroom],
        )
    [sms] = [s for s in sms_outbox if s["to"] == "+84987000001"]
    assert sms["body"].startswith("Pick-up time change: Giờ đón mới: Từ thứ Hai")
    assert sms["body"].endswith(f"/announcements/{announcement.pk}/")
    assert len(sms["body"]) <= 300
