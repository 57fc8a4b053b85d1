"""A parent answers a home activity with the keyboard alone, on a phone: from the family home to the
activity, a photo chosen and a note typed, sent with Enter. Every stop shows where the focus is; the
database holds the answer."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from activities.models import Answer
from tests.activities.makers import activity_make
from tests.browser.steps import focus_is_visible, log_in, path_is, tab_to, vi
from tests.mediafiles.conftest import make_photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "Khôi gấp được chiếc thuyền thứ hai."


def test_a_parent_answers_an_activity_with_the_keyboard_alone(page: Page, live_server, world, tmp_path):
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    photo = make_photo(tmp_path / "thuyen.jpg", size=(320, 240))
    # Playwright turns on its interception of file choosers when something listens for them, and
    # does not wait for the browser to confirm it: a chooser opened just after `expect_file_chooser`
    # starts can slip past it. A listener from the start keeps the interception on before any key.
    page.on("filechooser", lambda chooser: None)
    log_in(page, world.parent.email)
    page.goto("/family/")
    keys = page.keyboard

    # The first Tab reaches the skip link, which shows itself and jumps past the header.
    keys.press("Tab")
    skip = page.locator("a.skip")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    focus_is_visible(page)

    # On to the child's activities, from the card of the child in Lá 1.
    card = page.locator("main article.child", has_text=world.child.full_name)
    tab_to(page, card.locator(f'a[href="/children/{world.child.pk}/activities/"]'))
    keys.press("Enter")
    expect(page).to_have_url(path_is(f"/children/{world.child.pk}/activities/"))

    answer_link = page.locator("main article.activity").get_by_role(
        "link", name=re.compile(vi("Answer with a photo or clip"))
    )
    tab_to(page, answer_link)
    keys.press("Enter")
    expect(page).to_have_url(path_is(f"/activities/{activity.pk}/children/{world.child.pk}/answer/"))

    # The photo field opens the file chooser with Space, as a keyboard user opens it.
    photo_box = page.locator('[data-media-upload][data-kind="image"]')
    tab_to(page, photo_box.get_by_label(vi("A photo")))
    with page.expect_file_chooser() as chooser:
        keys.press("Space")
    chooser.value.set_files(str(photo))
    expect(photo_box.locator("input[name=photo]")).to_have_value(re.compile(r"^[0-9a-f-]{36}$"))

    tab_to(page, page.locator("#id_note"))
    keys.type(NOTE)
    tab_to(page, page.locator("main form.answer-form button[type=submit]"))
    keys.press("Enter")

    expect(page).to_have_url(path_is(f"/activities/{activity.pk}/"))
    expect(page.locator("main .messages")).to_contain_text(
        vi("Thank you! Your answer is sent. Only your family and the teachers can see it.")
    )
    answer = Answer.objects.get()
    assert (answer.child, answer.guardian, answer.note, answer.media.kind) == (
        world.child,
        world.parent,
        NOTE,
        "image",
    )
