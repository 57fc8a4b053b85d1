"""History per item and per family, the copies' label sheet, and the items' photos."""

from __future__ import annotations

import pytest
from django.utils import timezone

from community.hooks_library import can_view_library_media
from tests.community.factories_library import LibraryCopyFactory, LibraryItemFactory, LibraryLoanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def history(world):
    item = LibraryItemFactory(school=world.school, name="Mặt nạ Trung thu", donor_credit="Gia đình bé Khôi tặng")
    copy = LibraryCopyFactory(item=item, code="MN-1")
    LibraryLoanFactory(
        copy=copy, child=world.child, borrower=world.parent, returned_at=timezone.now(), condition_in="worn"
    )
    LibraryLoanFactory(copy=copy, child=world.other_class_child, borrower=world.other_parent)
    return item


def test_the_item_history_lists_every_loan(client, world, history):
    client.force_login(world.teacher)
    page = client.get(f"/library/items/{history.pk}/").content.decode()
    assert "Mặt nạ Trung thu" in page and "Gia đình bé Khôi tặng" in page
    assert "Nguyễn Minh Khôi" in page and "Phạm Khánh Linh" in page and "Worn" in page


def test_a_family_sees_its_own_history_and_not_anothers(client, world, history):
    client.force_login(world.parent)
    page = client.get(f"/library/families/{world.child.pk}/").content.decode()
    assert "Mặt nạ Trung thu" in page and "Phạm Khánh Linh" not in page
    assert client.get(f"/library/families/{world.other_class_child.pk}/").status_code == 404
    client.force_login(world.other_teacher)  # any teacher of the school runs the desk
    assert "Mặt nạ Trung thu" in client.get(f"/library/families/{world.child.pk}/").content.decode()


def test_a_family_whose_child_has_left_keeps_its_history_without_a_library_to_go_back_to(client, world):
    copy = LibraryCopyFactory(item__school=world.school, item__name="Trống lắc")
    LibraryLoanFactory(copy=copy, child=world.left_child, borrower=world.former_parent, returned_at=timezone.now())
    client.force_login(world.former_parent)
    page = client.get(f"/library/families/{world.left_child.pk}/").content.decode()
    assert "Trống lắc" in page
    assert 'href="/library/"' not in page  # the browse page is for families with a child at the school
    assert client.get("/library/").status_code == 404
    client.force_login(world.parent)
    assert 'href="/library/"' in client.get(f"/library/families/{world.child.pk}/").content.decode()


def test_the_labels_pdf_has_a_page_of_labels(client, world, history):
    client.force_login(world.teacher)
    response = client.get("/library/desk/labels.pdf", {"item": history.pk})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and b"/Type /Page" in response.content


def test_an_items_photo_is_for_the_schools_families_and_desk_staff(world):
    from mediafiles.access import can_view_media
    from mediafiles.models import Audience, Kind, MediaFile, State

    media = MediaFile.objects.create(
        school=world.school,
        uploaded_by=world.principal,
        audience=Audience.STAFF,
        kind=Kind.IMAGE,
        state=State.READY,
        original_name="trang-phuc.jpg",
        content_type="image/jpeg",
        size=1000,
        received=1000,
        original=f"schools/{world.school.pk}/trang-phuc.jpg",
    )
    LibraryItemFactory(school=world.school, photo=media)
    assert can_view_library_media(world.parent, media)
    assert can_view_library_media(world.teacher, media)
    assert not can_view_library_media(world.foreign_parent, media)
    assert not can_view_library_media(world.kitchen, media)
    assert not can_view_library_media(world.family_viewer, media)
    assert can_view_media(world.other_parent, media)  # through the registered resolver
    assert not can_view_media(world.foreign_teacher, media)


def test_the_desk_gives_an_item_its_photo_and_families_see_it(client, world, history, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    path = tmp_path / "mat-na.jpg"
    Image.new("RGB", (320, 240), (200, 120, 40)).save(path, "JPEG")
    client.force_login(world.teacher)
    response = client.post(
        f"/library/items/{history.pk}/photo/",
        {"photo": SimpleUploadedFile("mat-na.jpg", path.read_bytes(), content_type="image/jpeg")},
        follow=True,
    )
    assert "The photo of Mặt nạ Trung thu is saved." in response.content.decode()
    history.refresh_from_db()
    assert history.photo is not None and history.photo.state == "ready"
    client.force_login(world.parent)
    page = client.get("/library/").content.decode()
    assert history.photo.thumbnail_url in page
    assert client.get(history.photo.thumbnail_url).status_code == 200
    client.force_login(world.foreign_parent)
    assert client.get(history.photo.thumbnail_url).status_code in (403, 404)


def test_a_file_that_is_not_a_photo_is_refused(client, world, history):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.teacher)
    response = client.post(
        f"/library/items/{history.pk}/photo/",
        {"photo": SimpleUploadedFile("mat-na.jpg", b"not a picture at all" * 10, content_type="image/jpeg")},
        follow=True,
    )
    messages = " ".join(str(m) for m in response.context["messages"])
    assert messages and "saved" not in messages
    history.refresh_from_db()
    assert history.photo is None
