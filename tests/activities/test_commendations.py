"""An authority commends a school or one of its families; the commendation shows on the school's public page."""

from __future__ import annotations

import datetime

import pytest

from activities.models import Commendation

pytestmark = pytest.mark.django_db

TEXT = "Gia đình làm đồ chơi từ vật liệu tái chế cùng lớp Lá 1."


def test_a_commendation_of_a_family_shows_on_the_schools_public_page_by_the_name_the_officer_gave(world, client):
    client.force_login(world.officer)
    page = client.get(f"/authorities/{world.school.authority.slug}/commendations/").content.decode()
    assert "child" in page.lower() or "trẻ" in page  # the help text: never a child's name
    response = client.post(
        f"/authorities/{world.school.authority.slug}/commendations/",
        {
            "school": world.school.pk,
            "family_name": "Gia đình chị Trần Thị Hoa",
            "text": TEXT,
            "awarded_on": "2026-11-20",
        },
    )
    assert response.status_code == 302
    client.logout()
    public = client.get(f"/schools/{world.school.slug}/").content.decode()
    assert TEXT in public and "Gia đình chị Trần Thị Hoa" in public and "20/11/2026" in public
    assert world.child.full_name not in public
    assert TEXT not in client.get(f"/schools/{world.other_school.slug}/").content.decode()


def test_a_school_is_commended_without_a_family(world, client):
    Commendation.objects.create(
        authority=world.school.authority,
        school=world.school,
        text="Mô hình phối hợp tốt.",
        awarded_on=datetime.date(2026, 11, 20),
    )
    assert "Mô hình phối hợp tốt." in client.get(f"/schools/{world.school.slug}/").content.decode()


def test_a_commendation_without_its_text_is_refused_and_nothing_is_saved(world, client):
    client.force_login(world.officer)
    response = client.post(
        f"/authorities/{world.school.authority.slug}/commendations/",
        {"school": world.school.pk, "text": "", "awarded_on": "2026-11-20"},
    )
    assert response.status_code == 400
    assert not Commendation.objects.exists()


def test_an_officer_commends_only_the_schools_under_the_authority(world, client):
    client.force_login(world.officer)
    response = client.post(
        f"/authorities/{world.school.authority.slug}/commendations/",
        {"school": world.other_school.pk, "text": TEXT, "awarded_on": "2026-11-20"},
    )
    assert response.status_code == 400
    assert not Commendation.objects.exists()


@pytest.mark.parametrize("persona", ["foreign_officer", "principal", "teacher", "parent"])
def test_an_officer_of_another_area_and_the_schools_people_cannot_commend(world, client, persona):
    client.force_login(getattr(world, persona))
    response = client.post(
        f"/authorities/{world.school.authority.slug}/commendations/",
        {"school": world.school.pk, "text": TEXT, "awarded_on": "2026-11-20"},
    )
    assert response.status_code == 404
    assert not Commendation.objects.exists()


def test_the_officer_takes_a_commendation_back_and_the_public_page_no_longer_shows_it(world, client):
    commendation = Commendation.objects.create(
        authority=world.school.authority, school=world.school, text=TEXT, awarded_on=datetime.date(2026, 11, 20)
    )
    client.force_login(world.foreign_officer)
    url = f"/authorities/{world.school.authority.slug}/commendations/{commendation.pk}/delete/"
    assert client.post(url).status_code == 404
    assert TEXT in client.get(f"/schools/{world.school.slug}/").content.decode()
    client.force_login(world.officer)
    assert client.post(url).status_code == 302
    assert TEXT not in client.get(f"/schools/{world.school.slug}/").content.decode()
