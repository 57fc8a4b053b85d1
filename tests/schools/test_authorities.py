"""Authorities as they are since July 2025: a commune-level authority and its province, their
officers' pages, the old district addresses, and the migration from districts."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import factories as f

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_ward_officer_sees_the_figures_of_the_wards_schools_and_no_child(world, client):
    client.force_login(world.officer)
    response = client.get("/authorities/thuy-nguyen/")
    page = text(response)
    assert "Sao Mai" in page and "Hoa Sen" not in page  # Hoa Sen is under another ward
    for name in ("Nguyễn Minh Khôi", "Nguyễn Ngọc An", "Phạm Khánh Linh", "Trần Thị Hoa"):
        assert name not in page
    row = response.context["schools"][0]
    assert (row.children_count, row.signed_up_count, row.classroom_count) == (3, 3, 3)


def test_a_provincial_officer_sees_every_school_of_the_province(world, client):
    neighbour_ward = f.CommuneFactory(name="Phường Lưu Kiếm", province=world.school.authority.province)
    f.ChildFactory(classroom=f.ClassroomFactory(school=f.SchoolFactory(authority=neighbour_ward, name="Họa Mi")))
    client.force_login(world.province_officer)
    response = client.get("/authorities/hai-phong/")
    page = text(response)
    assert "Sao Mai" in page and "Họa Mi" in page and "Phường Lưu Kiếm" in page
    assert "Hoa Sen" not in page  # another province
    assert sum(s.children_count for s in response.context["schools"]) == 4
    # ...and can open each ward's page of the province, but no other province's.
    assert client.get("/authorities/thuy-nguyen/").status_code == 200
    assert client.get(f"/authorities/{world.other_school.authority.slug}/").status_code == 404


def shown_counts(page: str, school: str) -> list[str]:
    import re

    row = re.search(rf">{re.escape(school)}</a></td>(.*?)</tr>", page, re.S).group(1)
    return [cell.strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]


def test_small_counts_are_hidden_and_cannot_be_worked_out_from_the_province(world, client):
    neighbour_ward = f.CommuneFactory(name="Phường Lưu Kiếm", province=world.school.authority.province)
    classroom = f.ClassroomFactory(school=f.SchoolFactory(authority=neighbour_ward, name="Họa Mi"))
    for _ in range(10):
        f.ChildFactory(classroom=classroom)
    client.force_login(world.officer)
    response = client.get("/authorities/thuy-nguyen/")
    # classes, children, families signed up, staff: Sao Mai's three children are "< 5", its total too
    assert shown_counts(text(response), "Sao Mai")[1:3] == ["&lt; 5", "&lt; 5"]
    assert response.context["totals"]["children"] == "< 5"
    client.force_login(world.province_officer)
    response = client.get("/authorities/hai-phong/")
    page = text(response)
    # the commune, classes, children...
    assert shown_counts(page, "Sao Mai")[2] == "&lt; 5"
    assert shown_counts(page, "Họa Mi")[2] == "x"  # 13 in the province - 10 would give Sao Mai's 3 away
    assert response.context["totals"]["children"] == 13


def test_an_officer_of_another_area_is_refused(world, client):
    client.force_login(world.foreign_officer)
    assert client.get("/authorities/thuy-nguyen/").status_code == 404
    assert client.get("/authorities/hai-phong/").status_code == 404
    assert "Hoa Sen" in text(client.get(f"/authorities/{world.other_school.authority.slug}/"))


def test_the_old_district_address_moves_permanently_to_the_authority(world, client):
    response = client.get("/districts/thuy-nguyen/")
    assert response.status_code == 301
    assert response["Location"] == "/authorities/thuy-nguyen/"


def test_the_public_page_names_the_ward_and_the_province(world, client):
    page = text(client.get("/schools/sao-mai/"))
    assert "Phường Thủy Nguyên, Thành phố Hải Phòng" in page


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_districts_into_communes_marked_for_review():
    executor = MigrationExecutor(connection)
    before = [("schools", "0004_announcements_move_out")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    District = old.get_model("schools", "District")
    DistrictOfficer = old.get_model("schools", "DistrictOfficer")
    School = old.get_model("schools", "School")
    User = old.get_model("accounts", "User")
    thuy_nguyen = District.objects.create(name="Thủy Nguyên", slug="thuy-nguyen", province="Hải Phòng")
    an_duong = District.objects.create(name="An Dương", slug="an-duong", province="Hải Phòng")
    orphan = District.objects.create(name="Cô Tô", slug="co-to", province="")
    officer = User.objects.create(email="officer@example.test")
    DistrictOfficer.objects.create(district=thuy_nguyen, user=officer, title="Chuyên viên")
    School.objects.create(district=thuy_nguyen, name="Sao Mai", slug="sao-mai")
    School.objects.create(district=an_duong, name="Hoa Sen", slug="hoa-sen")
    School.objects.create(district=orphan, name="Biển Xanh", slug="bien-xanh")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    from schools.models import Authority, AuthorityOfficer
    from schools.models import School as NewSchool

    province = Authority.objects.get(level="province")
    assert (province.name, province.needs_review) == ("Hải Phòng", True)
    communes = {a.slug: a for a in Authority.objects.filter(level="commune")}
    assert set(communes) == {"thuy-nguyen", "an-duong", "co-to"}
    assert all(a.needs_review for a in communes.values())
    assert communes["thuy-nguyen"].name == "Thủy Nguyên" and communes["thuy-nguyen"].province == province
    assert communes["co-to"].province is None  # no province known: the superuser sets it
    assert NewSchool.objects.get(slug="sao-mai").authority == communes["thuy-nguyen"]
    assert NewSchool.objects.get(slug="bien-xanh").authority == communes["co-to"]
    post = AuthorityOfficer.objects.get()
    assert post.authority == communes["thuy-nguyen"]
    assert (post.user.email, post.title) == ("officer@example.test", "Chuyên viên")
