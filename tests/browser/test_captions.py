"""Captions and a transcript in a real browser: the teacher pastes WebVTT captions for the activity's video
(a wrong file first, refused with a reason) and types what the voice instructions say; the family's video
player loads the captions as a showing text track, and the transcript opens under the recording."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.activities.makers import activity_make, clip_make, voice_make
from tests.browser.axe import expect_no_serious_violations
from tests.browser.steps import log_in, log_out, path_is, vi
from tests.conftest import requires_binary

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VTT = "WEBVTT\n\n00:00.000 --> 00:01.000\nBố mẹ gấp đôi tờ giấy.\n"
SAID = "Bố mẹ gấp mẫu một chiếc thuyền trước, rồi bé gấp theo."


def test_a_teacher_adds_captions_and_a_transcript_and_the_family_player_shows_them(page: Page, live_server, world):
    requires_binary("ffmpeg", "apt-get install ffmpeg")
    activity = activity_make(
        school=world.school,
        by=world.teacher,
        classrooms=[world.classroom],
        video=clip_make(school=world.school, by=world.teacher),
        voice=voice_make(school=world.school, by=world.teacher),
    )

    log_in(page, world.teacher.email)
    page.goto(f"/activities/{activity.pk}/")
    page.get_by_role("link", name=vi("Captions and transcript")).click()
    expect(page).to_have_url(path_is(f"/activities/{activity.pk}/captions/"))
    expect_no_serious_violations(page)

    # An .srt file pasted by mistake: the reason, in the teacher's language, and nothing kept.
    page.get_by_label(vi("Or paste the captions")).fill("1\n00:00:00,000 --> 00:00:01,000\nSai định dạng\n")
    page.get_by_label(vi("What you say in the recording")).fill(SAID)
    page.locator("main form.captions-form button[type=submit]").click()
    expect(page.locator("main .errorlist")).to_contain_text(
        vi("This is not a WebVTT captions file: its first line must be “WEBVTT”.")
    )
    activity.video.refresh_from_db()
    activity.voice.refresh_from_db()
    assert (activity.video.captions, activity.voice.transcript) == ("", "")

    # Written in Vietnamese, the site's language, which the form offers first.
    expect(page.get_by_label(vi("Language of the captions"))).to_have_value("vi")
    page.get_by_label(vi("Or paste the captions")).fill(VTT)
    page.locator("main form.captions-form button[type=submit]").click()
    expect(page).to_have_url(path_is(f"/activities/{activity.pk}/"))
    expect(page.locator("main .messages")).to_contain_text(vi("The captions and the transcript are saved."))
    log_out(page)

    # The family's player shows the captions track, loaded by the browser, and the transcript on demand.
    log_in(page, world.parent.email)
    page.goto(f"/activities/{activity.pk}/")
    video = page.locator("main video")
    track = video.locator("track[kind=captions]")
    expect(track).to_have_attribute("src", f"/media/{activity.video_id}/captions.vtt")
    expect(track).to_have_attribute("srclang", "vi")
    expect(track).to_have_attribute("label", vi("Vietnamese"))
    page.wait_for_function(
        "v => v.textTracks.length === 1 && v.textTracks[0].mode === 'showing' && v.textTracks[0].cues"
        " && v.textTracks[0].cues.length === 1",
        arg=video.element_handle(),
    )
    assert video.evaluate("v => v.textTracks[0].cues[0].text") == "Bố mẹ gấp đôi tờ giấy."

    transcript = page.locator("main .media-audio details.media-transcript")
    expect(transcript.locator("p")).not_to_be_visible()
    transcript.locator("summary").click()
    expect(transcript.locator("p")).to_have_text(SAID)
