"""A teacher or a leader posts an activity to their classes; bad input changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from activities.models import Activity, ActivityClassroom
from mediafiles import services as media_services
from notifications.models import Notice
from schools.models import school_today
from tests.activities.makers import activity_make, photo_make

pytestmark = pytest.mark.django_db


def vi(text: str) -> str:
    with translation.override("vi"):
        return translation.gettext(text)


PAST_DAY = "This day is in the past. Choose today or a later day, or leave it empty."


def form_data(classrooms, **extra) -> dict:
    data = {
        "title": "Nhảy lò cò theo ô số",
        "domain": "physical",
        "age_group": "la",
        "classrooms": [c.pk for c in classrooms],
        "materials": "Phấn hoặc băng dính, một viên sỏi",
        "instructions": "Kẻ 8 ô trên sân, đánh số từ 1 đến 8.\nBé ném sỏi rồi nhảy lò cò theo thứ tự.",
        "answer_by": "",
        "video": "",
        "publish": "1",
    }
    data.update(extra)
    return data


def post(client, world, *, as_user=None, **extra):
    client.force_login(as_user or world.teacher)
    return client.post(f"/schools/{world.school.slug}/activities/new/", form_data([world.classroom], **extra))


def test_a_teacher_publishes_an_activity_with_a_photo_and_the_families_of_the_class_are_told(
    client, world, classmate_parent, django_capture_on_commit_callbacks
):
    photo = photo_make(school=world.school, by=world.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        answer_by = str(school_today() + datetime.timedelta(days=5))
        response = post(client, world, photo_1=str(photo.pk), answer_by=answer_by)

    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/activities/{activity.pk}/"
    assert activity.is_published and activity.published_at is not None
    assert activity.created_by == world.teacher and activity.school == world.school
    assert [p.media for p in activity.photos.all()] == [photo]
    link = ActivityClassroom.objects.get(activity=activity)
    assert link.classroom == world.classroom and link.school == world.school and link.enrolled == 2
    told = Notice.objects.filter(category="activity", dedupe_key=f"activity:{activity.pk}:published")
    assert sorted(told.values_list("recipient__email", flat=True)) == ["classmate@example.test", "parent@example.test"]
    notice = told.get(recipient=world.parent)
    assert "Nhảy lò cò theo ô số" in notice.title and notice.url == f"/activities/{activity.pk}/"

    page = client.get(response["Location"]).content.decode()
    assert vi("The activity is published: the families of its classes are being told.") in page


def test_a_principal_posts_to_two_classes_and_each_family_is_told_once(
    client, world, django_capture_on_commit_callbacks
):
    photo = photo_make(school=world.school, by=world.principal)
    client.force_login(world.principal)
    data = form_data([world.classroom, world.other_classroom], photo_1=str(photo.pk))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/schools/{world.school.slug}/activities/new/", data)
    activity = Activity.objects.get()
    assert set(activity.classrooms.all()) == {world.classroom, world.other_classroom}
    assert sorted(Notice.objects.values_list("recipient_id", flat=True)) == sorted(
        [world.parent.pk, world.other_parent.pk]
    )


def test_a_draft_tells_nobody_and_publishing_twice_tells_each_family_once(
    client, world, django_capture_on_commit_callbacks
):
    photo = photo_make(school=world.school, by=world.teacher)
    client.force_login(world.teacher)
    data = form_data([world.classroom], photo_1=str(photo.pk))
    del data["publish"]
    data["draft"] = "1"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/schools/{world.school.slug}/activities/new/", data)
    activity = Activity.objects.get()
    assert activity.state == "draft" and not Notice.objects.exists()
    client.force_login(world.parent)
    assert client.get(f"/activities/{activity.pk}/").status_code == 404

    client.force_login(world.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/activities/{activity.pk}/publish/")
        again = client.post(f"/activities/{activity.pk}/publish/", follow=True)
    assert vi("This activity is already published.") in again.content.decode()
    assert list(Notice.objects.values_list("recipient_id", flat=True)) == [world.parent.pk]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": ""}, "title", "Give the activity a title."),
        ({"instructions": ""}, "instructions", "Write what the family does with the child."),
        ({"domain": "cooking"}, "domain", None),
        ({"answer_by": "2020-01-01"}, "answer_by", PAST_DAY),
        ({}, "video", "Add a video, your voice instructions or at least one photo before publishing."),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(client, world, change, field, message):
    response = post(client, world, **change)
    assert response.status_code == 200
    page = response.content.decode()
    assert vi("Nothing was saved: correct what is marked below.") in page
    if message:
        assert vi(message) in page
    assert response.context["form"].errors[field]
    assert not Activity.objects.exists() and not ActivityClassroom.objects.exists()


def test_a_post_to_a_class_that_is_not_yours_is_refused(client, world):
    photo = photo_make(school=world.school, by=world.teacher)
    client.force_login(world.teacher)
    response = client.post(
        f"/schools/{world.school.slug}/activities/new/",
        form_data([world.other_classroom], photo_1=str(photo.pk)),
    )
    assert response.status_code == 200
    assert vi("You cannot post to this class. Choose among the classes listed.") in response.content.decode()
    assert not Activity.objects.exists()


def test_the_service_also_refuses_a_class_of_another_teacher(world):
    from django.core.exceptions import ValidationError

    from activities import services

    photo = photo_make(school=world.school, by=world.teacher)
    with pytest.raises(ValidationError) as refused:
        services.activity_create(
            school=world.school,
            by=world.teacher,
            title="Xếp hình",
            instructions="…",
            domain="cognitive",
            age_group="la",
            classrooms=[world.other_classroom],
            photos=[photo.pk],
            publish=True,
        )
    assert "classrooms" in refused.value.error_dict
    assert not Activity.objects.exists()


def _someone_elses(w):
    return photo_make(school=w.school, by=w.other_teacher)


def _other_schools(w):
    from tests import factories as f

    f.StaffFactory(school=w.other_school, user=w.teacher, role="teacher")
    return photo_make(school=w.other_school, by=w.teacher)


def _attached(w):
    photo = photo_make(school=w.school, by=w.teacher)
    activity_make(school=w.school, by=w.teacher, classrooms=[w.classroom], photos=[photo])
    return photo


def _own_photo(w):
    return photo_make(school=w.school, by=w.teacher)


@pytest.mark.parametrize(
    ("field", "make", "message"),
    [
        ("photo_1", _someone_elses, "This file was not found. Please upload it again."),
        ("photo_1", _other_schools, "This file was uploaded for another school. Please upload it again here."),
        ("photo_1", _attached, "This file is already used elsewhere. Please upload it again."),
        ("photo_1", lambda w: "not-a-uuid", "This file was not found. Please upload it again."),
        ("video", _own_photo, "This file is not a video. Choose a video file."),
    ],
)
def test_a_file_that_cannot_be_attached_is_refused(client, world, field, make, message):
    media = make(world)
    before = Activity.objects.count()
    response = post(client, world, **{field: str(getattr(media, "pk", media))})
    assert response.status_code == 200
    assert vi(message) in response.content.decode()
    assert Activity.objects.count() == before


def test_a_failed_video_is_refused_with_its_reason(client, world, tmp_path):
    bogus = tmp_path / "lesson.mp4"
    bogus.write_bytes(b"this is not a video at all" * 100)
    failed = media_services.media_ingest(school=world.school, by=world.teacher, kind="video", path=bogus)
    assert failed.state == "failed" and failed.failure_reason
    response = post(client, world, video=str(failed.pk))
    page = response.content.decode()
    assert failed.failure_reason in page
    assert not Activity.objects.exists()


def test_the_form_offers_a_teacher_only_their_classes(client, world):
    client.force_login(world.teacher)
    page = client.get(f"/schools/{world.school.slug}/activities/new/?classroom={world.classroom.pk}")
    form = page.context["form"]
    assert list(form.fields["classrooms"].queryset) == [world.classroom]
    assert form.initial["age_group"] == "la"
    html = page.content.decode()
    assert 'data-media-upload data-kind="video"' in html and 'name="video"' in html
