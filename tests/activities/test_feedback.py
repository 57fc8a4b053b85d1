"""A teacher answers a family's answer with a comment and a sticker; the family is told once."""

from __future__ import annotations

import pytest
from django.utils import translation

from activities.models import Answer
from notifications.models import Notice
from tests import factories as f
from tests.activities.makers import activity_make, answer_make

pytestmark = pytest.mark.django_db


def vi(text: str) -> str:
    with translation.override("vi"):
        return translation.gettext(text)


@pytest.fixture
def answer(world):
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom], title="Gấp thuyền")
    return answer_make(activity=activity, child=world.child, by=world.parent)


def give(client, answer, **data):
    return client.post(f"/answers/{answer.pk}/feedback/", data, follow=True)


def test_the_teacher_gives_a_sticker_and_a_comment_and_every_guardian_is_told_once(
    client, world, answer, django_capture_on_commit_callbacks
):
    father = f.GuardianshipFactory(child=world.child, guardian=f.UserFactory(full_name="Nguyễn Văn Hùng")).guardian
    client.force_login(world.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        page = give(client, answer, sticker="rainbow", comment="Thuyền của Khôi đẹp quá!").content.decode()
    assert vi("Your feedback is saved and the family has been told.") in page

    answer.refresh_from_db()
    assert (answer.sticker, answer.feedback, answer.feedback_by) == (
        "rainbow",
        "Thuyền của Khôi đẹp quá!",
        world.teacher,
    )
    told = Notice.objects.filter(category="feedback", dedupe_key=f"answer:{answer.pk}:feedback")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted([world.parent.pk, father.pk])
    assert told.get(recipient=world.parent).url == f"/activities/{answer.activity_id}/"

    # Changing the feedback tells nobody again.
    with django_capture_on_commit_callbacks(execute=True):
        give(client, answer, sticker="star", comment="Rất giỏi!")
    assert told.count() == 2
    answer.refresh_from_db()
    assert answer.sticker == "star"

    client.force_login(world.parent)
    page = client.get(f"/activities/{answer.activity_id}/").content.decode()
    assert "Rất giỏi!" in page
    # The sticker is drawn inline, with its name for screen readers: no emoji font needed.
    assert '<svg class="sticker sticker-star"' in page and f'aria-label="{vi("Star")}"' in page
    feed = client.get(f"/children/{world.child.pk}/activities/").content.decode()
    assert '<svg class="sticker sticker-star"' in feed


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"sticker": "unicorn"}, "Choose one of the stickers shown, and keep the comment short."),
        ({"sticker": "", "comment": "  "}, "Write a comment or choose a sticker."),
        ({"comment": "x" * 1001}, "Choose one of the stickers shown, and keep the comment short."),
    ],
)
def test_bad_feedback_is_refused_and_changes_nothing(client, world, answer, data, message):
    client.force_login(world.teacher)
    assert vi(message) in give(client, answer, **data).content.decode()
    answer.refresh_from_db()
    assert answer.feedback_at is None and not Notice.objects.exists()


def test_only_the_class_teachers_and_the_leaders_give_feedback(client, world, answer):
    for person in (world.other_teacher, world.parent, world.other_principal, world.nurse):
        client.force_login(person)
        assert client.post(f"/answers/{answer.pk}/feedback/", {"sticker": "sun"}).status_code == 404
    client.force_login(world.principal)
    give(client, answer, sticker="sun")
    assert Answer.objects.get().sticker == "sun"
