"""A teacher gives an activity's video captions (a WebVTT file chosen or pasted) and its voice instructions a
transcript; families' players show them; bad input is refused with a reason and changes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from activities.models import Activity
from mediafiles.models import MediaFile
from tests.activities.makers import activity_make

VTT = "WEBVTT\n\n00:00.000 --> 00:01.000\nBố mẹ gấp đôi tờ giấy.\n"


def vi(text: str) -> str:
    with translation.override("vi"):
        return translation.gettext(text)


def ready(world, kind: str) -> MediaFile:
    """A processed file as the worker leaves it (the players need only its row, not its bytes)."""
    return MediaFile.objects.create(
        school=world.school,
        uploaded_by=world.teacher,
        audience="staff",
        kind=kind,
        state="ready",
        original_name=f"{kind}.webm",
        size=10,
        received=10,
        rendition=f"derived/{kind}.mp4",
    )


@pytest.fixture
def activity(world) -> Activity:
    return activity_make(
        school=world.school,
        by=world.teacher,
        classrooms=[world.classroom],
        video=ready(world, "video"),
        voice=ready(world, "audio"),
    )


def texts(activity: Activity) -> tuple[str, str]:
    activity.video.refresh_from_db()
    activity.voice.refresh_from_db()
    return activity.video.captions, activity.voice.transcript


def test_the_teacher_uploads_captions_and_types_a_transcript_and_the_family_sees_both(client, world, activity):
    client.force_login(world.teacher)
    page = client.get(f"/activities/{activity.pk}/").content.decode()
    assert f'href="/activities/{activity.pk}/captions/"' in page

    answer = client.post(
        f"/activities/{activity.pk}/captions/",
        {
            "captions_file": SimpleUploadedFile("thuyen.vtt", VTT.encode(), content_type="text/vtt"),
            "captions_text": "",
            "transcript": "Bố mẹ gấp mẫu trước,\nrồi bé gấp theo.",
        },
    )
    assert answer.status_code == 302 and answer["Location"] == f"/activities/{activity.pk}/"
    assert texts(activity) == (VTT, "Bố mẹ gấp mẫu trước,\nrồi bé gấp theo.")

    client.force_login(world.parent)
    page = client.get(f"/activities/{activity.pk}/").content.decode()
    assert f'<track kind="captions" src="/media/{activity.video_id}/captions.vtt" srclang="vi"' in page
    assert "<summary>" + vi("Transcript") + "</summary><p>Bố mẹ gấp mẫu trước,<br>rồi bé gấp theo.</p>" in page
    served = client.get(f"/media/{activity.video_id}/captions.vtt")
    assert served.status_code == 200 and served["Content-Type"] == "text/vtt; charset=utf-8"
    assert served.content.decode() == VTT
    # The child's feed draws its card again with the captions.
    feed = client.get(f"/children/{world.child.pk}/activities/").content.decode()
    assert f"/media/{activity.video_id}/captions.vtt" in feed


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"captions_text": "1\n00:00:00,000 --> 00:00:01,000\nAn .srt file\n"},
            "captions_text",
            "This is not a WebVTT captions file: its first line must be “WEBVTT”.",
        ),
        (
            {"captions_file": SimpleUploadedFile("big.vtt", b"WEBVTT\n\n" + b"x" * 300_000)},
            "captions_file",
            "The captions file is too large: at most %(size)s KB.",
        ),
    ],
)
def test_a_wrong_captions_file_is_refused_with_a_reason_and_changes_nothing(
    client, world, activity, data, field, message
):
    activity.voice.transcript = "Lời cũ."
    activity.voice.save(update_fields=["transcript"])
    client.force_login(world.teacher)

    answer = client.post(f"/activities/{activity.pk}/captions/", {"transcript": "Lời mới.", **data})

    assert answer.status_code == 200
    shown = vi(message) % {"size": 200}
    assert shown in answer.context["form"].errors[field][0]
    assert shown.replace("“", "&ldquo;") in answer.content.decode() or shown in answer.content.decode()
    assert texts(activity) == ("", "Lời cũ.")


def test_a_teacher_of_another_class_cannot_caption(client, world, activity):
    client.force_login(world.other_teacher)
    answer = client.post(f"/activities/{activity.pk}/captions/", {"captions_text": VTT})
    assert answer.status_code == 404
    assert texts(activity) == ("", "")


def test_the_captions_are_offered_in_the_language_the_teacher_declares(client, world, activity):
    client.force_login(world.teacher)
    form = client.get(f"/activities/{activity.pk}/captions/").content.decode()
    assert '<option value="vi" selected>' in form  # the site's language until the teacher says otherwise

    answer = client.post(f"/activities/{activity.pk}/captions/", {"captions_text": VTT, "captions_language": "en"})
    assert answer.status_code == 302
    activity.video.refresh_from_db()
    assert (activity.video.captions.strip(), activity.video.captions_language) == (VTT.strip(), "en")

    client.force_login(world.parent)
    page = client.get(f"/activities/{activity.pk}/").content.decode()
    track = f'<track kind="captions" src="/media/{activity.video_id}/captions.vtt" srclang="en" label="{vi("English")}"'
    assert track in page
    assert (
        f"/media/{activity.video_id}/captions.vtt"
        in client.get(f"/children/{world.child.pk}/activities/").content.decode()
    )
    client.force_login(world.teacher)
    assert '<option value="en" selected>' in client.get(f"/activities/{activity.pk}/captions/").content.decode()


def test_a_language_not_offered_is_refused_in_vietnamese_and_changes_nothing(client, world, activity):
    client.force_login(world.teacher)

    answer = client.post(
        f"/activities/{activity.pk}/captions/",
        {"captions_text": VTT, "captions_language": "fr", "transcript": "Lời mới."},
    )

    assert answer.status_code == 200
    shown = vi("Choose the language of the captions among those listed.")
    assert answer.context["form"].errors["captions_language"] == [shown]
    assert shown in answer.content.decode()
    assert texts(activity) == ("", "")
    activity.video.refresh_from_db()
    assert activity.video.captions_language == ""
