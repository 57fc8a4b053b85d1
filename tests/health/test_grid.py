"""Measuring day: a nurse or a class's teacher enters a class on the grid, row by row (the page's script)
or all at once (without JavaScript); flags, confirmations, bad input, access, queries and the nurse's
landing page."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from health.models import HealthRead, HealthSettings, Measurement, Place
from schools.models import school_today
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def grid_url(world, on: str = "") -> str:
    url = f"/health/classes/{world.classroom.pk}/measure/"
    return f"{url}?on={on}" if on else url


def row_url(world, child) -> str:
    return f"/health/classes/{world.classroom.pk}/measure/{child.pk}/"


def today_text() -> str:
    return school_today().strftime("%d/%m/%Y")


def row_post(client, world, child, **values):
    data = {"on": today_text(), "weight_kg": "", "height_cm": "", "position": "standing", "muac_cm": ""}
    data.update(values)
    return client.post(row_url(world, child), data)


@pytest.fixture
def nurse(client, world):
    client.force_login(world.nurse)
    return world.nurse


def measured(child, on, weight, height, **more):
    return Measurement.objects.create(
        school=child.school,
        child=child,
        measured_on=on,
        weight_kg=Decimal(weight),
        height_cm=Decimal(height),
        **more,
    )


# --- The grid page -----------------------------------------------------------------------------------------


def test_the_grid_lists_the_class_today_with_the_previous_measurement(client, world, nurse):
    before = school_today() - datetime.timedelta(days=90)
    measured(world.child, before, "17.2", "108.4")
    page = client.get(grid_url(world))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Nguyễn Minh Khôi" in text and world.child.code in text
    assert before.strftime("%d/%m/%Y") in text and "17,2 kg" in text and "108,4 cm" in text
    assert 'inputmode="decimal"' in text
    assert f'name="weight_kg-{world.child.pk}"' in text
    # Children of other classes and children who left are not on it.
    assert "Phạm Khánh Linh" not in text and "Vương Gia Huy" not in text
    # The script is a file of the site: no inline code (CSP).
    assert "js/health-grid.js" in text and "<script>" not in text


def test_the_grid_shows_the_age_and_the_position_of_the_age(client, world, nurse):
    baby = f.ChildFactory(
        classroom=world.classroom, full_name="Lê Bé Na", date_of_birth=school_today() - datetime.timedelta(days=500)
    )
    page = client.get(grid_url(world)).content.decode()
    # Khôi, born 4/5/2021, is standing; Na, 16 months old, is lying.
    row = page.split(f'name="position-{baby.pk}"')[1].split("</select>")[0]
    assert '<option value="lying" selected>' in row
    row = page.split(f'name="position-{world.child.pk}"')[1].split("</select>")[0]
    assert '<option value="standing" selected>' in row
    assert "1 y 4 m" in page


def test_the_grid_shows_the_values_of_the_day_and_the_day_asked(client, world, nurse):
    day = school_today() - datetime.timedelta(days=3)
    measured(world.child, day, "18.5", "110.0", muac_cm=Decimal("15.5"))
    for on in (day.strftime("%d/%m/%Y"), day.isoformat()):
        page = client.get(grid_url(world, on)).content.decode()
        assert 'value="18,5"' in page and 'value="110,0"' in page and 'value="15,5"' in page
    assert 'value="18,5"' not in client.get(grid_url(world)).content.decode()


def test_a_day_that_cannot_be_read_says_so_and_shows_today(client, world, nurse):
    page = client.get(grid_url(world, "31/02/2026")).content.decode()
    assert "is not a date: write it like 25/11/2026" in page
    assert today_text() in page


def test_viewing_the_grid_logs_a_read_of_each_child_once(client, world, nurse):
    other = f.ChildFactory(classroom=world.classroom, full_name="Trần Ngọc Lan")
    client.get(grid_url(world))
    reads = HealthRead.objects.filter(reader=world.nurse, page=HealthRead.Page.GRID)
    assert sorted(reads.values_list("child_id", flat=True)) == sorted([world.child.pk, other.pk])
    assert set(reads.values_list("reader_role", flat=True)) == {"nurse"}


# --- A row at a time ------------------------------------------------------------------------------------


def test_a_row_is_saved_with_a_decimal_comma_and_answers_the_z_scores(client, world, nurse):
    answer = row_post(client, world, world.child, weight_kg="17,5", height_cm="109,3", muac_cm="15,2")
    assert answer.status_code == 200
    data = answer.json()
    assert data["saved"] is True and data["errors"] == {}
    assert data["values"]["weight_kg"] == "17,5"
    assert "WHO Growth Reference 2007" in data["reference"]  # Khôi is over 5
    indicators = {r["indicator"]: r for r in data["results"]}
    assert set(indicators) >= {"hfa", "bmi"}
    assert indicators["bmi"]["words"] == "Normal"
    assert data["flags"] == [] and data["needs_confirmation"] is False
    assert "Saved" in data["status_html"]
    m = Measurement.objects.get(child=world.child)
    assert (m.weight_kg, m.height_cm, m.muac_cm) == (Decimal("17.5"), Decimal("109.3"), Decimal("15.2"))
    assert m.measured_on == school_today() and m.place == Place.SCHOOL
    assert m.measured_by == world.nurse and m.entered_by == world.nurse
    assert m.z_bmi is not None and m.flags == []


def test_a_second_entry_of_the_day_corrects_the_first(client, world, nurse):
    row_post(client, world, world.child, weight_kg="17,5", height_cm="109,3")
    row_post(client, world, world.child, weight_kg="17.8", height_cm="109,3")
    assert list(Measurement.objects.values_list("weight_kg", flat=True)) == [Decimal("17.8")]


def test_an_implausible_row_is_saved_flagged_and_confirmed(client, world, nurse):
    data = row_post(client, world, world.child, weight_kg="65", height_cm="108").json()
    assert data["saved"] is True and data["needs_confirmation"] is True
    codes = {flag["code"] for flag in data["flags"]}
    assert "bmi" in codes
    assert any("outside WHO's plausible range" in flag["message"] for flag in data["flags"])
    assert "Confirm these values" in data["status_html"]
    m = Measurement.objects.get(child=world.child)
    assert m.needs_confirmation and "bmi" in m.flags

    data = row_post(client, world, world.child, weight_kg="65", height_cm="108", confirm="1").json()
    assert data["saved"] is True and data["confirmed"] is True and data["needs_confirmation"] is False
    assert "Confirm these values" not in data["status_html"]
    m.refresh_from_db()
    assert m.confirmed_by == world.nurse and m.confirmed_at is not None and not m.needs_confirmation


def test_a_change_over_the_schools_threshold_is_flagged(client, world, nurse):
    HealthSettings.objects.create(school=world.school, weight_change_kg=Decimal("1.5"))
    measured(world.child, school_today() - datetime.timedelta(days=60), "17.0", "108.0")
    data = row_post(client, world, world.child, weight_kg="19,0", height_cm="108,5").json()
    assert data["saved"] is True and data["needs_confirmation"] is True
    assert [flag["code"] for flag in data["flags"]] == ["weight_change"]
    assert "more than the school's 1.5 kg" in data["flags"][0]["message"]
    # Corrected, the flag goes.
    data = row_post(client, world, world.child, weight_kg="17,9", height_cm="108,5").json()
    assert data["flags"] == [] and data["needs_confirmation"] is False
    assert Measurement.objects.get(child=world.child, measured_on=school_today()).flags == []


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"weight_kg": "0", "height_cm": "108"}, "weight_kg", "between 1 and 80 kg"),
        ({"weight_kg": "300", "height_cm": "108"}, "weight_kg", "between 1 and 80 kg"),
        ({"weight_kg": "17", "height_cm": "5"}, "height_cm", "between 40 and 160 cm"),
        ({"weight_kg": "1,250", "height_cm": "108"}, "weight_kg", "is ambiguous"),
        ({"weight_kg": "mười bảy", "height_cm": "108"}, "weight_kg", "is not a number"),
        ({"weight_kg": "17", "height_cm": "108", "muac_cm": "3"}, "muac_cm", "arm circumference"),
        ({}, "weight_kg", "Enter the weight, the height or both"),
    ],
)
def test_bad_values_get_a_message_and_nothing_is_saved(client, world, nurse, values, field, message):
    answer = row_post(client, world, world.child, **values)
    assert answer.status_code == 400
    data = answer.json()
    assert data["saved"] is False
    assert message in data["errors"][field]
    assert "Not saved" in data["status_html"] and message in data["status_html"]
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (lambda: (school_today() + datetime.timedelta(days=1)).strftime("%d/%m/%Y"), "The date is in the future."),
        (lambda: "01/01/2020", "The date is before the child was born."),
        (lambda: "yesterday", "is not a date"),
    ],
)
def test_a_bad_date_gets_a_message_and_nothing_is_saved(client, world, nurse, on, message):
    answer = row_post(client, world, world.child, on=on(), weight_kg="17", height_cm="108")
    assert answer.status_code == 400
    assert message in answer.json()["errors"]["measured_on"]
    assert not Measurement.objects.exists()


def test_a_child_who_left_or_of_another_class_cannot_be_measured_here(client, world, nurse):
    assert row_post(client, world, world.left_child, weight_kg="17").status_code == 404
    assert row_post(client, world, world.other_class_child, weight_kg="17").status_code == 404
    assert not Measurement.objects.exists()


def test_the_row_address_takes_only_posts(client, world, nurse):
    assert client.get(row_url(world, world.child)).status_code == 405


# --- The whole grid at once (without JavaScript) --------------------------------------------------------


@pytest.fixture
def class_of_three(world):
    lan = f.ChildFactory(classroom=world.classroom, full_name="Trần Ngọc Lan")
    minh = f.ChildFactory(classroom=world.classroom, full_name="Lê Quang Minh", sex="m")
    return [world.child, lan, minh]


def grid_data(children, rows: dict, **more) -> dict:
    data = {"on": today_text(), **more}
    for child in children:
        values = rows.get(child, {})
        for name in ("weight_kg", "height_cm", "muac_cm"):
            data[f"{name}-{child.pk}"] = values.get(name, "")
        data[f"position-{child.pk}"] = values.get("position", "standing")
    return data


def test_the_whole_grid_is_saved_at_once(client, world, nurse, class_of_three):
    khoi, lan, minh = class_of_three
    rows = {
        khoi: {"weight_kg": "17,5", "height_cm": "109,3"},
        lan: {"weight_kg": "16.4", "height_cm": "107,0", "muac_cm": "15"},
        minh: {"weight_kg": "18", "height_cm": "111,2"},
    }
    answer = client.post(grid_url(world), grid_data(class_of_three, rows), follow=True)
    assert answer.redirect_chain[-1][0].endswith(f"?on={today_text()}")
    assert "3 rows saved." in answer.content.decode()
    saved = {m.child_id: m for m in Measurement.objects.all()}
    assert saved[lan.pk].weight_kg == Decimal("16.4") and saved[lan.pk].muac_cm == Decimal("15.0")
    assert saved[minh.pk].height_cm == Decimal("111.2")
    assert {m.measured_by_id for m in saved.values()} == {world.nurse.pk}
    # Sent again unchanged, nothing is written again.
    stamps = {m.pk: m.updated_at for m in saved.values()}
    page = client.post(grid_url(world), grid_data(class_of_three, rows), follow=True).content.decode()
    assert "Nothing to save" in page
    assert {m.pk: m.updated_at for m in Measurement.objects.all()} == stamps


def test_the_grid_saves_the_valid_rows_and_shows_the_others_with_their_messages(client, world, nurse, class_of_three):
    khoi, lan, minh = class_of_three
    rows = {
        khoi: {"weight_kg": "17,5", "height_cm": "109,3"},
        lan: {"weight_kg": "300", "height_cm": "107"},
        minh: {"weight_kg": "18", "height_cm": "5"},
    }
    answer = client.post(grid_url(world), grid_data(class_of_three, rows))
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "1 row saved." in page and "2 rows were not saved" in page
    assert "between 1 and 80 kg" in page and "between 40 and 160 cm" in page
    # What was typed stays in the boxes to correct it.
    assert f'name="weight_kg-{lan.pk}" value="300"' in page
    assert list(Measurement.objects.values_list("child_id", flat=True)) == [khoi.pk]


def test_the_grid_shows_a_flagged_row_and_its_button_confirms_it(client, world, nurse, class_of_three):
    khoi, lan, minh = class_of_three
    rows = {khoi: {"weight_kg": "65", "height_cm": "108"}, lan: {"weight_kg": "16,4", "height_cm": "107"}}
    answer = client.post(grid_url(world), grid_data(class_of_three, rows))
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "1 row has values to check" in page
    assert "outside WHO&#x27;s plausible range" in page or "outside WHO's plausible range" in page
    assert f'name="confirm" value="{khoi.pk}"' in page
    assert Measurement.objects.get(child=khoi).needs_confirmation

    answer = client.post(grid_url(world), grid_data(class_of_three, rows, confirm=str(khoi.pk)))
    assert answer.status_code == 302
    m = Measurement.objects.get(child=khoi)
    assert not m.needs_confirmation and m.confirmed_by == world.nurse
    # The grid then shows it saved and confirmed, with its flag kept.
    page = client.get(grid_url(world)).content.decode()
    assert "Saved, values confirmed" in page and f'name="confirm" value="{khoi.pk}"' not in page


def test_a_flagged_row_of_the_day_shows_its_messages_on_the_grid(client, world, nurse):
    HealthSettings.objects.create(school=world.school, height_change_cm=Decimal("3.0"))
    measured(world.child, school_today() - datetime.timedelta(days=60), "17.0", "104.0")
    row_post(client, world, world.child, weight_kg="17,2", height_cm="109")
    page = client.get(grid_url(world)).content.decode()
    assert "The height grew by 5.0 cm since" in page and "Confirm these values" in page


# --- Access -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("nurse", 200),
        ("principal", 200),
        ("vice_principal", 200),
        ("teacher", 200),
        ("other_teacher", 404),
        ("foreign_teacher", 404),
        ("other_principal", 404),
        ("parent", 404),
        ("accountant", 404),
        ("officer", 404),
        ("deactivated_staff", 404),
        ("superuser", 404),
    ],
)
def test_who_may_open_the_grid_and_save_a_row(client, world, persona, status):
    client.force_login(world.persona(persona))
    assert client.get(grid_url(world)).status_code == status
    answer = row_post(client, world, world.child, weight_kg="17,5", height_cm="109")
    assert answer.status_code == status
    assert Measurement.objects.exists() is (status == 200)
    if status == 200:
        assert Measurement.objects.get().measured_by == world.persona(persona)


def test_a_stranger_is_sent_to_sign_in(client, world):
    assert client.get(grid_url(world))["Location"].startswith("/accounts/login/")
    assert row_post(client, world, world.child, weight_kg="17")["Location"].startswith("/accounts/login/")
    assert client.get("/health/")["Location"].startswith("/accounts/login/")
    assert not Measurement.objects.exists()


# --- Queries --------------------------------------------------------------------------------------------


def _class_measured(world, count: int) -> None:
    """The class with `count` children, each measured today and twice before."""
    day = school_today()
    for i in range(count - world.classroom.children.count()):
        f.ChildFactory(classroom=world.classroom, full_name=f"Nguyễn Bé {i:02d}")
    for child in world.classroom.children.all():
        measured(child, day - datetime.timedelta(days=180), "15.0", "101.0")
        measured(child, day - datetime.timedelta(days=90), "16.0", "105.0")
        measured(child, day, "17.0", "107.0")


def test_the_grid_runs_a_fixed_number_of_queries(client, world, nurse, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _class_measured(world, 1)
    client.get("/notifications/")  # the person's cached values in place (the grid's reads are counted)
    with CaptureQueriesContext(connection) as one:
        page = client.get(grid_url(world))
    assert page.content.decode().count("data-row ") == 1
    assert len(one) <= 12

    Measurement.objects.all().delete()
    _class_measured(world, 30)
    with django_assert_num_queries(len(one)):
        page = client.get(grid_url(world))
    text = page.content.decode()
    assert text.count("data-row ") == 30 and text.count('value="17,0"') == 30
    assert HealthRead.objects.filter(page=HealthRead.Page.GRID).count() == 1 + 30


def test_the_nurses_page_runs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.nurse)

    def count() -> int:
        client.get("/health/")  # the person's cached values in place
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/health/").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for classroom in (world.classroom, world.other_classroom):
        for i in range(5):
            child = f.ChildFactory(classroom=classroom, full_name=f"Trẻ {classroom.pk}-{i}")
            measured(child, school_today(), "17.0", "107.0", flags=["bmi"])
    assert count() == few


# --- The nurse's page and the links ---------------------------------------------------------------------


def test_the_nurse_lands_on_measuring_day_after_signing_in(client, world, nurse):
    assert client.get("/")["Location"] == "/health/"
    # And finds it in the top menu of every page.
    assert 'href="/health/"' in client.get("/notifications/").content.decode()


def test_another_schools_principal_sees_only_their_own_classes(client, world):
    client.force_login(world.other_principal)
    page = client.get("/health/").content.decode()
    assert "Chồi A" in page and "Lá 1" not in page
    assert "/health/schools/hoa-sen/follow-up/" in page


def test_the_nurses_page_lists_the_classes_with_their_latest_day(client, world, nurse):
    older = school_today() - datetime.timedelta(days=100)
    latest = school_today() - datetime.timedelta(days=5)
    lan = f.ChildFactory(classroom=world.classroom, full_name="Trần Ngọc Lan")
    measured(world.child, older, "16.0", "104.0")
    measured(lan, older, "16.0", "104.0")
    measured(world.child, latest, "17.0", "107.0", flags=["weight_change"])
    measured(world.left_child, latest, "17.0", "107.0")  # left: not counted
    page = client.get("/health/").content.decode()
    assert "Lá 1" in page and "Chồi 1" in page and "Mầm 1" in page
    assert f"/health/classes/{world.classroom.pk}/measure/" in page
    assert latest.strftime("%d/%m/%Y") in page
    assert "1 of 2" in page
    assert '<span class="badge no">1</span>' in page
    assert "/health/schools/sao-mai/follow-up/" in page
    assert "Chồi A" not in page  # another school's class


@pytest.mark.parametrize(("persona", "status"), [("principal", 200), ("teacher", 404), ("parent", 404)])
def test_who_may_open_the_nurses_page(client, world, persona, status):
    client.force_login(world.persona(persona))
    assert client.get("/health/").status_code == status


def test_the_class_page_links_to_the_grid_for_who_may_measure(client, world):
    link = f'href="/health/classes/{world.classroom.pk}/measure/"'
    client.force_login(world.teacher)
    assert link in client.get("/teacher/").content.decode()
    assert link in client.get(f"/classes/{world.classroom.pk}/").content.decode()
    client.force_login(world.principal)
    assert link in client.get(f"/classes/{world.classroom.pk}/").content.decode()
    home = client.get(f"/schools/{world.school.slug}/manage/").content.decode()
    assert 'href="/health/"' in home and "Measuring day" in home


def test_the_grid_for_a_teacher_leads_back_to_the_class(client, world):
    client.force_login(world.teacher)
    page = client.get(grid_url(world)).content.decode()
    assert f'href="/classes/{world.classroom.pk}/"' in page and 'href="/health/"' not in page


def test_a_nurse_of_a_school_without_classes_this_year_sees_it_said(client, world):
    school = f.SchoolFactory(name="Hướng Dương", slug="huong-duong")
    nurse = f.StaffFactory(school=school, role="nurse").user
    client.force_login(nurse)
    page = client.get("/health/")
    assert page.status_code == 200
    assert "Hướng Dương" in page.content.decode() and "No classes this school year." in page.content.decode()
