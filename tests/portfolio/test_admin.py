"""The portfolio in the admin: a principal reviews their own school's works, replaces codes, reads the records.

Who may open which admin page: tests/portfolio/matrix.py (ADMIN_MODELS); that no form offers or
accepts another school's objects: tests/test_admin_choices.py.
"""

from __future__ import annotations

import datetime

import pytest
from django.core import checks

from portfolio.models import Album, LabelSheet, RevokedToken, Work, WorkOpen
from tests import factories as f
from tests.portfolio.printing_makers import work_make

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 20)
WORKS = "/admin/portfolio/work/"


@pytest.fixture
def admin_client(client, world):
    client.cookies["django_language"] = "en"
    client.force_login(world.principal)
    return client


def _page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_portfolio_admins_pass_the_scoping_checks():
    errors = [
        message
        for message in checks.run_checks(tags=[checks.Tags.admin])
        if message.is_serious() and message.obj.__module__ == "portfolio.admin"
    ]
    assert errors == []


def test_the_list_shows_the_schools_own_works_with_class_qr_and_family_opening(admin_client, world):
    opened = work_make(child=world.child, by=world.teacher, title="Con thuyền giấy", made_on=DAY)
    Work.objects.filter(pk=opened.pk).update(
        family_opened_at=datetime.datetime(2026, 11, 21, 8, 30, tzinfo=datetime.UTC),
        qr_png="portfolio/x/qr.png",
        qr_token=opened.token,
    )
    work_make(child=world.other_school_child, by=world.foreign_teacher, title="Hoa Sen riêng", made_on=DAY)

    page = _page(admin_client.get(WORKS))

    assert "Con thuyền giấy" in page
    assert world.child.full_name in page
    assert "Lá 1" in page
    assert "Hoa Sen riêng" not in page and world.other_school_child.full_name not in page
    assert 'alt="True"' in page  # the QR code is ready
    assert "15:30 21/11/2026" in page  # Vietnam's time


def test_filters_by_class_and_domain_and_search_by_title(admin_client, world):
    work_make(child=world.child, by=world.teacher, title="Con thuyền giấy", domain="aesthetic")
    work_make(child=world.other_class_child, by=world.other_teacher, title="Mô hình ngôi nhà", domain="cognitive")
    work_make(child=world.other_school_child, by=world.foreign_teacher, title="Con thuyền Hoa Sen")

    by_class = _page(admin_client.get(WORKS, {"classroom__id__exact": world.other_classroom.pk}))
    assert "Mô hình ngôi nhà" in by_class and "Con thuyền giấy" not in by_class

    by_domain = _page(admin_client.get(WORKS, {"domain__exact": "aesthetic"}))
    assert "Con thuyền giấy" in by_domain and "Mô hình ngôi nhà" not in by_domain

    found = _page(admin_client.get(WORKS, {"q": "thuyền"}))
    assert "Con thuyền giấy" in found and "Mô hình ngôi nhà" not in found
    assert "Con thuyền Hoa Sen" not in found


def test_the_class_filter_offers_only_classes_of_the_schools_works(admin_client, world):
    work_make(child=world.child, by=world.teacher)
    work_make(child=world.other_class_child, by=world.other_teacher)
    work_make(child=world.other_school_child, by=world.foreign_teacher)

    filters = _page(admin_client.get(WORKS)).split('id="changelist-filter"')[1]

    assert "Lá 1" in filters and world.other_classroom.name in filters
    assert world.foreign_classroom.name not in filters


def test_the_change_page_shows_the_photos_as_thumbnails_and_the_code_read_only(admin_client, world):
    f.ConsentFactory(child=world.child, guardian=world.parent, purpose="portfolio_photos")
    work = work_make(child=world.child, by=world.teacher, title="Con thuyền giấy", photos=1)
    media = work.photos.get().media

    page = _page(admin_client.get(f"{WORKS}{work.pk}/change/"))

    assert f'<img src="{media.url("thumb")}"' in page
    assert work.token in page
    assert 'name="token"' not in page and 'name="child"' not in page and 'name="photos-0-media"' not in page
    # The thumbnail's address is served to the principal (a leader may see the child's works).
    assert admin_client.get(media.url("thumb")).status_code == 200


def test_without_consent_the_photos_are_not_shown(admin_client, world):
    work = work_make(child=world.child, by=world.teacher, title="Con thuyền giấy", photos=1)
    media = work.photos.get().media

    page = _page(admin_client.get(f"{WORKS}{work.pk}/change/"))

    assert media.url("thumb") not in page
    assert "the guardians have not agreed to photos in the portfolio" in page


def test_a_principal_fixes_a_title_and_the_code_and_child_stay(admin_client, world):
    work = work_make(child=world.child, by=world.teacher, title="Con thuyen giay", photos=1)
    token = work.token

    response = admin_client.post(
        f"{WORKS}{work.pk}/change/",
        {
            "title": "Con thuyền giấy",
            "domain": "aesthetic",
            "made_on": "2026-11-20",
            "description": "",
            "teacher_note": "Khôi tự gấp.",
            "token": "A" * 43,
            "child": str(world.other_class_child.pk),
            "photos-TOTAL_FORMS": "1",
            "photos-INITIAL_FORMS": "1",
            "photos-MIN_NUM_FORMS": "0",
            "photos-MAX_NUM_FORMS": "1000",
            "photos-0-id": str(work.photos.get().pk),
            "photos-0-work": str(work.pk),
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    work.refresh_from_db()
    assert (work.title, work.teacher_note) == ("Con thuyền giấy", "Khôi tự gấp.")
    assert work.token == token and work.child_id == world.child.pk
    assert work.photos.count() == 1


def test_the_principal_cannot_add_works_here(admin_client):
    assert admin_client.get(f"{WORKS}add/").status_code == 403


def test_replacing_codes_revokes_the_old_ones_and_builds_new_qr_images(
    admin_client, world, django_capture_on_commit_callbacks
):
    work = work_make(child=world.child, by=world.teacher, title="Con thuyền giấy")
    old = work.token

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(WORKS, {"action": "replace_codes", "_selected_action": [work.pk]}, follow=True)

    assert "1 code replaced" in _page(response)
    work.refresh_from_db()
    assert work.token != old
    revoked = RevokedToken.objects.get(work=work)
    assert (revoked.token, revoked.revoked_by) == (old, world.principal)
    assert work.qr_ready and work.qr_svg  # the QR job ran for the new code


def test_another_schools_work_cannot_be_picked_for_the_action(admin_client, world):
    foreign = work_make(child=world.other_school_child, by=world.foreign_teacher)
    token = foreign.token

    admin_client.post(WORKS, {"action": "replace_codes", "_selected_action": [foreign.pk]}, follow=True)

    foreign.refresh_from_db()
    assert foreign.token == token
    assert not RevokedToken.objects.exists()


def test_a_superuser_who_does_not_lead_the_school_is_told_and_nothing_changes(client, world):
    work = work_make(child=world.child, by=world.teacher, title="Con thuyền giấy")
    token = work.token
    client.cookies["django_language"] = "en"
    client.force_login(world.superuser)

    page = _page(client.post(WORKS, {"action": "replace_codes", "_selected_action": [work.pk]}, follow=True))

    assert "you may not replace this work&#x27;s code" in page
    work.refresh_from_db()
    assert work.token == token and not RevokedToken.objects.exists()


@pytest.mark.parametrize("model", ["revokedtoken", "workopen", "labelsheet", "album"])
def test_the_records_are_read_only(admin_client, world, model):
    work = work_make(child=world.child, by=world.teacher, title="Con thuyền giấy", made_on=DAY)
    obj = {
        "revokedtoken": lambda: RevokedToken.objects.create(
            school=world.school, work=work, token="r" * 43, revoked_by=world.teacher
        ),
        "workopen": lambda: WorkOpen.objects.create(school=world.school, work=work, user=world.parent, by_family=True),
        "labelsheet": lambda: LabelSheet.objects.create(
            school=world.school, classroom=world.classroom, layout="70x42.3", date_from=DAY, date_to=DAY
        ),
        "album": lambda: Album.objects.create(school=world.school, child=world.child, scope="all"),
    }[model]()
    url = f"/admin/portfolio/{model}/{obj.pk}/change/"

    page = _page(admin_client.get(url))
    assert 'name="_save"' not in page
    assert admin_client.post(url, {"_save": "Save"}).status_code == 403
    assert admin_client.post(f"/admin/portfolio/{model}/{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_the_record_lists_show_only_the_schools_own(admin_client, world):
    mine = work_make(child=world.child, by=world.teacher, title="Con thuyền giấy")
    foreign = work_make(child=world.other_school_child, by=world.foreign_teacher, title="Hoa Sen riêng")
    for work in (mine, foreign):
        RevokedToken.objects.create(school=work.school, work=work, token=work.token[::-1])
        WorkOpen.objects.create(school=work.school, work=work, user=world.parent)

    for model in ("revokedtoken", "workopen"):
        page = _page(admin_client.get(f"/admin/portfolio/{model}/"))
        assert "Con thuyền giấy" in page, model
        assert "Hoa Sen riêng" not in page, model
