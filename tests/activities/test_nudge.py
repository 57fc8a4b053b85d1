"""The teacher reminds the families who have not answered, once per activity (and class)."""

from __future__ import annotations

import pytest
from django.utils import formats, timezone, translation
from django.utils.translation import ngettext

from activities.models import ActivityClassroom
from notifications.models import Notice
from tests import factories as f
from tests.activities.makers import activity_make, answer_make

pytestmark = pytest.mark.django_db


def vi(text: str) -> str:
    with translation.override("vi"):
        return translation.gettext(text)


def nudge(client, activity, classroom):
    return client.post(f"/activities/{activity.pk}/classes/{classroom.pk}/nudge/", follow=True)


def test_one_reminder_goes_to_the_families_without_an_answer_and_a_second_is_refused(
    client, world, classmate, classmate_parent, django_capture_on_commit_callbacks
):
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom], title="Gấp thuyền")
    answer_make(activity=activity, child=world.child, by=world.parent)
    f.ChildFactory(classroom=world.classroom)  # no family signed up: nobody to tell
    client.force_login(world.teacher)

    with django_capture_on_commit_callbacks(execute=True):
        page = nudge(client, activity, world.classroom).content.decode()
    with translation.override("vi"):
        expected = ngettext(
            "A reminder is on its way to %(n)d family of %(classroom)s.",
            "A reminder is on its way to %(n)d families of %(classroom)s.",
            1,
        )
    assert expected % {"n": 1, "classroom": "Lá 1"} in page
    told = Notice.objects.filter(dedupe_key=f"activity:{activity.pk}:nudge:{world.classroom.pk}")
    assert list(told.values_list("recipient_id", flat=True)) == [classmate_parent.pk]
    notice = told.get()
    assert notice.category == "activity" and "Gấp thuyền" in notice.title
    assert notice.url == f"/activities/{activity.pk}/"
    link = ActivityClassroom.objects.get(activity=activity)
    assert link.nudged_by == world.teacher and link.nudged_at

    with django_capture_on_commit_callbacks(execute=True):
        again = nudge(client, activity, world.classroom).content.decode()
    with translation.override("vi"):
        sent_on = formats.date_format(timezone.localtime(link.nudged_at), "SHORT_DATE_FORMAT")
    refusal = vi("A reminder for this activity was already sent to %(classroom)s on %(date)s. Only one is sent.")
    assert refusal % {"classroom": "Lá 1", "date": sent_on} in again
    assert told.count() == 1
    page = client.get(f"/activities/{activity.pk}/participation/").content.decode()
    assert f"/activities/{activity.pk}/classes/{world.classroom.pk}/nudge/" not in page


def test_when_every_family_answered_there_is_nobody_to_remind(client, world, django_capture_on_commit_callbacks):
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    answer_make(activity=activity, child=world.child, by=world.parent)
    client.force_login(world.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        page = nudge(client, activity, world.classroom).content.decode()
    assert (
        vi("Every family of %(classroom)s with an account has answered: nobody to remind.") % {"classroom": "Lá 1"}
        in page
    )
    assert ActivityClassroom.objects.get().nudged_at is None and not Notice.objects.exists()


def test_nobody_else_can_remind_the_class(client, world):
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    for person in (world.other_teacher, world.parent, world.other_principal):
        client.force_login(person)
        assert client.post(f"/activities/{activity.pk}/classes/{world.classroom.pk}/nudge/").status_code == 404
    # A class the activity was not sent to.
    client.force_login(world.principal)
    assert client.post(f"/activities/{activity.pk}/classes/{world.other_classroom.pk}/nudge/").status_code == 404
    assert ActivityClassroom.objects.get().nudged_at is None
