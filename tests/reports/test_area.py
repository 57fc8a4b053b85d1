"""The authorities' dashboard: an officer's schools side by side, protected, from a few precomputed rows."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from reports import periods
from reports.area import area_build
from reports.models import AreaFigure, Figure
from tests import factories as f
from tests.reports.area_fixtures import fake_section  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_section")]

OCT, NOV, DEC = datetime.date(2026, 10, 1), datetime.date(2026, 11, 1), datetime.date(2026, 12, 1)


def figure(school, month, metric, value, group=""):
    Figure.objects.create(
        school=school,
        month=month,
        section="reports",
        metric=metric,
        group=group,
        value=value,
        computed_at=timezone.now(),
    )


def build(world, year_start=2026):
    return area_build(province=world.school.authority.province, year_start=year_start)


def all_of(name: str) -> str:
    """A commune's or province's total row, as the page names it in Vietnamese (the portal's first language)."""
    with translation.override("vi"):
        return translation.gettext("All of %(name)s") % {"name": name}


def row_cells(page: str, label: str) -> list[str]:
    """The cells of the first row whose heading contains label, in the first section."""
    row = re.search(rf"<tr data-row=\"\w+\"><th scope=\"row\">(?:<[^>]+>)*[^<]*{re.escape(label)}.*?</tr>", page, re.S)
    assert row, f"no row {label!r}"
    return [cell.strip() for cell in re.findall(r"<td>(.*?)</td>", row.group(0), re.S)]


@pytest.fixture
def ward_schools(world):
    """Sao Mai and Hoa Mai in the officer's ward, Bình Minh in another ward of the province."""
    hoa_mai = f.SchoolFactory(authority=world.school.authority, name="Hoa Mai", slug="hoa-mai")
    other_ward = f.CommuneFactory(name="Phường Lê Chân", slug="le-chan", province=world.school.authority.province)
    binh_minh = f.SchoolFactory(authority=other_ward, name="Bình Minh", slug="binh-minh")
    return hoa_mai, binh_minh


def test_a_commune_officer_sees_their_schools_side_by_side_with_small_counts_hidden(world, client, ward_schools):
    hoa_mai, binh_minh = ward_schools
    figure(world.school, OCT, "posted", 3)
    figure(hoa_mai, OCT, "posted", 12)
    figure(binh_minh, OCT, "posted", 40)
    for school, answered, expected in ((world.school, 30, 60), (hoa_mai, 50, 80), (binh_minh, 20, 25)):
        figure(school, OCT, "answered", answered)
        figure(school, OCT, "expected", expected)
    figure(world.school, OCT, "received", 2)  # đồng: never hidden
    figure(world.school, OCT, "posted", 2, group="Lá 1")  # a class: never on the dashboard
    build(world)
    client.force_login(world.officer)
    response = client.get("/reports/area/thuy-nguyen/?period=2026-10")
    assert response.status_code == 200
    page = response.content.decode()
    # posted, answered, expected, on the portal, received; answer rate
    assert row_cells(page, "Sao Mai") == ["&lt; 5", "30", "60", "0", "2", "50 %"]
    assert row_cells(page, "Hoa Mai") == ["x", "50", "80", "0", "0", "62 %"]  # else 15 - 12 gives the 3
    assert row_cells(page, all_of("Phường Thủy Nguyên")) == ["15", "80", "140", "0", "2", "57 %"]
    assert "Bình Minh" not in page and "Lá 1" not in page
    for name in ("Nguyễn Minh Khôi", "Phạm Khánh Linh", "Nguyễn Ngọc An"):
        assert name not in page
    assert "<svg" in page and "<title" in page and "<desc" in page


def test_a_rate_is_not_given_when_one_of_its_counts_is_hidden(world, client, ward_schools):
    hoa_mai, _binh_minh = ward_schools
    figure(world.school, OCT, "answered", 3)
    figure(world.school, OCT, "expected", 20)
    figure(hoa_mai, OCT, "answered", 30)
    figure(hoa_mai, OCT, "expected", 40)
    build(world)
    client.force_login(world.officer)
    page = client.get("/reports/area/thuy-nguyen/?period=2026-10").content.decode()
    assert row_cells(page, "Sao Mai")[1] == "&lt; 5" and row_cells(page, "Sao Mai")[-1] == "x"


def test_a_provincial_officer_sees_every_commune_with_subtotals_and_links(world, client, ward_schools):
    hoa_mai, binh_minh = ward_schools
    for school, posted in ((world.school, 10), (hoa_mai, 20), (binh_minh, 30)):
        figure(school, OCT, "posted", posted)
    build(world)
    client.force_login(world.province_officer)
    page = client.get("/reports/area/hai-phong/?period=2026-10").content.decode()
    assert row_cells(page, "Bình Minh")[0] == "30"
    assert row_cells(page, all_of("Phường Thủy Nguyên"))[0] == "30"
    assert row_cells(page, all_of("Phường Lê Chân"))[0] == "30"
    assert row_cells(page, all_of("Thành phố Hải Phòng"))[0] == "60"
    assert 'href="/reports/area/thuy-nguyen/?period=2026-10"' in page
    assert client.get("/reports/area/le-chan/?period=2026-10").status_code == 200


def test_a_term_and_its_months_show_cells_of_one_pattern(world, client, ward_schools):
    hoa_mai, _binh_minh = ward_schools
    figure(world.school, OCT, "posted", 3)
    figure(world.school, NOV, "posted", 10)
    figure(world.school, DEC, "posted", 20)
    figure(hoa_mai, OCT, "posted", 30)
    figure(hoa_mai, NOV, "posted", 30)
    figure(hoa_mai, DEC, "posted", 30)
    build(world)
    client.force_login(world.officer)
    shown = {}
    for key in ("2026-10", "2026-11", "2026-12", "2026-t1"):
        page = client.get(f"/reports/area/thuy-nguyen/?period={key}").content.decode()
        shown[key] = row_cells(page, "Sao Mai")[0]
    assert shown["2026-10"] == "&lt; 5"
    # The term is 33: with November and December shown it would give October's 3 away.
    assert [shown["2026-11"], shown["2026-12"], shown["2026-t1"]].count("x") >= 1


def test_a_stock_term_is_its_last_month(world, client, ward_schools):
    hoa_mai, _binh_minh = ward_schools
    for school, october, november in ((world.school, 40, 42), (hoa_mai, 60, 61)):
        figure(school, OCT, "on_portal", october)
        figure(school, NOV, "on_portal", november)
    build(world)
    client.force_login(world.officer)
    page = client.get("/reports/area/thuy-nguyen/?period=2026-t1").content.decode()
    assert row_cells(page, "Sao Mai")[3] == "42"
    assert row_cells(page, all_of("Phường Thủy Nguyên"))[3] == "103"


def test_a_period_without_figures_says_so(world, client):
    client.force_login(world.officer)
    page = client.get("/reports/area/thuy-nguyen/?period=2025-09").content.decode()
    with translation.override("vi"):
        empty = translation.gettext(
            "There are no figures for %(period)s yet: the schools' figures are gathered every night, and a period "
            "before the schools started using the portal has none."
        ) % {"period": periods.parse("2025-09").label}
    assert empty in page
    assert client.get("/reports/area/thuy-nguyen/?period=2026-13").status_code == 404
    assert client.get("/reports/area/thuy-nguyen/?period=soon").status_code == 404


def test_a_ward_whose_schools_count_nothing_shows_zeros_when_its_province_has_figures(world, client, ward_schools):
    _hoa_mai, binh_minh = ward_schools
    figure(binh_minh, OCT, "posted", 40)
    build(world)
    client.force_login(world.officer)
    page = client.get("/reports/area/thuy-nguyen/?period=2026-10").content.decode()
    assert "There are no figures" not in page
    assert row_cells(page, "Sao Mai")[0] == "0" and row_cells(page, all_of("Phường Thủy Nguyên"))[0] == "0"


def test_the_current_period_says_how_fresh_its_figures_are(world, client):
    today = timezone.localdate()
    figure(world.school, today.replace(day=1), "posted", 12)
    area_build(province=world.school.authority.province, year_start=periods.year_start_of(today))
    at_night = timezone.make_aware(datetime.datetime.combine(today, datetime.time(1, 30)))
    AreaFigure.objects.update(computed_at=at_night)
    client.force_login(world.officer)
    page = client.get("/reports/area/thuy-nguyen/").content.decode()
    with translation.override("vi"):
        assert translation.gettext("Figures as of %(time)s today.") % {"time": "01:30"} in page


def test_officers_of_other_areas_and_everyone_else_are_refused(world, client):
    figure(world.school, OCT, "posted", 12)
    build(world)
    for user, path in (
        (world.foreign_officer, "/reports/area/thuy-nguyen/"),
        (world.foreign_officer, "/reports/area/hai-phong/"),
        (world.officer, "/reports/area/hai-phong/"),
        (world.principal, "/reports/area/thuy-nguyen/"),
        (world.parent, "/reports/area/thuy-nguyen/"),
        (world.teacher, "/reports/area/thuy-nguyen/"),
    ):
        client.force_login(user)
        assert client.get(path).status_code == 404, (user, path)
    client.logout()
    assert client.get("/reports/area/thuy-nguyen/").status_code == 302


def test_the_dashboard_costs_the_same_queries_for_one_school_or_many(world, client, django_assert_num_queries):
    from django.core.cache import cache

    figure(world.school, OCT, "posted", 12)
    build(world)
    client.force_login(world.province_officer)
    url = "/reports/area/hai-phong/?period=2026-10"
    client.get(url)  # the session's first request
    cache.clear()
    client.get("/notifications/")  # the person's cached values back in place, not the tables
    with CaptureQueriesContext(connection) as built:  # the tables are read and rendered
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as cached:  # the same build's tables come from the cache
        assert client.get(url).status_code == 200
    # (counted now: every request empties the connection's log)
    built_count, cached_count = len(built.captured_queries), len(cached.captured_queries)
    # The authority and its build time are kept too, until the next build (coordination/lib/fragments.py).
    assert cached_count == built_count - 3
    province = world.school.authority.province
    for n in range(3):
        ward = f.CommuneFactory(name=f"Xã {n}", slug=f"xa-{n}", province=province)
        for m in range(8):
            school = f.SchoolFactory(authority=ward, name=f"Trường {n}-{m}", slug=f"truong-{n}-{m}")
            figure(school, OCT, "posted", 2 + m * 3)
            figure(school, OCT, "answered", 20 + m)
    build(world)  # a new build: a new cache key
    with django_assert_num_queries(built_count):
        page = client.get(url).content.decode()
    assert "Trường 2-7" in page
    with django_assert_num_queries(cached_count):
        assert "Trường 2-7" in client.get(url).content.decode()
    client.force_login(world.officer)
    client.get("/reports/area/thuy-nguyen/?period=2026-10")
    with CaptureQueriesContext(connection) as commune:
        assert client.get("/reports/area/thuy-nguyen/?period=2026-10").status_code == 200
    assert len(commune.captured_queries) == cached_count


def test_the_authority_page_links_to_the_dashboard(world, client):
    client.force_login(world.officer)
    page = client.get("/authorities/thuy-nguyen/").content.decode()
    assert 'href="/reports/area/thuy-nguyen/"' in page


def test_a_new_build_shows_at_once_and_each_authority_has_its_own_tables(world, client, ward_schools):
    hoa_mai, binh_minh = ward_schools
    figure(world.school, OCT, "posted", 20)
    figure(binh_minh, OCT, "posted", 30)
    build(world)
    client.force_login(world.province_officer)
    url = "/reports/area/thuy-nguyen/?period=2026-10"
    assert row_cells(client.get(url).content.decode(), "Sao Mai")[0] == "20"
    assert "Bình Minh" in client.get("/reports/area/hai-phong/?period=2026-10").content.decode()
    assert "Bình Minh" not in client.get(url).content.decode()
    Figure.objects.filter(school=world.school).update(value=25)
    build(world)
    assert row_cells(client.get(url).content.decode(), "Sao Mai")[0] == "25"


def test_the_dashboard_shows_one_section_at_a_time_with_tabs_for_the_others(world, client):
    figure(world.school, OCT, "posted", 12)
    build(world)
    client.force_login(world.officer)
    page = client.get("/reports/area/thuy-nguyen/?period=2026-10").content.decode()
    assert page.count('<section class="card" data-section=') == 1 and 'data-section="reports"' in page
    assert 'href="?period=2026-10&amp;section=reports" aria-current="page"' in page
    assert 'href="?period=2026-10&amp;section=activities"' in page  # every app's section has its tab
    other = client.get("/reports/area/thuy-nguyen/?period=2026-10&section=activities").content.decode()
    assert 'data-section="activities"' in other and 'data-section="reports"' not in other
    assert client.get("/reports/area/thuy-nguyen/?period=2026-10&section=nothing").status_code == 404


def test_the_kept_head_shows_a_renamed_ward_at_once_and_stays_closed_to_other_officers(world, client):
    figure(world.school, OCT, "posted", 12)
    build(world)
    url = "/reports/area/thuy-nguyen/?period=2026-10"
    client.force_login(world.officer)
    assert "Phường Thủy Nguyên" in client.get(url).content.decode()
    ward = world.school.authority
    ward.name = "Phường Thủy Nguyên Mới"
    ward.save()
    assert "Phường Thủy Nguyên Mới" in client.get(url).content.decode()
    client.force_login(world.foreign_officer)
    assert client.get(url).status_code == 404


def test_a_large_province_lists_its_communes_and_each_commune_its_schools(world, client, ward_schools, monkeypatch):
    from reports import area

    hoa_mai, binh_minh = ward_schools
    for school, posted in ((world.school, 10), (hoa_mai, 20), (binh_minh, 30)):
        figure(school, OCT, "posted", posted)
    build(world)
    monkeypatch.setattr(area, "PROVINCE_SCHOOL_ROWS_MAX", 2)  # three schools: more than the province lists
    client.force_login(world.province_officer)
    page = client.get("/reports/area/hai-phong/?period=2026-10").content.decode()
    assert "Bình Minh" not in page and "Hoa Mai" not in page
    assert 'data-row="school"' not in page
    assert row_cells(page, all_of("Phường Thủy Nguyên"))[0] == "30"
    assert row_cells(page, all_of("Phường Lê Chân"))[0] == "30"
    assert row_cells(page, all_of("Thành phố Hải Phòng"))[0] == "60"
    assert "data-schools-folded" in page and 'href="/reports/area/le-chan/?period=2026-10"' in page
    # The commune's own view still lists its schools.
    client.force_login(world.officer)
    commune = client.get("/reports/area/thuy-nguyen/?period=2026-10").content.decode()
    assert row_cells(commune, "Hoa Mai")[0] == "20" and "data-schools-folded" not in commune
