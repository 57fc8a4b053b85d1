"""A teacher records the day's works on a phone: three photos at once, one tap each to give it to a
child, one save; then the class's works, and a label sheet for today downloaded as a PDF."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portfolio.models import LabelSheet, PrintoutState, Work
from tests import factories as f
from tests.browser.test_media_many import noisy_png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def a_class_with_children():
    school = f.SchoolFactory(name="Trường Mầm non Sao Mai")
    classroom = f.ClassroomFactory(school=school, name="Lá 1")
    teacher = f.StaffFactory(
        school=school, role="teacher", classrooms=[classroom], user=f.UserFactory(email="co@example.test")
    ).user
    children = {}
    for name, agreed in (
        ("Nguyễn Minh Khôi", True),
        ("Trần Ngọc Lan", True),
        ("Lê Hoài An", True),
        ("Đỗ Bảo Minh", False),
    ):
        child = f.ChildFactory(classroom=classroom, full_name=name)
        guardian = f.GuardianshipFactory(child=child).guardian
        f.ConsentFactory(child=child, guardian=guardian, purpose="portfolio_photos", granted=agreed)
        children[name.split()[-1]] = child
    return classroom, teacher, children


def sign_in(page) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill("co@example.test")
    page.locator("#id_password").fill(f.PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/teacher/|/$"))


def test_a_teacher_records_three_works_with_one_tap_each_and_prints_their_labels(page, tmp_path):
    classroom, teacher, children = a_class_with_children()
    photos = [noisy_png(tmp_path / f"san-pham-{n}.png", side=160 + 10 * n) for n in range(3)]
    sign_in(page)

    page.goto(f"/classes/{classroom.pk}/works/new/")
    page.locator("#id_title").fill("Bức tranh gia đình")
    page.locator("#id_domain").select_option("aesthetic")
    page.locator("#photos-files").set_input_files([str(p) for p in photos])

    cards = page.locator("[data-sitting-cards] [data-photo]")
    expect(cards).to_have_count(3, timeout=60_000)
    for index in range(3):  # each card gets its thumbnail when the photo is ready
        expect(cards.nth(index).locator("[data-card-thumb] img")).to_be_visible(timeout=60_000)
    expect(cards.nth(0)).to_have_class(re.compile(r"\bcurrent\b"))
    files = [card.locator("[data-card-file]").inner_text() for card in cards.all()]
    assert files == [p.name for p in photos], "the cards come in the order the photos were chosen"
    for card in cards.all():
        assert not card.locator("[data-card-select]").is_visible(), "the taps replace the selects"

    # One tap each; the next photo without a child is chosen by itself.
    page.locator(f'[data-child="{children["Khôi"].pk}"]').click()
    expect(cards.nth(0).locator("[data-card-child]")).to_have_text("Khôi")
    expect(cards.nth(1)).to_have_class(re.compile(r"\bcurrent\b"))
    page.locator(f'[data-child="{children["Lan"].pk}"]').click()
    # A child without the photo consent cannot get a photo: the photo stays without a child.
    page.locator(f'[data-child="{children["Minh"].pk}"]').click(force=True)  # aria-disabled: a tap tells why
    expect(cards.nth(2).locator("[data-card-child]")).not_to_have_text("Minh")
    expect(page.locator("[data-sitting-status]")).to_contain_text("Minh")
    # A wrong tap, undone, then the right one.
    page.locator(f'[data-child="{children["Khôi"].pk}"]').click()
    expect(cards.nth(2).locator("[data-card-child]")).to_have_text("Khôi")
    page.locator("[data-sitting-undo]").click()
    expect(cards.nth(2).locator("[data-card-child]")).not_to_have_text("Khôi")
    page.locator(f'[data-child="{children["An"].pk}"]').click()
    expect(cards.nth(2).locator("[data-card-child]")).to_have_text("An")
    # Minh's work has no photo.
    page.locator(f'input[name="without_photo"][value="{children["Minh"].pk}"]').check()

    page.locator("form[data-sitting] button[type=submit]").click()
    page.wait_for_url(f"**/classes/{classroom.pk}/works/")
    expect(page.locator(".messages")).to_contain_text("4")

    works = {w.child_id: w for w in Work.objects.prefetch_related("photos__media")}
    assert set(works) == {c.pk for c in children.values()}
    names = {c.pk: name for name, c in children.items()}
    by_file = {names[child_id]: [p.media.original_name for p in work.photos.all()] for child_id, work in works.items()}
    assert by_file == {"Khôi": [photos[0].name], "Lan": [photos[1].name], "An": [photos[2].name], "Minh": []}
    rows = page.locator(".work-row")
    expect(rows).to_have_count(4)
    for name in ("Khôi", "Lan", "An", "Minh"):
        expect(page.locator(".work-row strong", has_text=re.compile(rf"^{name}$"))).to_have_count(1)

    # The label sheet for today's works, made by the worker, downloaded as a PDF.
    page.locator(f'a[href="/classes/{classroom.pk}/labels/"]').first.click()
    page.wait_for_url(f"**/classes/{classroom.pk}/labels/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/labels/\d+/$"))
    pdf = page.locator('a[href$="/labels.pdf"]').first
    expect(pdf).to_be_visible(timeout=30_000)
    sheet = LabelSheet.objects.get()
    assert sheet.state == PrintoutState.READY and sheet.total == 4
    answer = page.request.get(pdf.get_attribute("href"))
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.body().startswith(b"%PDF")
