"""The officer sees which activities of the library were copied, how often, and by which schools (names only)."""

from __future__ import annotations

import pytest

from activities import services_library
from tests import factories as f
from tests.activities.library import entry_make

pytestmark = pytest.mark.django_db


def test_reuse_counts_and_the_adopting_schools_names(world, client, neighbour):
    school, classroom, teacher = neighbour
    copied = entry_make(school=world.school, by=world.teacher, title="Gấp thuyền giấy")
    entry_make(school=world.school, by=world.teacher, title="Đếm hạt đậu")
    services_library.library_entry_adopt(entry=copied, by=teacher, classroom=classroom)
    services_library.library_entry_adopt(entry=copied, by=teacher, classroom=classroom)
    third = f.SchoolFactory(authority=world.school.authority, name="Trường Mầm non Họa Mi", slug="hoa-mi")
    third_class = f.ClassroomFactory(school=third, name="Mầm B", age_group="mam")
    third_teacher = f.StaffFactory(school=third, role="teacher", classrooms=[third_class]).user
    services_library.library_entry_adopt(entry=copied, by=third_teacher, classroom=third_class)

    client.force_login(world.officer)
    response = client.get(f"/authorities/{world.school.authority.slug}/activity-library/reuse/")
    rows = response.context["rows"]
    assert [(r.entry.activity.title, r.count, set(r.school_names)) for r in rows] == [
        ("Gấp thuyền giấy", 3, {"Trường Mầm non Họa Mi", "Trường Mầm non Hướng Dương"}),
        ("Đếm hạt đậu", 0, set()),
    ]
    page = response.content.decode()
    assert "Trường Mầm non Hướng Dương" in page
    assert teacher.email not in page and str(teacher) not in page


@pytest.mark.parametrize("persona", ["foreign_officer", "teacher", "principal", "parent"])
def test_only_the_authoritys_officers_see_the_reuse(world, client, persona):
    client.force_login(getattr(world, persona))
    assert client.get(f"/authorities/{world.school.authority.slug}/activity-library/reuse/").status_code == 404


def test_the_province_officer_sees_the_reuse_of_its_wards_library(world, client):
    client.force_login(world.province_officer)
    assert client.get(f"/authorities/{world.school.authority.slug}/activity-library/reuse/").status_code == 200
