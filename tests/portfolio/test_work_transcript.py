"""The teacher writes down what the child says in a work's voice note; the work's page shows it under the
player to the family, and a transcript too long is refused with a reason in Vietnamese, changing nothing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from mediafiles.captions import TRANSCRIPT_MAX_CHARS
from mediafiles.models import MediaFile
from parents.models import ConsentPurpose
from portfolio.models import Work
from tests import factories as f

pytestmark = pytest.mark.django_db

SAID = "Con vẽ con mèo nhà bà,\nnó tên là Mướp."


def vi(text: str) -> str:
    with translation.override("vi"):
        return translation.gettext(text)


def ready_voice(world) -> MediaFile:
    """A processed recording as the worker leaves it (the player needs only its row)."""
    return MediaFile.objects.create(
        school=world.school,
        uploaded_by=world.teacher,
        audience="staff",
        kind="audio",
        state="ready",
        original_name="giong-be.webm",
        size=10,
        received=10,
        rendition="derived/giong-be.m4a",
    )


@pytest.fixture
def work(world) -> Work:
    return Work.objects.create(
        school=world.school,
        child=world.child,
        classroom=world.classroom,
        title="Con mèo nhà bà",
        domain="aesthetic",
        made_on=datetime.date(2026, 11, 20),
        created_by=world.teacher,
        voice=ready_voice(world),
    )


def transcript(work: Work) -> str:
    work.voice.refresh_from_db()
    return work.voice.transcript


def test_the_teacher_writes_what_the_child_says_and_the_family_reads_it_on_the_works_page(client, world, work):
    f.ConsentFactory(child=world.child, guardian=world.parent, purpose=ConsentPurpose.VOICE_RECORDINGS, granted=True)
    client.force_login(world.teacher)
    edit = client.get(f"/works/{work.pk}/edit/").content.decode()
    assert f'href="/works/{work.pk}/transcript/"' in edit
    form = client.get(f"/works/{work.pk}/transcript/")
    assert form.status_code == 200
    assert vi("What the child says in the recording") in form.content.decode()
    client.get(f"/w/{work.token}")  # the page is drawn and kept once before the transcript

    answer = client.post(f"/works/{work.pk}/transcript/", {"transcript": f"  {SAID}  "})

    assert answer.status_code == 302 and answer["Location"] == f"/works/{work.pk}/edit/"
    assert transcript(work) == SAID
    client.force_login(world.parent)
    page = client.get(f"/w/{work.token}").content.decode()
    assert "<summary>" + vi("Transcript") + "</summary><p>Con vẽ con mèo nhà bà,<br>nó tên là Mướp.</p>" in page


def test_a_transcript_too_long_is_refused_in_vietnamese_and_changes_nothing(client, world, work):
    work.voice.transcript = "Lời cũ."
    work.voice.save(update_fields=["transcript"])
    client.force_login(world.teacher)

    answer = client.post(f"/works/{work.pk}/transcript/", {"transcript": "a" * (TRANSCRIPT_MAX_CHARS + 1)})

    assert answer.status_code == 400
    shown = vi("The transcript is too long: at most %(count)s characters.") % {"count": TRANSCRIPT_MAX_CHARS}
    assert answer.context["form"].errors["transcript"] == [shown]
    assert shown in answer.content.decode()
    assert transcript(work) == "Lời cũ."


def test_nobody_else_writes_the_transcript_and_a_work_without_voice_has_none(client, world, work):
    for person in (world.other_teacher, world.parent, world.nurse, world.foreign_teacher):
        client.force_login(person)
        assert client.post(f"/works/{work.pk}/transcript/", {"transcript": "Không phải lời bé."}).status_code == 404
    assert transcript(work) == ""
    work.voice = None
    work.save(update_fields=["voice"])
    client.force_login(world.teacher)
    assert client.get(f"/works/{work.pk}/transcript/").status_code == 404
