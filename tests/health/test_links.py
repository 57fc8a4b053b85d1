"""Where the health pages are reached from: the nurse's landing, a leader's home and an authority's page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(world):
    for person in (world.nurse, world.principal, world.teacher, world.officer, world.province_officer):
        person.language = "en"
        person.save(update_fields=["language"])


def hrefs(client, user, path) -> str:
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_nurse_lands_on_measuring_day_with_the_follow_up_summary_and_check_ups(client, world):
    client.force_login(world.nurse)
    assert client.get("/")["Location"] == "/health/"
    page = hrefs(client, world.nurse, "/health/")
    for path in (
        "/health/schools/sao-mai/follow-up/",
        "/health/schools/sao-mai/summary/",
        "/health/schools/sao-mai/checkups/",
        "/health/schools/sao-mai/import/",
        f"/health/classes/{world.classroom.pk}/summary/",
        f"/health/classes/{world.classroom.pk}/export.xlsx",
    ):
        assert f'href="{path}"' in page
        assert client.get(path).status_code == 200


def test_a_leaders_home_links_to_the_health_pages_and_the_read_log(client, world):
    page = hrefs(client, world.principal, "/schools/sao-mai/manage/")
    for path in (
        "/health/schools/sao-mai/summary/",
        "/health/schools/sao-mai/follow-up/",
        "/health/schools/sao-mai/checkups/",
        "/health/schools/sao-mai/reads/",
    ):
        assert f'href="{path}"' in page


def test_an_authority_page_links_to_its_schools_counts_for_its_officers(client, world):
    ward = world.school.authority
    page = hrefs(client, world.officer, f"/authorities/{ward.slug}/")
    assert f'href="/health/authorities/{ward.slug}/"' in page
    assert client.get(f"/health/authorities/{ward.slug}/").status_code == 200
    province = hrefs(client, world.province_officer, f"/authorities/{ward.province.slug}/")
    assert f'href="/health/authorities/{ward.province.slug}/"' in province
