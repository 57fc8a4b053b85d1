"""A home activity from the teacher's upload to the family's answer and the teacher's sticker, in Chromium.

The teacher uploads a real video through the resumable upload widget (with its
progress bar) and publishes; the parent plays it on a phone-sized screen and
answers with a photo; the teacher replies with a sticker and a comment, and the
family is told. Celery tasks run in-process, so the video is processed by the
real ffmpeg while it is uploaded.
"""

from __future__ import annotations

import re

from django.utils import translation
from playwright.sync_api import Page, expect

from activities.models import Activity, Answer
from notifications.models import Notice
from tests import factories as f
from tests.conftest import requires_binary
from tests.mediafiles.conftest import make_clip, make_photo

TITLE = "Gấp thuyền giấy và thả thuyền"
INSTRUCTIONS = "Bố mẹ gấp mẫu một chiếc thuyền, bé gấp theo từng bước rồi thả thuyền vào chậu nước."
UUID = re.compile(r"^[0-9a-f-]{36}$")


def vi(text: str) -> str:
    with translation.override("vi"):
        return translation.gettext(text)


def path_is(path: str) -> re.Pattern:
    return re.compile(r"^https?://[^/]+" + re.escape(path) + r"$")


def log_in(page: Page, login: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(login)
    page.locator("#id_password").fill(f.PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("header form[action*='logout']")).to_be_visible()


def log_out(page: Page) -> None:
    page.locator("header form[action*='logout'] button[type=submit]").click()
    expect(page.locator("header a[href^='/accounts/login/']")).to_be_visible()


def test_a_teacher_posts_a_video_a_parent_plays_it_and_answers_and_the_teacher_replies(
    page: Page, live_server, world, tmp_path
):
    requires_binary("ffmpeg", "apt-get install ffmpeg")
    clip = make_clip(tmp_path / "gap-thuyen.mp4", seconds=3, size="320x240", faststart=True)
    drawing = make_photo(tmp_path / "thuyen-cua-khoi.jpg", size=(640, 480))

    # --- The teacher writes the activity from the card of their class and uploads the video.
    log_in(page, world.teacher.email)
    expect(page).to_have_url(path_is("/teacher/"))
    page.locator(f'main a[href$="/activities/new/?classroom={world.classroom.pk}"]').click()
    expect(page.locator("main h1")).to_contain_text(vi("Post a home activity"))
    expect(page.locator(f'main input[name="classrooms"][value="{world.classroom.pk}"]')).to_be_checked()
    expect(page.locator(f'main input[name="classrooms"][value="{world.other_classroom.pk}"]')).to_have_count(0)
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_domain").select_option("aesthetic")
    expect(page.locator("#id_age_group")).to_have_value("la")
    page.locator("#id_materials").fill("Giấy báo cũ, một chậu nước")
    page.locator("#id_instructions").fill(INSTRUCTIONS)

    video_box = page.locator('[data-media-upload][data-kind="video"]')
    video_box.get_by_label(vi("A short video showing how (a few minutes at most)")).set_input_files(str(clip))
    progress = video_box.locator("progress")
    expect(progress).to_be_visible()
    expect(progress).to_have_attribute("value", "100")
    expect(video_box.locator("input[name=video]")).to_have_value(UUID)
    expect(video_box.locator("[data-media-status]")).to_contain_text(vi("Uploaded and ready."), timeout=30_000)
    page.locator('main button[name="publish"]').click()

    activity = Activity.objects.get()
    expect(page).to_have_url(path_is(f"/activities/{activity.pk}/"))
    expect(page.locator("main .messages")).to_contain_text(
        vi("The activity is published: the families of its classes are being told.")
    )
    activity.refresh_from_db()
    assert activity.is_published and activity.video.is_ready and activity.video.rendition
    assert Notice.objects.filter(recipient=world.parent, category="activity").exists()
    log_out(page)

    # --- The parent opens the child's feed on a phone and plays the video.
    log_in(page, world.parent.email)
    page.goto("/family/")
    page.locator(f'main a[href="/children/{world.child.pk}/activities/"]').click()
    card = page.locator("main article.activity", has_text=TITLE)
    expect(card).to_have_count(1)
    video = card.locator("video")
    expect(video).to_have_attribute("preload", "none")
    expect(video).to_have_attribute("src", f"/media/{activity.video_id}/video")
    video.evaluate("v => { v.muted = true; return v.play(); }")
    page.wait_for_function("v => v.currentTime > 0.5", arg=video.element_handle(), timeout=15_000)

    # …and answers with a photo of Khôi's boat.
    card.get_by_role("link", name=re.compile(vi("Answer with a photo or clip"))).click()
    expect(page).to_have_url(path_is(f"/activities/{activity.pk}/children/{world.child.pk}/answer/"))
    photo_box = page.locator('[data-media-upload][data-kind="image"]')
    photo_box.get_by_label(vi("A photo")).set_input_files(str(drawing))
    expect(photo_box.locator("input[name=photo]")).to_have_value(UUID)
    page.locator("#id_note").fill("Khôi tự gấp được hai chiếc thuyền!")
    page.locator("main form.answer-form button[type=submit]").click()
    expect(page).to_have_url(path_is(f"/activities/{activity.pk}/"))
    expect(page.locator("main .messages")).to_contain_text(
        vi("Thank you! Your answer is sent. Only your family and the teachers can see it.")
    )
    answer = Answer.objects.get()
    assert answer.child == world.child and answer.guardian == world.parent and answer.media.kind == "image"
    mine = page.locator(f"main #child-{world.child.pk}")
    expect(mine.locator("img")).to_have_attribute("src", f"/media/{answer.media_id}/thumb")
    expect(mine).to_contain_text("Khôi tự gấp được hai chiếc thuyền!")
    log_out(page)

    # --- The teacher sees who answered and replies with a sticker and a comment.
    log_in(page, world.teacher.email)
    page.goto(f"/activities/{activity.pk}/participation/")
    reply = page.locator(f"main #answer-{answer.pk}")
    expect(reply).to_contain_text(world.child.full_name)
    expect(reply.locator("img")).to_be_visible()
    reply.locator('input[name="sticker"][value="star"]').check()
    reply.locator(f"#comment-{answer.pk}").fill("Thuyền đẹp quá, cô khen Khôi!")
    reply.locator("form.feedback-form button[type=submit]").click()
    expect(page.locator("main .messages")).to_contain_text(vi("Your feedback is saved and the family has been told."))
    told = Notice.objects.get(recipient=world.parent, category="feedback")
    assert told.url == f"/activities/{activity.pk}/"
    log_out(page)

    # --- The family sees the star on the activity.
    log_in(page, world.parent.email)
    page.goto(f"/activities/{activity.pk}/")
    feedback = page.locator(f"main #child-{world.child.pk} .feedback")
    expect(feedback).to_contain_text("Thuyền đẹp quá, cô khen Khôi!")
    expect(feedback.locator("svg.sticker-star")).to_have_attribute("aria-label", vi("Star"))
