"""The follow-up list, follow-up plans, the summary pages and the authorities' counts."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from health.models import FollowUpPlan, HealthRead
from tests import factories as f
from tests.health.followup_makers import HIGH, LOW, SEVERE, VERY_HIGH, measure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(world):
    """Pages in English, the language the messages are written in (the Vietnamese is added later)."""
    for person in (world.nurse, world.principal, world.teacher, world.officer, world.province_officer):
        person.language = "en"
        person.save(update_fields=["language"])


D = datetime.date


def follow_up_url(world):
    return f"/health/schools/{world.school.slug}/follow-up/"


def plan_url(child):
    return f"/health/children/{child.pk}/follow-up/"


def shown_children(response) -> list[int]:
    import re

    return [int(pk) for pk in re.findall(r'data-child="(\d+)"', response.content.decode())]


# --- The follow-up list ---------------------------------------------------------------------------


def test_the_list_shows_children_outside_normal_or_with_a_plan_most_severe_first(world, client):
    mild = f.ChildFactory(classroom=world.classroom, full_name="Lê Thừa Cân")
    recovered = f.ChildFactory(classroom=world.classroom, full_name="Trần Đã Khỏe")
    planned = f.ChildFactory(classroom=world.classroom, full_name="Phan Có Kế Hoạch")
    measure(world.child, D(2026, 10, 1), wfa=SEVERE, hfa=LOW)  # the most severe
    measure(world.other_class_child, D(2026, 10, 1), wfh=VERY_HIGH)
    measure(mild, D(2026, 10, 1), wfh=HIGH)
    measure(recovered, D(2026, 9, 10), wfa=LOW)
    measure(recovered, D(2026, 11, 10))  # the latest is normal: not listed
    measure(planned, D(2026, 10, 1))
    FollowUpPlan.objects.create(school=world.school, child=planned, notes="Theo dõi ăn uống")
    measure(world.other_school_child, D(2026, 10, 1), wfa=SEVERE)  # another school

    client.force_login(world.nurse)
    response = client.get(follow_up_url(world))

    assert response.status_code == 200
    assert shown_children(response) == [world.child.pk, world.other_class_child.pk, mild.pk, planned.pk]
    page = response.content.decode()
    assert "Severely underweight" in page and "Stunted" in page and "Obese" in page
    assert f'href="/health/children/{world.child.pk}/"' in page
    assert f'href="/health/children/{planned.pk}/follow-up/"' in page
    assert "Trần Đã Khỏe" not in page and "Ngô Bảo Ngọc" not in page
    reads = HealthRead.objects.filter(reader=world.nurse, page=HealthRead.Page.FOLLOW_UP)
    assert sorted(reads.values_list("child_id", flat=True)) == sorted(shown_children(response))


def test_a_flagged_latest_measurement_is_marked_to_confirm(world, client):
    measure(world.child, D(2026, 10, 1), wfa=SEVERE, flags=["wfa"])
    client.force_login(world.principal)
    page = client.get(follow_up_url(world)).content.decode()
    assert "to confirm" in page


def test_the_list_runs_a_fixed_number_of_queries(world, client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    measure(world.child, D(2026, 10, 1), wfa=LOW)
    client.force_login(world.nurse)
    with CaptureQueriesContext(connection) as one:
        assert len(shown_children(client.get(follow_up_url(world)))) == 1
    for n in range(12):
        child = f.ChildFactory(classroom=world.other_classroom, full_name=f"Bé Số {n}")
        measure(child, D(2026, 10, 1), hfa=LOW)
        if n % 3 == 0:
            FollowUpPlan.objects.create(school=world.school, child=child, notes="Cân lại")
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(shown_children(client.get(follow_up_url(world)))) == 13


# --- Plans --------------------------------------------------------------------------------------------


def test_the_nurse_opens_updates_and_closes_a_plan(world, client):
    client.force_login(world.nurse)
    next_day = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        plan_url(world.child),
        {"action": "save", "notes": "Thêm sữa bữa phụ", "next_measurement_on": next_day.strftime("%d/%m/%Y")},
    )
    assert response.status_code == 302
    plan = FollowUpPlan.objects.get(child=world.child)
    assert (plan.notes, plan.next_measurement_on, plan.opened_by, plan.closed_at) == (
        "Thêm sữa bữa phụ",
        next_day,
        world.nurse,
        None,
    )

    client.post(plan_url(world.child), {"action": "save", "notes": "Cân lại mỗi tháng", "next_measurement_on": ""})
    plan.refresh_from_db()
    assert FollowUpPlan.objects.filter(child=world.child).count() == 1
    assert (plan.notes, plan.next_measurement_on) == ("Cân lại mỗi tháng", None)

    page = client.get(follow_up_url(world)).content.decode()
    assert world.child.full_name in page  # an open plan is on the list, even with no measurement

    client.post(plan_url(world.child), {"action": "close"})
    plan.refresh_from_db()
    assert plan.closed_at is not None and plan.closed_by == world.nurse
    page = client.get(plan_url(world.child)).content.decode()
    assert "Earlier plans" in page and "Cân lại mỗi tháng" in page
    assert world.child.full_name not in client.get(follow_up_url(world)).content.decode()
    assert HealthRead.objects.filter(reader=world.nurse, child=world.child, page=HealthRead.Page.FOLLOW_UP).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"notes": "  "}, "Write what the plan is"),
        ({"notes": "Cân lại", "next_measurement_on": "01/01/2020"}, "The next measurement is today or a later day."),
        ({"notes": "Cân lại", "next_measurement_on": "31/02/2027"}, "Enter a date as dd/mm/yyyy."),
    ],
)
def test_a_bad_plan_is_refused_with_a_message_and_nothing_saved(world, client, data, message):
    client.force_login(world.principal)
    response = client.post(plan_url(world.child), {"action": "save", **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FollowUpPlan.objects.exists()


def test_a_teacher_cannot_write_a_plan(world, client):
    client.force_login(world.teacher)
    response = client.post(plan_url(world.child), {"action": "save", "notes": "Cân lại"})
    assert response.status_code == 404
    assert not FollowUpPlan.objects.exists()


# --- Summary pages --------------------------------------------------------------------------------


def class_summary_url(classroom):
    return f"/health/classes/{classroom.pk}/summary/"


def test_the_class_teacher_sees_the_class_summary_and_each_read_is_logged(world, client):
    measure(world.child, D(2026, 10, 1), wfa=LOW)
    client.force_login(world.teacher)
    response = client.get(class_summary_url(world.classroom))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Underweight (suy dinh dưỡng thể nhẹ cân)" in page
    assert world.child.full_name in page
    assert "Follow-up list" not in page  # the school's pages are the nurse's and the leaders'
    read = HealthRead.objects.get(reader=world.teacher)
    assert (read.child, read.page) == (world.child, HealthRead.Page.SUMMARY)
    client.force_login(world.other_teacher)
    assert client.get(class_summary_url(world.classroom)).status_code == 404


def test_the_class_summary_runs_a_fixed_number_of_queries(world, client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    measure(world.child, D(2026, 10, 1), wfa=LOW)
    client.force_login(world.nurse)
    with CaptureQueriesContext(connection) as one:
        assert len(shown_children(client.get(class_summary_url(world.classroom)))) == 1
    for n in range(15):
        child = f.ChildFactory(classroom=world.classroom, full_name=f"Bé Số {n}")
        measure(child, D(2026, 10, 1), hfa=LOW)
        measure(child, D(2026, 12, 2), flags=["weight_change"])
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(shown_children(client.get(class_summary_url(world.classroom)))) == 16


def test_the_school_summary_has_a_row_per_class_with_a_link(world, client):
    measure(world.child, D(2026, 10, 1), wfa=LOW)
    measure(world.other_class_child, D(2026, 12, 5), wfa=LOW)
    client.force_login(world.principal)
    page = client.get(f"/health/schools/{world.school.slug}/summary/?third=1").content.decode()
    assert f'href="/health/classes/{world.classroom.pk}/summary/"' in page
    assert f'href="/health/classes/{world.other_classroom.pk}/summary/"' in page
    assert world.child.full_name not in page  # counts only
    page = client.get(f"/health/schools/{world.school.slug}/summary/?third=2").content.decode()
    assert "<strong>Middle of the year</strong>" in page


# --- Authorities ----------------------------------------------------------------------------------


def cells(page: str, school_slug: str, category: str) -> list[str]:
    import re

    section = page.split(f'data-school="{school_slug}"', 1)[1].split("</section>", 1)[0]
    row = re.search(rf'data-category="{category}">(.*?)</tr>', section, re.S).group(1)
    return [c.strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]


def test_authorities_see_school_counts_with_small_counts_suppressed(world, client):
    for n in range(6):
        child = f.ChildFactory(classroom=world.classroom, full_name=f"Bé Thấp Còi {n}")
        measure(child, D(2026, 10, 1), hfa=LOW)  # six stunted at the start: shown
        if n < 2:
            measure(child, D(2026, 12, 10), hfa=LOW)  # two in the middle: "< 5"
    client.force_login(world.officer)
    response = client.get("/health/authorities/thuy-nguyen/")
    assert response.status_code == 200
    page = response.content.decode()
    assert cells(page, "sao-mai", "stunted") == ["6", "&lt; 5", "0"]
    assert cells(page, "sao-mai", "obese") == ["0", "0", "0"]
    assert "Hoa Sen" not in page
    for name in (*world.SAO_MAI_CHILDREN, "Bé Thấp Còi", "Lá 1", "Chồi 1"):
        assert name not in page

    client.force_login(world.province_officer)
    assert cells(client.get("/health/authorities/hai-phong/").content.decode(), "sao-mai", "stunted")[0] == "6"
    client.force_login(world.foreign_officer)
    assert client.get("/health/authorities/thuy-nguyen/").status_code == 404
    client.force_login(world.principal)
    assert client.get("/health/authorities/thuy-nguyen/").status_code == 404


def test_a_small_count_cannot_be_worked_out_from_the_authoritys_totals(world, client):
    hoa_mai = f.SchoolFactory(authority=world.school.authority, name="Hoa Mai", slug="hoa-mai")
    f.SchoolYearFactory(school=hoa_mai, starts_on=world.classroom.school_year.starts_on, is_current=True)
    for school, classroom, count in ((world.school, world.classroom, 3), (hoa_mai, None, 10)):
        classroom = classroom or f.ClassroomFactory(school=school, school_year=school.years.get(is_current=True))
        for n in range(count):
            measure(f.ChildFactory(classroom=classroom, full_name=f"Bé {school.name} {n}"), D(2026, 10, 1), hfa=LOW)
    for officer, slug in ((world.officer, "thuy-nguyen"), (world.province_officer, "hai-phong")):
        client.force_login(officer)
        page = client.get(f"/health/authorities/{slug}/").content.decode()
        assert cells(page, "sao-mai", "stunted")[0] == "&lt; 5"
        assert cells(page, "hoa-mai", "stunted")[0] == "x"  # else the total, 13, gives Sao Mai's 3 away
        assert cells(page, "all", "stunted")[0] == "13"


def test_a_child_of_another_school_has_no_plan_page_here(world, client):
    client.force_login(world.nurse)
    url = plan_url(world.other_school_child)
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "save", "notes": "Cân lại"}).status_code == 404
    assert not FollowUpPlan.objects.exists()
    assert client.get(f"/health/schools/{world.other_school.slug}/follow-up/").status_code == 404
    assert client.get(class_summary_url(world.foreign_classroom)).status_code == 404
