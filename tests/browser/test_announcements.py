"""A teacher's announcement reaches a parent through the bell, and the teacher sees the acknowledgement.

The live server runs each request in its own committed transaction, so the
fan-out queued on commit really runs (Celery tasks run in-process in tests).
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from announcements.models import Announcement, AnnouncementReceipt
from notifications.models import Notice
from tests import factories as f
from tests.browser.steps import log_in, log_out, path_is, vi

TITLE = "Đón trẻ sớm hơn từ thứ Hai"
BODY = "Từ thứ Hai, lớp Lá 1 trả trẻ lúc 16 giờ 15 thay vì 16 giờ 30."


def test_teacher_posts_a_pickup_time_change_and_sees_the_parent_acknowledge(page: Page, live_server, world):
    classmate = f.ChildFactory(classroom=world.classroom, full_name="Lê Gia Huy")
    classmates_parent = f.GuardianshipFactory(child=classmate, guardian=f.UserFactory(full_name="Lê Thị Mận")).guardian

    # The teacher posts from the card of their class, which is already chosen.
    log_in(page, world.teacher.email)
    expect(page).to_have_url(path_is("/teacher/"))
    page.locator(f'main a[href$="/announcements/new/?classroom={world.classroom.pk}"]').click()
    expect(page.locator("main h1")).to_contain_text(vi("Post an announcement"))
    expect(page.locator(f'main input[name="classrooms"][value="{world.classroom.pk}"]')).to_be_checked()
    expect(page.locator(f'main input[name="classrooms"][value="{world.other_classroom.pk}"]')).to_have_count(0)
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_kind").select_option("pickup_time")
    page.locator("#id_body").fill(BODY)
    page.locator("#id_requires_acknowledgement").check()
    page.locator('main button[name="publish"]').click()

    announcement = Announcement.objects.get()
    detail = f"/announcements/{announcement.pk}/"
    expect(page).to_have_url(path_is(detail))
    expect(page.locator("main .messages")).to_contain_text(
        vi("The announcement is published: the families are being told.")
    )
    assert announcement.is_published and announcement.requires_acknowledgement
    assert sorted(Notice.objects.filter(category="announcement").values_list("recipient_id", flat=True)) == sorted(
        [world.parent.pk, classmates_parent.pk]
    )
    log_out(page)

    # The parent sees the bell with one unread notice and opens it.
    log_in(page, world.parent.email)
    bell = page.locator('header a[href="/notifications/"]')
    expect(bell.locator(".badge")).to_contain_text("1")
    bell.click()
    expect(page).to_have_url(path_is("/notifications/"))
    notice = page.locator("main article.card", has_text=TITLE)
    expect(notice).to_have_count(1)
    notice.locator('button[name="open"]').click()

    # The announcement itself: reading it is recorded, then the parent acknowledges it.
    expect(page).to_have_url(path_is(detail))
    expect(page.locator("main h1")).to_have_text(TITLE)
    expect(page.locator("main .announcement-body")).to_contain_text(BODY)
    expect(page.locator("main")).to_contain_text(world.child.full_name)
    receipt = AnnouncementReceipt.objects.get(guardian=world.parent)
    assert receipt.read_at is not None and receipt.acknowledged_at is None
    expect(bell.locator(".badge")).to_have_count(0)
    page.get_by_role("button", name=vi("I have read and understood")).click()
    expect(page).to_have_url(path_is(detail))
    expect(page.locator("main .messages")).to_contain_text(
        vi("Thank you: the school knows you have read and understood it.")
    )
    expect(page.locator("main .acknowledgement .badge")).to_have_text(vi("Confirmed"))
    expect(page.get_by_role("button", name=vi("I have read and understood"))).to_have_count(0)
    receipt.refresh_from_db()
    assert receipt.acknowledged_at is not None
    log_out(page)

    # The teacher opens the receipts from the school's announcements and sees who confirmed.
    log_in(page, world.teacher.email)
    page.locator(f'main a[href="/schools/{world.school.slug}/announcements/"]').first.click()
    page.locator(f'main a[href="/announcements/{announcement.pk}/receipts/"]').click()
    expect(page).to_have_url(path_is(f"/announcements/{announcement.pk}/receipts/"))
    summary = vi("Read %(read)s of %(total)s, acknowledged %(acknowledged)s of %(total)s.")
    expect(page.locator("main .receipt-summary")).to_have_text(summary % {"read": 1, "total": 2, "acknowledged": 1})
    row = page.locator("main table.receipts tbody tr", has_text=world.parent.full_name)
    expect(row).to_contain_text(world.child.full_name)
    expect(row.locator(".badge.ok")).to_have_text(vi("Acknowledged"))
    # Who still has to confirm: the classmate's family, who has not opened it.
    waiting = page.locator("main #not-acknowledged")
    expect(waiting).to_contain_text("Lê Thị Mận")
    expect(waiting).not_to_contain_text(world.parent.full_name)
