"""Consent on a work's page: its photos only while the guardians' consent to portfolio photos stands,
its voice note only while the consent to voice recordings stands; the files themselves are refused
by the media resolver then too. And the voice note: a real recording, its AAC rendition played to
the family."""

from __future__ import annotations

import datetime
import subprocess

import pytest
from django.core.exceptions import ValidationError

from mediafiles.models import MediaFile
from parents.selectors import consent_granted_child_ids
from portfolio.build import work_qr_build
from portfolio.models import Work
from portfolio.selectors import PHOTOS, VOICE, work_for_token
from portfolio.services import work_voice_set
from tests import factories as f
from tests.conftest import requires_binary
from tests.portfolio.printing_makers import voice_make, work_make

pytestmark = pytest.mark.django_db

TITLE = "Vườn ươm của những bạn nhỏ"


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def say(world, purpose: str, granted: bool = True, guardian=None, at=None):
    record = f.ConsentFactory(child=world.child, guardian=guardian or world.parent, purpose=purpose, granted=granted)
    if at is not None:
        type(record).objects.filter(pk=record.pk).update(recorded_at=at)
    return record


@pytest.fixture
def work(world) -> Work:
    work = work_make(child=world.child, by=world.teacher, title=TITLE, photos=2, voice=True)
    work_qr_build(work_id=work.pk)
    return work


def seen(client, user, work) -> tuple[str, dict[str, int]]:
    """The page's HTML, and the answers of the files' downloads to the same person."""
    client.force_login(user)
    html = client.get(f"/w/{work.token}").content.decode()
    files = {}
    for photo in work.photos.all():
        for variant in ("preview", "preview-webp", "thumb", "original"):
            files[f"photo {photo.pk} {variant}"] = client.get(f"/media/{photo.media_id}/{variant}").status_code
    files["voice"] = client.get(f"/media/{work.voice_id}/video").status_code
    return html, files


def test_without_any_consent_the_work_shows_neither_photos_nor_voice(client, world, work):
    html, files = seen(client, world.parent, work)
    assert TITLE in html and "<picture" not in html and "<audio" not in html
    assert set(files.values()) == {404}


def test_with_photo_consent_the_photos_show_small_lazy_and_linked(client, world, work):
    say(world, PHOTOS)
    html, files = seen(client, world.parent, work)
    for photo in work.photos.select_related("media"):
        media = photo.media
        assert f'<source type="image/webp" srcset="/media/{media.pk}/thumb-webp' in html
        assert f'src="/media/{media.pk}/preview"' in html and 'loading="lazy"' in html
        assert f'width="{media.preview_size[0]}" height="{media.preview_size[1]}"' in html
        assert f'<a href="{media.photo_url}">' in html
    assert html.count("<picture") == 2 and "<audio" not in html
    assert {k: v for k, v in files.items() if k != "voice"} == dict.fromkeys(list(files)[:-1], 200)
    assert files["voice"] == 404


def test_with_voice_consent_the_voice_plays_and_without_photo_consent_no_photo(client, world, work):
    say(world, VOICE)
    html, files = seen(client, world.parent, work)
    assert f'<audio controls preload="none" src="/media/{work.voice_id}/video"' in html
    assert "<picture" not in html and files["voice"] == 200
    assert {v for k, v in files.items() if k != "voice"} == {404}


def test_a_withdrawal_later_hides_them_again(client, world, work):
    say(world, PHOTOS, at=datetime.datetime(2026, 9, 1, tzinfo=datetime.UTC))
    say(world, VOICE, at=datetime.datetime(2026, 9, 1, tzinfo=datetime.UTC))
    html, files = seen(client, world.parent, work)
    assert "<picture" in html and "<audio" in html and set(files.values()) == {200}
    say(world, PHOTOS, granted=False)
    say(world, VOICE, granted=False)
    html, files = seen(client, world.parent, work)
    assert "<picture" not in html and "<audio" not in html and set(files.values()) == {404}


def test_one_guardians_withdrawal_outweighs_the_others_consent_for_the_staff_too(client, world, work):
    other = f.UserFactory()
    f.GuardianshipFactory(child=world.child, guardian=other)
    say(world, PHOTOS)
    say(world, PHOTOS, granted=False, guardian=other)
    for persona in ("parent", "family_viewer", "teacher", "principal"):
        html, files = seen(client, world.persona(persona), work)
        assert TITLE in html and "<picture" not in html, persona
        if persona in ("parent", "family_viewer"):  # the school's staff keep their own uploads (mediafiles)
            assert {v for k, v in files.items() if k != "voice"} == {404}, persona


def test_earlier_works_show_thumbnails_only_with_consent(client, world, work):
    earlier = work_make(
        child=world.child, by=world.teacher, title="Bông hoa", photos=1, made_on=datetime.date(2026, 9, 1)
    )
    cover = earlier.photos.get().media
    client.force_login(world.parent)
    html = client.get(f"/w/{work.token}").content.decode()
    assert "Bông hoa" in html and f"/media/{cover.pk}/" not in html
    say(world, PHOTOS)
    html = client.get(f"/w/{work.token}").content.decode()
    assert f'src="/media/{cover.pk}/thumb"' in html


# The consent read with the work (SQL) is the rule of parents.selectors, whatever the history.
HISTORIES = {
    "nobody said anything": [],
    "one yes": [("parent", True)],
    "one no": [("parent", False)],
    "yes then no": [("parent", True), ("parent", False)],
    "no then yes": [("parent", False), ("parent", True)],
    "two yes": [("parent", True), ("second", True)],
    "one yes, the other no": [("parent", True), ("second", False)],
    "the other withdrew, then agreed again": [("parent", True), ("second", False), ("second", True)],
    "the same moment: the later row counts": [("parent", True), ("parent", False)],
}


@pytest.mark.parametrize("history", list(HISTORIES))
def test_the_consent_read_with_the_work_is_the_parents_rule(world, history):
    second = f.UserFactory()
    f.GuardianshipFactory(child=world.child, guardian=second)
    work = work_make(child=world.child, by=world.teacher)
    same_moment = history.startswith("the same moment")
    moment = datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC)
    for number, (who, granted) in enumerate(HISTORIES[history]):
        at = moment if same_moment else moment + datetime.timedelta(days=number)
        for purpose in (PHOTOS, VOICE):
            say(world, purpose, granted, guardian=world.parent if who == "parent" else second, at=at)
    found = work_for_token(token=work.token, user=world.parent)
    rule = consent_granted_child_ids(child_ids=[world.child.pk], purpose=PHOTOS)
    assert found.photos_allowed == (world.child.pk in rule)
    assert found.voice_allowed == (
        world.child.pk in consent_granted_child_ids(child_ids=[world.child.pk], purpose=VOICE)
    )
    expected = {"one yes", "no then yes", "two yes", "the other withdrew, then agreed again"}
    assert found.photos_allowed == (history in expected)


# --- Voice: recorded by the teacher, played to the family ----------------------------------------------


def test_the_teachers_recording_of_the_child_is_played_to_the_guardian_as_aac(client, world, tmp_path):
    ffprobe = requires_binary("ffprobe", "apt-get install ffmpeg")
    say(world, VOICE)
    work = work_make(child=world.child, by=world.teacher, title=TITLE)
    recording = voice_make(school=world.school, by=world.teacher, seconds=2)
    assert recording.state == "ready" and recording.rendition
    work_voice_set(work=work, by=world.teacher, voice=str(recording.pk))
    work_qr_build(work_id=work.pk)
    client.force_login(world.parent)
    html = client.get(f"/w/{work.token}").content.decode()
    assert (
        f'<audio controls preload="none" src="/media/{recording.pk}/video" aria-label="Khôi tells about the work">'
        in html
    )
    response = client.get(f"/media/{recording.pk}/video")
    assert response.status_code == 200
    path = tmp_path / "nghe.m4a"
    path.write_bytes(b"".join(response.streaming_content) if response.streaming else response.content)
    probe = subprocess.run(
        [
            ffprobe,
            "-v",
            "error",
            "-show_entries",
            "stream=codec_name:format=duration",
            "-of",
            "default=nw=1",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "codec_name=aac" in probe
    assert 1.5 < float(probe.split("duration=")[1].split()[0]) < 2.5


def test_a_voice_note_is_refused_without_the_voice_consent(world):
    work = work_make(child=world.child, by=world.teacher)
    recording = voice_make(school=world.school, by=world.teacher)
    with pytest.raises(ValidationError) as refused:
        work_voice_set(work=work, by=world.teacher, voice=str(recording.pk))
    assert "voice" in refused.value.message_dict
    assert Work.objects.get(pk=work.pk).voice is None
    assert MediaFile.objects.filter(pk=recording.pk).exists()
