"""A teacher records the day's works in one sitting, sees the class's works, edits one, deletes one and
replaces a code: what the pages show and what the database holds."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mediafiles.models import MediaFile
from portfolio.models import RevokedToken, Work, WorkPhoto
from schools.models import school_today
from tests import factories as f
from tests.mediafiles.conftest import make_heic, make_photo, upload_processed, upload_start
from tests.mediafiles.test_bad_input import png_bomb
from tests.portfolio.printing_makers import photo_make, voice_make, work_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def consent(child, purpose="portfolio_photos", granted=True):
    guardian = child.guardianships.first().guardian
    return f.ConsentFactory(child=child, guardian=guardian, purpose=purpose, granted=granted)


@pytest.fixture
def lan(world):
    child = f.ChildFactory(classroom=world.classroom, full_name="Trần Ngọc Lan")
    f.GuardianshipFactory(child=child)
    consent(child)
    return child


@pytest.fixture
def minh(world):
    """A child of Lá 1 whose guardian has not agreed to portfolio photos."""
    child = f.ChildFactory(classroom=world.classroom, full_name="Lê Quang Minh")
    f.GuardianshipFactory(child=child)
    consent(child, granted=False)
    return child


@pytest.fixture
def teacher(client, world):
    consent(world.child)
    client.force_login(world.teacher)
    return world.teacher


def sitting_url(world) -> str:
    return f"/classes/{world.classroom.pk}/works/new/"


def works_url(world) -> str:
    return f"/classes/{world.classroom.pk}/works/"


def uploaded(client, capture, world, tmp_path, name: str, size=(80, 60)) -> str:
    """A photo sent through the resumable upload as the browser sends it, checked by the worker."""
    path = make_photo(tmp_path / name, size=size)
    media_id, last, status = upload_processed(client, capture, school=world.school, path=path, kind="image")
    assert status["state"] == "ready", status
    return media_id


def form(**extra) -> dict:
    data = {
        "title": "Bức tranh gia đình",
        "domain": "aesthetic",
        "made_on": school_today().isoformat(),
        "description": "",
        "teacher_note": "Các con vẽ người thân.",
    }
    data.update(extra)
    return data


def errors(response) -> str:
    return response.content.decode()


# --- The sitting -------------------------------------------------------------------------------------------


def test_the_sitting_shows_the_class_grid_with_the_consents(client, world, teacher, lan, minh):
    response = client.get(sitting_url(world))
    assert response.status_code == 200
    page = response.content.decode()
    for given in ("Khôi", "Lan", "Minh"):
        assert f'data-name="{given}"' in page
    assert "data-media-upload-many" in page and 'data-name="photos"' in page and 'data-parallel="3"' in page
    assert 'capture="environment"' in page
    minh_item = re.search(r'<li class="sitting-child no-photos">.*?</li>', page, re.S).group(0)
    assert "Minh" in minh_item and "no photo consent" in minh_item
    assert f'name="without_photo" value="{minh.pk}"' in minh_item
    assert f'value="{school_today().isoformat()}"' in page, "the date is today by default"
    assert "js/sitting.js" in page


def test_a_sitting_records_every_childs_work_at_once(
    client, world, teacher, lan, minh, tmp_path, django_capture_on_commit_callbacks
):
    a = uploaded(client, django_capture_on_commit_callbacks, world, tmp_path, "a.jpg", (80, 60))
    b = uploaded(client, django_capture_on_commit_callbacks, world, tmp_path, "b.jpg", (81, 60))
    c = uploaded(client, django_capture_on_commit_callbacks, world, tmp_path, "c.jpg", (82, 60))
    data = form(photos=[a, b, c], without_photo=[str(minh.pk)])
    data.update({f"photo_{a}": str(world.child.pk), f"photo_{b}": str(lan.pk), f"photo_{c}": str(world.child.pk)})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(sitting_url(world), data, follow=True)
    assert response.redirect_chain == [(works_url(world), 302)]
    page = response.content.decode()
    assert "3 works recorded." in page
    assert "not stored twice" not in page
    works = {w.child_id: w for w in Work.objects.all()}
    assert {str(m) for m in works[world.child.pk].photos.values_list("media_id", flat=True)} == {a, c}
    assert [str(m) for m in works[lan.pk].photos.values_list("media_id", flat=True)] == [b]
    assert works[minh.pk].photos.count() == 0
    for given in ("Khôi", "Lan", "Minh"):
        assert f"<strong>{given}</strong>" in page
    assert page.count('class="work-row"') == 3
    assert page.count("</strong> · Bức tranh gia đình") == 3


def test_duplicates_are_told_after_saving(client, world, teacher, tmp_path, django_capture_on_commit_callbacks):
    first = uploaded(client, django_capture_on_commit_callbacks, world, tmp_path, "a.jpg")
    again = uploaded(client, django_capture_on_commit_callbacks, world, tmp_path, "a-again.jpg")  # same picture
    data = form(photos=[first, again], **{f"photo_{first}": str(world.child.pk), f"photo_{again}": str(world.child.pk)})
    response = client.post(sitting_url(world), data, follow=True)
    page = response.content.decode()
    assert "1 work recorded. 1 photo was already among the child&#x27;s works and was not stored twice." in page
    assert WorkPhoto.objects.count() == 1


def test_a_heic_photo_from_an_iphone_becomes_a_work_with_jpeg_copies(
    client, world, teacher, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage
    from PIL import Image

    heic = make_heic(tmp_path / "IMG_0042.HEIC", size=(640, 480))
    media_id, _last, status = upload_processed(
        client, django_capture_on_commit_callbacks, school=world.school, path=heic, kind="image"
    )
    assert status["state"] == "ready", status
    response = client.post(
        sitting_url(world), form(photos=[media_id], **{f"photo_{media_id}": str(world.child.pk)}), follow=True
    )
    assert "1 work recorded." in response.content.decode()
    media = Work.objects.get().photos.get().media
    assert media.content_type == "image/heic"
    with default_storage.open(media.thumbnail.name) as stored, Image.open(stored) as thumb:
        assert thumb.format == "JPEG"
    row = re.search(r'<li class="work-row".*?</li>', response.content.decode(), re.S).group(0)
    assert f"/media/{media_id}/thumb" in row


def assert_nothing_recorded_and_kept(response, *photo_ids):
    assert response.status_code == 400
    assert not Work.objects.exists()
    page = response.content.decode()
    for media_id in photo_ids:
        assert f'<input type="hidden" name="photos" value="{media_id}">' in page, "the uploads stay chosen"
        assert f'name="photo_{media_id}"' in page
    return page


def test_without_a_title_nothing_is_recorded_and_the_photos_stay(
    client, world, teacher, tmp_path, django_capture_on_commit_callbacks
):
    a = uploaded(client, django_capture_on_commit_callbacks, world, tmp_path, "a.jpg")
    response = client.post(sitting_url(world), form(title="", photos=[a], **{f"photo_{a}": str(world.child.pk)}))
    page = assert_nothing_recorded_and_kept(response, a)
    assert "Give the work a title, for example “My family”." in page
    card = re.search(rf'<li class="sitting-card assigned" data-photo="{a}">.*?</li>', page, re.S).group(0)
    assert f'<option value="{world.child.pk}" selected>' in card, "the photo keeps its child"


def test_a_photo_without_a_child_is_asked_for(client, world, teacher, tmp_path, django_capture_on_commit_callbacks):
    a = uploaded(client, django_capture_on_commit_callbacks, world, tmp_path, "a.jpg")
    b = uploaded(client, django_capture_on_commit_callbacks, world, tmp_path, "b.jpg", (90, 60))
    response = client.post(sitting_url(world), form(photos=[a, b], **{f"photo_{a}": str(world.child.pk)}))
    page = assert_nothing_recorded_and_kept(response, a, b)
    assert "1 of the photos has no child yet" in page


def test_a_child_of_another_class_is_refused(client, world, teacher, tmp_path, django_capture_on_commit_callbacks):
    a = uploaded(client, django_capture_on_commit_callbacks, world, tmp_path, "a.jpg")
    consent(world.other_class_child)
    data = form(photos=[a], **{f"photo_{a}": str(world.other_class_child.pk)})
    page = assert_nothing_recorded_and_kept(client.post(sitting_url(world), data), a)
    assert "This child is not in the class." in page
    data = form(without_photo=[str(world.other_class_child.pk)])
    response = client.post(sitting_url(world), data)
    assert response.status_code == 400 and "This child is not in the class." in response.content.decode()
    assert not Work.objects.exists()


def test_a_photo_for_a_child_without_consent_is_refused(
    client, world, teacher, minh, tmp_path, django_capture_on_commit_callbacks
):
    a = uploaded(client, django_capture_on_commit_callbacks, world, tmp_path, "a.jpg")
    page = assert_nothing_recorded_and_kept(
        client.post(sitting_url(world), form(photos=[a], **{f"photo_{a}": str(minh.pk)})), a
    )
    assert "The guardians of Minh have not agreed to photos in the portfolio" in page


def test_an_upload_not_finished_yet_is_refused(client, world, teacher):
    started = upload_start(client, school=world.school, size=5000, kind="image", filename="chua-xong.jpg")
    media_id = started.json()["id"]
    response = client.post(sitting_url(world), form(photos=[media_id], **{f"photo_{media_id}": str(world.child.pk)}))
    page = assert_nothing_recorded_and_kept(response, media_id)
    assert "chua-xong.jpg: The upload of this file is not finished. Wait for it, then send the form again." in page


def test_a_file_that_is_not_a_photo_gets_a_clear_message(
    client, world, teacher, tmp_path, django_capture_on_commit_callbacks
):
    fake = tmp_path / "bai-tho.jpg"
    fake.write_text("Con mèo mà trèo cây cau\n" * 100)
    media_id, _last, status = upload_processed(
        client, django_capture_on_commit_callbacks, school=world.school, path=fake, kind="image"
    )
    assert status["state"] == "failed"
    good = uploaded(client, django_capture_on_commit_callbacks, world, tmp_path, "a.jpg")
    data = form(photos=[media_id, good], **{f"photo_{media_id}": str(world.child.pk), f"photo_{good}": ""})
    response = client.post(sitting_url(world), data)
    assert response.status_code == 400 and not Work.objects.exists()
    page = response.content.decode()
    reason = MediaFile.objects.get(pk=media_id).failure_reason
    assert f"bai-tho.jpg: This file could not be used: {reason} Please upload another one." in page
    assert f'name="photo_{media_id}"' not in page, "a refused file is left out of the form shown again"
    assert f'name="photo_{good}"' in page


def test_an_image_bomb_gets_a_clear_message(client, world, teacher, tmp_path, django_capture_on_commit_callbacks):
    bomb = png_bomb(tmp_path / "bom.png")
    media_id, _last, status = upload_processed(
        client, django_capture_on_commit_callbacks, school=world.school, path=bomb, kind="image"
    )
    assert status["state"] == "failed" and "megapixel" in status["reason"]
    response = client.post(sitting_url(world), form(photos=[media_id], **{f"photo_{media_id}": str(world.child.pk)}))
    assert response.status_code == 400 and not Work.objects.exists()
    assert "bom.png: This file could not be used:" in response.content.decode()
    assert "megapixel" in response.content.decode()


def test_a_photo_over_the_size_limit_is_refused_before_it_is_sent(client, world, teacher):
    """The widget shows the server's reason in its list (static/js/upload.js): nothing is uploaded."""
    too_big = django_settings.MEDIA_STAFF_MAX_BYTES + 1
    response = upload_start(client, school=world.school, size=too_big, kind="image", filename="anh-to.jpg")
    assert response.status_code in (400, 413)
    assert "This file is too large" in response.json()["error"]
    assert not MediaFile.objects.exists()


def test_a_teacher_can_start_a_batch_of_forty_uploads(client, world, teacher):
    """The limit on unfinished uploads (MEDIA_STAFF_UNFINISHED_UPLOADS) leaves room for a sitting's 40 photos."""
    assert django_settings.MEDIA_STAFF_UNFINISHED_UPLOADS >= 40
    for number in range(40):
        started = upload_start(client, school=world.school, size=50_000, kind="image", filename=f"tranh-{number}.jpg")
        assert started.status_code == 201, (number, started.content)
    assert MediaFile.objects.filter(uploaded_by=world.teacher).count() == 40


def test_the_sitting_page_runs_a_fixed_number_of_queries(client, world, teacher):
    def counted() -> int:
        client.get(sitting_url(world))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(sitting_url(world))
        assert response.status_code == 200
        return len(queries)

    one = counted()
    for number in range(15):
        child = f.ChildFactory(classroom=world.classroom, full_name=f"Bé Số {number}")
        consent_granted = number % 2 == 0
        f.ConsentFactory(child=child, guardian=f.UserFactory(), granted=consent_granted)
    assert counted() == one


def test_without_javascript_each_photo_gets_a_select_after_a_reload(
    client, world, teacher, lan, tmp_path, django_capture_on_commit_callbacks
):
    """A browser without the script sends the photos with no child: the page comes back with a select per
    photo (children without the photo consent cannot be chosen), and the second send records the works."""
    a = uploaded(client, django_capture_on_commit_callbacks, world, tmp_path, "a.jpg")
    first = client.post(sitting_url(world), form(photos=[a]))
    page = assert_nothing_recorded_and_kept(first, a)
    select = re.search(rf'<select name="photo_{a}".*?</select>', page, re.S).group(0)
    assert f'<option value="{lan.pk}">Lan (Trần Ngọc Lan)</option>' in select
    response = client.post(sitting_url(world), form(photos=[a], **{f"photo_{a}": str(lan.pk)}), follow=True)
    assert "1 work recorded." in response.content.decode()
    assert Work.objects.get().child == lan


def test_another_class_teacher_gets_404(client, world):
    client.force_login(world.other_teacher)
    assert client.get(sitting_url(world)).status_code == 404
    assert client.post(sitting_url(world), form(without_photo=[str(world.child.pk)])).status_code == 404
    assert not Work.objects.exists()


# --- The class's works --------------------------------------------------------------------------------------


def test_the_class_works_newest_day_first_with_thumbnails_and_openings(client, world, teacher, minh):
    older = work_make(child=world.child, by=world.teacher, title="Con thuyền", made_on=datetime.date(2026, 11, 2))
    newer = work_make(child=world.child, by=world.teacher, title="Bông hoa", made_on=datetime.date(2026, 11, 20))
    WorkPhoto.objects.create(school=world.school, work=newer, media=photo_make(school=world.school, by=world.teacher))
    hidden = work_make(child=minh, by=world.teacher, title="Cái cây", made_on=datetime.date(2026, 11, 10), photos=1)
    opened_at = datetime.datetime(2026, 11, 21, 19, 30, tzinfo=datetime.UTC)
    Work.objects.filter(pk=older.pk).update(family_opened_at=opened_at)
    page = client.get(works_url(world)).content.decode()
    assert page.index("Bông hoa") < page.index("Cái cây") < page.index("Con thuyền")
    newer_row = re.search(rf'<li class="work-row" data-work="{newer.pk}">.*?</li>', page, re.S).group(0)
    assert "<picture" in newer_row and "thumb" in newer_row
    assert "preparing" in newer_row, "no QR images yet"
    assert "Not opened by the family yet" in newer_row
    assert f'href="/works/{newer.pk}/edit/"' in newer_row and f'href="/w/{newer.token}"' in newer_row
    hidden_row = re.search(rf'<li class="work-row" data-work="{hidden.pk}">.*?</li>', page, re.S).group(0)
    assert "<picture" not in hidden_row and "Photo hidden: no consent" in hidden_row
    older_row = re.search(rf'<li class="work-row" data-work="{older.pk}">.*?</li>', page, re.S).group(0)
    assert "Opened by the family on 02:30 22/11/2026" in older_row, "in the school's time zone"
    assert f'href="/classes/{world.classroom.pk}/labels/"' in page
    assert f'href="/classes/{world.classroom.pk}/works/new/"' in page


def test_the_class_works_filtered_by_dates(client, world, teacher):
    work_make(child=world.child, by=world.teacher, title="Con thuyền", made_on=datetime.date(2026, 11, 2))
    work_make(child=world.child, by=world.teacher, title="Bông hoa", made_on=datetime.date(2026, 11, 20))
    page = client.get(works_url(world), {"date_from": "2026-11-10", "date_to": "2026-11-30"}).content.decode()
    assert "Bông hoa" in page and "Con thuyền" not in page
    page = client.get(works_url(world), {"date_from": "2026-12-01"}).content.decode()
    assert "No works in this period." in page


def test_the_class_works_come_in_pages_that_keep_the_dates(client, world, teacher):
    from portfolio.views_sitting import WORKS_PER_PAGE

    day = datetime.date(2026, 11, 20)
    Work.objects.bulk_create(
        Work(
            school=world.school,
            child=world.child,
            classroom=world.classroom,
            title=f"Tranh {n}",
            domain="aesthetic",
            made_on=day,
            created_by=world.teacher,
        )
        for n in range(WORKS_PER_PAGE + 1)
    )
    query = {"date_from": "2026-11-01", "date_to": "2026-11-30"}
    first = client.get(works_url(world), query).content.decode()
    assert first.count('class="work-row"') == WORKS_PER_PAGE
    assert "page=2" in first and "date_from=2026-11-01" in first
    second = client.get(works_url(world), {**query, "page": 2}).content.decode()
    assert second.count('class="work-row"') == 1


def test_a_leader_chooses_among_the_schools_classes(client, world):
    client.force_login(world.principal)
    page = client.get("/works/").content.decode()
    for classroom in (world.classroom, world.other_classroom):
        assert f'href="/classes/{classroom.pk}/works/"' in page
        assert f'href="/classes/{classroom.pk}/works/new/"' in page
    assert f'href="/classes/{world.foreign_classroom.pk}/works/"' not in page


def test_a_ready_work_is_not_preparing(client, world, teacher, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(sitting_url(world), form(without_photo=[str(world.child.pk)]))
    work = Work.objects.get()
    assert work.qr_ready
    row = re.search(
        rf'<li class="work-row" data-work="{work.pk}">.*?</li>', client.get(works_url(world)).content.decode(), re.S
    )
    assert "preparing" not in row.group(0)


def test_the_class_works_page_runs_a_fixed_number_of_queries(client, world, teacher):
    def counted(expected_rows: int) -> int:
        client.get(works_url(world))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(works_url(world))
        assert response.status_code == 200
        assert response.content.decode().count('class="work-row"') == expected_rows
        return len(queries)

    work_make(child=world.child, by=world.teacher, title="Tranh 0", photos=1)
    one = counted(1)
    for number in range(1, 12):
        work_make(child=world.child, by=world.teacher, title=f"Tranh {number}", photos=1, voice=number % 4 == 0)
    assert counted(12) == one
    # The session, the person, the class, their roles (2), count, works, photos, consents; the menu (2).
    assert one <= 11


# --- A work's edit page ------------------------------------------------------------------------------------


def edit_form(work, **extra) -> dict:
    data = {
        "title": work.title,
        "domain": work.domain,
        "made_on": work.made_on.isoformat(),
        "description": work.description,
        "teacher_note": work.teacher_note,
    }
    data.update(extra)
    return data


def test_editing_a_work(client, world, teacher, tmp_path, django_capture_on_commit_callbacks):
    work = work_make(child=world.child, by=world.teacher, photos=2)
    gone = work.photos.first()
    new = uploaded(client, django_capture_on_commit_callbacks, world, tmp_path, "moi.jpg", (99, 77))
    response = client.post(
        f"/works/{work.pk}/edit/",
        edit_form(work, title="Bức tranh mùa thu", add_photos=[new], remove_photo=[str(gone.pk)]),
        follow=True,
    )
    assert "The work is saved." in response.content.decode()
    work.refresh_from_db()
    assert work.title == "Bức tranh mùa thu"
    assert str(new) in {str(m) for m in work.photos.values_list("media_id", flat=True)}
    assert not WorkPhoto.objects.filter(pk=gone.pk).exists()


def test_the_voice_note_with_and_without_the_consent(client, world, teacher):
    work = work_make(child=world.child, by=world.teacher)
    page = client.get(f"/works/{work.pk}/edit/").content.decode()
    assert "data-media-recorder" not in page
    assert "The guardians of Khôi have not agreed to voice recordings" in page
    sound = voice_make(school=world.school, by=world.teacher)
    response = client.post(f"/works/{work.pk}/edit/", edit_form(work, voice=str(sound.pk)))
    assert response.status_code == 400
    assert "have not agreed to voice recordings: the work is kept without a voice note." in response.content.decode()
    work.refresh_from_db()
    assert work.voice_id is None

    consent(world.child, "voice_recordings")
    assert "data-media-recorder" in client.get(f"/works/{work.pk}/edit/").content.decode()
    response = client.post(f"/works/{work.pk}/edit/", edit_form(work, voice=str(sound.pk)), follow=True)
    assert "The work is saved." in response.content.decode()
    work.refresh_from_db()
    assert work.voice_id == sound.pk
    page = client.get(f"/works/{work.pk}/edit/").content.decode()
    assert "<audio" in page and "Remove the voice note" in page


def test_deleting_a_work_asks_first(client, world, teacher):
    work = work_make(child=world.child, by=world.teacher)
    assert "Yes, delete this work" in client.get(f"/works/{work.pk}/delete/").content.decode()
    response = client.post(f"/works/{work.pk}/delete/")
    assert response.status_code == 400 and Work.objects.filter(pk=work.pk).exists()
    response = client.post(f"/works/{work.pk}/delete/", {"confirm": "yes"}, follow=True)
    assert response.redirect_chain == [(works_url(world), 302)]
    assert "The work “Bức tranh gia đình” of Khôi is deleted." in response.content.decode()
    assert not Work.objects.filter(pk=work.pk).exists()


def test_replacing_the_code(client, world, teacher, django_capture_on_commit_callbacks):
    work = work_make(child=world.child, by=world.teacher)
    old = work.token
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/works/{work.pk}/replace-code/", follow=True)
    page = response.content.decode()
    assert "The old label no longer opens the work, except for the guardians of Khôi" in page
    assert "Print a new label for this work." in page
    work.refresh_from_db()
    assert work.token != old and RevokedToken.objects.filter(token=old, work=work).exists()


def test_the_links_on_the_class_and_the_teachers_home(client, world, teacher):
    page = client.get(f"/classes/{world.classroom.pk}/").content.decode()
    assert f'href="/classes/{world.classroom.pk}/works/"' in page and "Children&#x27;s works" in page
    home = client.get("/teacher/").content.decode()
    assert 'href="/works/"' in home and f'href="/classes/{world.classroom.pk}/works/"' in home
    response = client.get("/works/")
    assert response.status_code == 302 and response.url == works_url(world)
    client.force_login(world.nurse)
    assert client.get("/works/").status_code == 404
    assert (
        f'href="/classes/{world.classroom.pk}/works/"'
        not in client.get(f"/classes/{world.classroom.pk}/").content.decode()
    )
