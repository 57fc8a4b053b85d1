"""Voice in a real browser: a parent records an answer with MediaRecorder (Chromium's fake microphone),
listens to it, sends it through the resumable upload, and the teacher plays it; where the browser
cannot record, the file to pick does the same."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from activities.models import Answer
from mediafiles.models import State
from tests import factories as f
from tests.activities.makers import activity_make
from tests.browser.conftest import CHROMIUM_ARGS, PHONE_VIEWPORT, TIMEOUT_MS, CspViolations, functions_only
from tests.conftest import requires_binary, requires_chromium
from tests.mediafiles.conftest import make_sound

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UUID = re.compile(r"^[0-9a-f-]{36}$")
# A microphone that plays a beep, granted without asking; sound plays without a gesture first.
MICROPHONE_ARGS = [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
]


def vi(text: str) -> str:
    with translation.override("vi"):
        return translation.gettext(text)


def path_is(path: str) -> re.Pattern:
    return re.compile(r"^https?://[^/]+" + re.escape(path) + r"$")


@pytest.fixture(scope="module")
def browser_with_microphone(browser):
    """A second chromium, started by the suite's Playwright (one Playwright per process)."""
    executable = requires_chromium()
    with_microphone = browser.browser_type.launch(
        executable_path=executable, args=[*CHROMIUM_ARGS, *MICROPHONE_ARGS], headless=True
    )
    yield with_microphone
    with_microphone.close()


@pytest.fixture
def phone(browser_with_microphone, live_server, request, tmp_path):
    """Like the suite's `page`, on a browser with a (fake) microphone; a CSP violation fails the test."""
    violations = CspViolations()
    context = browser_with_microphone.new_context(
        viewport=PHONE_VIEWPORT, locale="en-US", base_url=live_server.url, permissions=["microphone"]
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.on("console", violations.listen)
    page = context.new_page()
    page.wait_for_function = functions_only(page.wait_for_function)
    yield page
    if getattr(request.node, "browser_call_failed", False):
        shot = tmp_path / "failure.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot of the page at failure ({page.url}): {shot}")
    context.close()
    violations.check()


def log_in(page: Page, login: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(login)
    page.locator("#id_password").fill(f.PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("header form[action*='logout']")).to_be_visible()


def log_out(page: Page) -> None:
    page.locator("header form[action*='logout'] button[type=submit]").click()
    expect(page.locator("header a[href^='/accounts/login/']")).to_be_visible()


def teacher_plays_the_answer(page: Page, world, activity, answer) -> None:
    log_in(page, world.teacher.email)
    page.goto(f"/activities/{activity.pk}/participation/")
    audio = page.locator(f"main #answer-{answer.pk} audio")
    expect(audio).to_have_attribute("src", f"/media/{answer.media_id}/video")
    audio.evaluate("a => a.play()")
    page.wait_for_function("a => a.currentTime > 0.3 && !a.error", arg=audio.element_handle(), timeout=15_000)
    assert audio.evaluate("a => a.duration") == pytest.approx(answer.media.duration, abs=0.3)


def test_a_parent_records_a_voice_answer_in_the_browser_and_the_teacher_plays_it(phone: Page, world):
    requires_binary("ffmpeg", "apt-get install ffmpeg")
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    page = phone
    log_in(page, world.parent.email)
    page.goto(f"/activities/{activity.pk}/children/{world.child.pk}/answer/")

    recorder = page.locator("[data-media-recorder]")
    status = recorder.locator("[data-recorder-status]")
    expect(status).to_have_attribute("aria-live", "polite")
    record = recorder.get_by_role("button", name=vi("Record"), exact=True)
    expect(record).to_be_visible()
    record.focus()
    page.keyboard.press("Enter")  # by keyboard
    stop = recorder.get_by_role("button", name=vi("Stop"), exact=True)
    expect(stop).to_be_focused()
    expect(status).to_have_text(vi("Recording… Press “Stop” when you are done."))
    expect(recorder.locator("[data-recorder-time]")).to_contain_text("0:02", timeout=5_000)
    stop.click()

    expect(status).to_have_text(vi("Recorded. Listen to it, record it again, or send it."))
    listen = recorder.get_by_role("button", name=vi("Listen again"))
    expect(recorder.get_by_role("button", name=vi("Record again"))).to_be_visible()
    listen.click()
    preview = recorder.locator("[data-recorder-preview]")
    page.wait_for_function("a => a.currentTime > 0.2", arg=preview.element_handle(), timeout=10_000)

    recorder.get_by_role("button", name=vi("Send the recording")).click()
    widget = recorder.locator("[data-media-upload]")
    expect(widget.locator("progress")).to_have_attribute("value", "100")
    expect(widget.locator("input[name=voice]")).to_have_value(UUID)
    expect(widget.locator("[data-media-status]")).to_contain_text(vi("Uploaded and ready."), timeout=30_000)
    page.locator("#id_note").fill("Khôi kể về chiếc thuyền")
    page.locator("main form.answer-form button[type=submit]").click()
    expect(page).to_have_url(path_is(f"/activities/{activity.pk}/"))

    answer = Answer.objects.select_related("media").get()
    media = answer.media
    assert media.kind == "audio" and media.state == State.READY, media.failure_reason
    assert media.content_type == "audio/webm" and media.uploaded_by == world.parent
    assert media.rendition.name.endswith(".m4a")
    assert 1.5 < media.duration < 10
    mine = page.locator(f"main #child-{world.child.pk} audio")
    expect(mine).to_have_attribute("src", f"/media/{media.pk}/video")
    log_out(page)

    teacher_plays_the_answer(page, world, activity, answer)


def test_where_the_browser_cannot_record_the_parent_picks_a_recording_instead(phone: Page, world, tmp_path):
    requires_binary("ffmpeg", "apt-get install ffmpeg")
    recording = make_sound(tmp_path / "ghi-am.m4a", seconds=2, codec="aac", fmt="ipod")
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    page = phone
    page.add_init_script("delete window.MediaRecorder;")  # an older phone's browser
    log_in(page, world.parent.email)
    page.goto(f"/activities/{activity.pk}/children/{world.child.pk}/answer/")

    recorder = page.locator("[data-media-recorder]")
    expect(recorder.get_by_role("button", name=vi("Record"), exact=True)).to_be_hidden()
    picker = recorder.get_by_label(vi("Or choose a recording from your phone"))
    expect(picker).to_have_attribute("accept", "audio/*")
    expect(picker).to_have_attribute("capture", "")
    picker.set_input_files(str(recording))
    expect(recorder.locator("input[name=voice]")).to_have_value(UUID)
    page.locator("main form.answer-form button[type=submit]").click()  # waits for the checks if need be
    expect(page).to_have_url(path_is(f"/activities/{activity.pk}/"))

    answer = Answer.objects.select_related("media").get()
    assert answer.media.kind == "audio" and answer.media.content_type == "audio/mp4"
    log_out(page)
    teacher_plays_the_answer(page, world, activity, answer)


def test_a_refused_microphone_leaves_the_file_to_pick(phone: Page, world):
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    page = phone
    page.add_init_script(
        "navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));"
    )
    log_in(page, world.parent.email)
    page.goto(f"/activities/{activity.pk}/children/{world.child.pk}/answer/")
    recorder = page.locator("[data-media-recorder]")
    recorder.get_by_role("button", name=vi("Record"), exact=True).click()
    expect(recorder.locator("[data-recorder-status]")).to_have_text(
        vi("The microphone could not be used. You can choose a recording from your phone instead.")
    )
    expect(recorder.get_by_label(vi("Or choose a recording from your phone"))).to_be_focused()
    expect(recorder.locator("[data-recorder-controls]")).to_be_hidden()
