"""The main journeys of a parent and a principal, in a real browser.

Each test asserts what the person sees. Texts are compared with the portal's own
translation of them, so the tests hold whatever state the Vietnamese catalogue
is in.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.utils import translation
from playwright.sync_api import Page, expect

from accounts.models import User
from parents.models import Guardianship
from tests import factories as f

NEW_PARENT_EMAIL = "bo.moi@example.test"
NEW_PARENT_NAME = "Phạm Văn Bình"
NEW_PARENT_PASSWORD = "m0t-m4t-khau-dai"

CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+")


def vi(text: str) -> str:
    """The text as a Vietnamese reader sees it (English until translated)."""
    with translation.override("vi"):
        return translation.gettext(text)


def en(text: str) -> str:
    with translation.override("en"):
        return translation.gettext(text)


def path_is(path: str) -> re.Pattern:
    """Matches a full URL whose path (and query, if given) is exactly this."""
    return re.compile(r"^https?://[^/]+" + re.escape(path) + r"$")


def next_of(page: Page) -> str | None:
    values = parse_qs(urlsplit(page.url).query).get("next")
    return values[0] if values else None


def expect_login_page(page: Page, *, next_url: str) -> None:
    """allauth's login page, set to go on to next_url afterwards."""
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    assert next_of(page) == next_url
    expect(page.locator("#id_login")).to_be_visible()


def submit(page: Page, form: str = "main form") -> None:
    page.locator(form).locator("button[type=submit]").first.click()


def log_in(page: Page, login: str, password: str = f.PASSWORD) -> None:
    """Fill allauth's login form, which the page must already show."""
    page.locator("#id_login").fill(login)
    page.locator("#id_password").fill(password)
    submit(page)


def screenshot_dir(tmp_path: Path) -> Path:
    """Screenshots for a person to look at: BROWSER_SCREENSHOT_DIR, or the test's temp dir."""
    configured = os.environ.get("BROWSER_SCREENSHOT_DIR")
    directory = Path(configured) if configured else tmp_path
    directory.mkdir(parents=True, exist_ok=True)
    return directory


# --- 1. A parent signs up with the code from the school's letter and sees the child.


def test_parent_signs_up_with_a_code_and_sees_the_child(page: Page, live_server, world, mailoutbox, tmp_path):
    invitation = world.invitation
    child = invitation.child
    join_path = f"/join/?code={invitation.code}"

    # The letter's link needs an account: the person is sent to sign in, and on to sign up.
    page.goto(join_path)
    expect_login_page(page, next_url=join_path)
    page.locator(f'main a[href^="/accounts/signup/"][href*="{invitation.code}"]').click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/\?next="))
    assert next_of(page) == join_path
    expect(page.locator('main input[name="next"]')).to_have_value(join_path)

    page.locator("#id_full_name").fill(NEW_PARENT_NAME)
    page.locator("#id_email").fill(NEW_PARENT_EMAIL)
    page.locator("#id_password1").fill(NEW_PARENT_PASSWORD)
    page.locator("#id_password2").fill(NEW_PARENT_PASSWORD)
    submit(page)

    # Nobody is signed in before the address is verified: the page says a link was sent.
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    expect(page.locator("header form[action*='logout']")).to_have_count(0)
    expect(page.locator("main .messages")).to_contain_text(NEW_PARENT_EMAIL)
    user = User.objects.get(email=NEW_PARENT_EMAIL)
    assert user.full_name == NEW_PARENT_NAME
    assert not Guardianship.objects.filter(guardian=user).exists()

    # The verification e-mail's link confirms the address and signs the person in,
    # back on the letter's link with the code filled in.
    assert mailoutbox, "no verification e-mail was sent"
    assert NEW_PARENT_EMAIL in mailoutbox[-1].to
    match = CONFIRM_LINK.search(mailoutbox[-1].body)
    assert match, mailoutbox[-1].body
    page.goto(urlsplit(match.group(0)).path)
    expect(page.locator("main")).to_contain_text(NEW_PARENT_EMAIL)
    submit(page)
    expect(page).to_have_url(path_is(join_path))
    expect(page.locator("header form[action*='logout']")).to_be_visible()
    assert user.emailaddress_set.get(email=NEW_PARENT_EMAIL).verified
    expect(page.locator("#id_code")).to_have_value(invitation.code)
    expect(page.locator("main [role=alert]")).to_have_count(0)

    # A mistyped code gets a clear message and links nothing.
    page.locator("#id_code").fill("ZZZZ-9999")
    page.locator("#id_relationship").select_option("father")
    submit(page, "main form.card")
    expect(page).to_have_url(path_is(join_path))
    expect(page.locator("main .errorlist")).to_contain_text(
        vi("This code is not valid. Check the letter from the school and try again.")
    )
    assert not Guardianship.objects.filter(guardian=user).exists()

    # The right code links the child and leads to the consent page.
    page.locator("#id_code").fill(invitation.code)
    page.locator("#id_relationship").select_option("father")
    submit(page, "main form.card")
    expect(page).to_have_url(path_is(f"/children/{child.pk}/consents/"))
    expect(page.locator("main h1")).to_contain_text(child.full_name)
    expect(page.locator("main .messages")).to_contain_text(child.full_name)
    guardianship = Guardianship.objects.get(guardian=user)
    assert guardianship.child_id == child.pk
    assert guardianship.relationship == "father"

    # The family home shows the child with the class.
    page.locator('header a[href="/family/"]').click()
    expect(page).to_have_url(path_is("/family/"))
    card = page.locator("main article.child")
    expect(card).to_have_count(1)
    expect(card.locator("h2")).to_have_text(child.full_name)
    expect(card).to_contain_text(child.classroom.name)
    expect(card).to_contain_text(child.school.name)
    expect(card).to_contain_text(NEW_PARENT_NAME)

    shot = screenshot_dir(tmp_path) / "family-home-phone.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0


# --- 2. A principal signs in to the admin and sees only their own school.


def test_principal_sees_only_their_school_in_the_admin(page: Page, live_server, world):
    page.goto("/admin/")
    # The admin has no login form of its own: allauth's is used, then back to the admin.
    expect_login_page(page, next_url="/admin/")
    log_in(page, world.principal.email)
    expect(page).to_have_url(path_is("/admin/"))
    expect(page.locator('#content a[href="/admin/schools/child/"]').first).to_be_visible()

    page.goto("/admin/schools/child/")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(4)  # with the child who has left: the school keeps their record
    for child in (world.child, world.sibling, world.other_class_child, world.left_child):
        expect(page.locator("#result_list")).to_contain_text(child.full_name)
    expect(page.locator("body")).not_to_contain_text(world.other_school_child.full_name)

    # Guessing the other school's child's address shows nothing of the child.
    page.goto(f"/admin/schools/child/{world.other_school_child.pk}/change/")
    expect(page.locator("body")).not_to_contain_text(world.other_school_child.full_name)
    expect(page.locator("input[name=full_name]")).to_have_count(0)

    page.goto("/admin/schools/school/")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text(world.school.name)
    expect(page.locator("body")).not_to_contain_text(world.other_school.name)


# --- 3. Vietnamese by default; the language switch keeps the page.


def switch_language(page: Page, code: str) -> None:
    page.locator("#language-select").select_option(code)
    submit(page, "header form.lang")
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_language_switch_on_the_welcome_page(page: Page, live_server):
    page.goto("/")
    html = page.locator("html")
    # The browser prefers English, but the portal speaks Vietnamese until asked.
    expect(html).to_have_attribute("lang", "vi")
    expect(page.locator("main h1")).to_have_text(vi("School and family, together"))
    expect(page.locator("#language-select")).to_have_value("vi")

    switch_language(page, "en")
    expect(page).to_have_url(path_is("/"))
    expect(page.locator("main h1")).to_have_text(en("School and family, together"))
    expect(page.locator("#language-select")).to_have_value("en")

    # The choice sticks on the next page.
    page.goto("/accounts/login/")
    expect(html).to_have_attribute("lang", "en")

    page.goto("/")
    switch_language(page, "vi")
    expect(page).to_have_url(path_is("/"))
    expect(page.locator("main h1")).to_have_text(vi("School and family, together"))
    expect(page.locator("#language-select")).to_have_value("vi")


def test_parent_switches_language_on_the_family_home(page: Page, live_server, world):
    page.goto("/accounts/login/")
    log_in(page, world.parent.email)
    expect(page).to_have_url(path_is("/family/"))
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "vi")
    expect(page.locator("main h1")).to_have_text(vi("My children"))

    switch_language(page, "en")
    expect(page).to_have_url(path_is("/family/"))
    expect(page.locator("main h1")).to_have_text(en("My children"))
    expect(page.locator("main article.child")).to_have_count(2)
    world.parent.refresh_from_db()
    assert world.parent.language == "en"

    switch_language(page, "vi")
    expect(page).to_have_url(path_is("/family/"))
    expect(page.locator("main h1")).to_have_text(vi("My children"))
    world.parent.refresh_from_db()
    assert world.parent.language == "vi"
