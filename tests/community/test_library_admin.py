"""The library's admin: a principal adds an item with its copies; a label already used in the school is refused."""

from __future__ import annotations

import pytest

from community.models import LibraryCopy, LibraryItem
from tests.community.factories_library import LibraryCopyFactory

pytestmark = pytest.mark.django_db


def _post(world, **copy):
    return {
        "school": world.school.pk,
        "name": "Trang phục Lân",
        "category": "costume",
        "description": "",
        "age_from": 3,
        "age_to": 6,
        "loan_days": 7,
        "donor_credit": "Hội cha mẹ học sinh tặng",
        "donor_reference": "GT-2026-014",
        "is_active": "on",
        "copies-TOTAL_FORMS": 1,
        "copies-INITIAL_FORMS": 0,
        "copies-MIN_NUM_FORMS": 0,
        "copies-MAX_NUM_FORMS": 1000,
        "copies-0-code": copy.get("code", "LAN-1"),
        "copies-0-condition": "new",
        "copies-0-is_active": "on",
    }


def test_a_principal_adds_an_item_with_a_copy(client, world, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.principal)
    response = client.post("/admin/community/libraryitem/add/", _post(world, code="lan-1"))
    assert response.status_code == 302
    copy = LibraryCopy.objects.get()
    assert copy.code == "LAN-1" and copy.school == world.school and copy.item.donor_reference == "GT-2026-014"


def test_a_label_used_in_the_school_is_refused(client, world, settings):
    LibraryCopyFactory(item__school=world.school, code="LAN-1")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.principal)
    response = client.post("/admin/community/libraryitem/add/", _post(world, code="LAN-1"))
    assert response.status_code == 200
    assert "Another copy of the school already has this label." in response.content.decode()
    assert LibraryItem.objects.count() == 1 and LibraryCopy.objects.count() == 1
