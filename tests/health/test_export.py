"""A class's measurements as XLSX for the health station: the content read back with openpyxl, names only
with the guardians' consent, one read logged per child exported, and who may download it."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from health.models import HealthRead, Measurement
from health.services import measurement_record
from tests import factories as f

pytestmark = pytest.mark.django_db

HEADER_ROW = 4


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def url(world) -> str:
    return f"/health/classes/{world.classroom.pk}/export.xlsx"


def measure(world, child, day, weight="18.5", height="108.2", **extra):
    return measurement_record(
        by=world.nurse,
        child=child,
        measured_on=day,
        weight_kg=Decimal(weight),
        height_cm=Decimal(height),
        check_access=False,
        **extra,
    )[0]


@pytest.fixture
def lan(world):
    """A second child of Lá 1, whose guardian agreed to share her health records by name."""
    child = f.ChildFactory(classroom=world.classroom, full_name="Trần Ngọc Lan", sex="f")
    guardian = f.GuardianshipFactory(child=child).guardian
    f.ConsentFactory(child=child, guardian=guardian, purpose="health_sharing", granted=True)
    return child


@pytest.fixture
def measured(world, lan):
    measure(world, world.child, datetime.date(2026, 9, 20), muac_cm=Decimal("16.0"))
    measure(world, world.child, datetime.date(2026, 11, 20), weight="19.0", height="109.0")
    measure(world, lan, datetime.date(2026, 9, 20), weight="12.0", height="100.0")
    # Before the current school year (2026–2027 starts on 01/09/2026): not exported.
    measure(world, world.child, datetime.date(2026, 5, 10), weight="18.0", height="106.0")
    # Another class's child: not in Lá 1's export.
    measure(world, world.other_class_child, datetime.date(2026, 9, 20))
    return world


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.content)).active


def data_rows(sheet) -> list[tuple]:
    return [row for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if any(row)]


def test_the_export_holds_the_years_measurements_with_names_only_by_consent(client, measured, lan):
    client.force_login(measured.nurse)
    sheet = workbook(client.get(url(measured)))
    header = [cell.value for cell in sheet[HEADER_ROW]]
    assert header[:9] == [
        "Child's code",
        "Name",
        "Sex",
        "Date of birth",
        "Date",
        "Weight (kg)",
        "Height (cm)",
        "Position",
        "Arm circumference (cm)",
    ]
    assert "Reference" in header and "Levels" in header
    rows = data_rows(sheet)
    assert len(rows) == 3  # Khôi twice this year, Lan once; May's and Chồi 1's are not there
    by_child = {}
    for row in rows:
        by_child.setdefault(row[0], []).append(row)
    khoi = by_child[measured.child.code]
    # No consent for Khôi: his code only, no name anywhere in the file.
    assert all(row[1] in (None, "") for row in khoi)
    assert "Nguyễn Minh Khôi" not in str([list(r) for r in sheet.iter_rows(values_only=True)])
    assert by_child[lan.code][0][1] == "Trần Ngọc Lan"
    first = khoi[0]
    assert first[3] == datetime.datetime(2021, 5, 4)  # the date of birth stays: the station needs the age
    assert first[4] == datetime.datetime(2026, 9, 20)
    assert (first[5], first[6], first[8]) == (18.5, 108.2, 16.0)
    assert first[7] == "Standing (height)"
    stored = Measurement.objects.get(child=measured.child, measured_on=datetime.date(2026, 9, 20))
    assert first[12] == round(stored.z_bmi, 2) and first[10] == round(stored.z_hfa, 2)
    assert first[14] == "WHO Growth Reference 2007 (5–19 years)"
    # Real dates shown as dd/mm/yyyy, and column widths set.
    date_cell = sheet.cell(row=HEADER_ROW + 1, column=5)
    assert date_cell.is_date and date_cell.number_format == "DD/MM/YYYY"
    assert sheet.column_dimensions["B"].width == 26
    # The note line says why some children carry their code only.
    assert "1 of 2 children appears by the code only" in sheet["A2"].value


def test_levels_are_written_in_words(client, world):
    measure(world, world.child, datetime.date(2026, 10, 1), weight="11.5", height="100.0")  # thin for her age
    client.force_login(world.principal)
    row = data_rows(workbook(client.get(url(world))))[0]
    stored = Measurement.objects.get(child=world.child)
    assert stored.bmi_level in ("low", "severe_low")
    assert "BMI-for-age: " in row[13] and "thin" in row[13].lower()


def test_with_every_consent_the_note_says_so(client, world):
    measure(world, world.child, datetime.date(2026, 10, 1))
    f.ConsentFactory(child=world.child, guardian=world.parent, purpose="health_sharing", granted=True)
    client.force_login(world.nurse)
    sheet = workbook(client.get(url(world)))
    assert data_rows(sheet)[0][1] == "Nguyễn Minh Khôi"
    assert sheet["A2"].value.startswith("Every child's guardians agreed")


def test_a_withdrawn_consent_hides_the_name_again(client, world):
    measure(world, world.child, datetime.date(2026, 10, 1))
    f.ConsentFactory(child=world.child, guardian=world.parent, purpose="health_sharing", granted=True)
    f.ConsentFactory(child=world.child, guardian=world.parent, purpose="health_sharing", granted=False)
    client.force_login(world.nurse)
    assert data_rows(workbook(client.get(url(world))))[0][1] in (None, "")


def test_exporting_logs_one_read_per_child(client, measured, lan):
    client.force_login(measured.vice_principal)
    client.get(url(measured))  # warm the session and the user's access
    HealthRead.objects.all().delete()
    response = client.get(url(measured))
    assert response.status_code == 200
    reads = HealthRead.objects.filter(page=HealthRead.Page.EXPORT)
    assert sorted(reads.values_list("child_id", flat=True)) == sorted([measured.child.pk, lan.pk])
    assert {r.reader_id for r in reads} == {measured.vice_principal.pk}
    assert {r.reader_role for r in reads} == {"vice_principal"}


def test_the_export_runs_a_fixed_number_of_queries(client, world):
    client.force_login(world.nurse)
    measure(world, world.child, datetime.date(2026, 10, 1))
    client.get(url(world))

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url(world)).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in range(10):
        child = f.ChildFactory(classroom=world.classroom, full_name=f"Lê Bé {n}")
        measure(world, child, datetime.date(2026, 10, 1))
    assert count() == few


def test_an_empty_class_exports_a_sheet_with_its_header(client, world):
    client.force_login(world.nurse)
    sheet = workbook(client.get(url(world)))
    assert sheet.cell(row=HEADER_ROW, column=1).value == "Child's code"
    assert data_rows(sheet) == []
    assert not HealthRead.objects.exists()


@pytest.mark.parametrize(
    "persona",
    [
        "parent",
        "family_viewer",
        "teacher",
        "other_teacher",
        "accountant",
        "other_principal",
        "officer",
        "superuser",
        "deactivated_staff",
    ],
)
def test_nobody_else_exports(client, measured, persona):
    client.force_login(getattr(measured, persona))
    assert client.get(url(measured)).status_code == 404
    assert not HealthRead.objects.filter(page=HealthRead.Page.EXPORT).exists()


def test_anonymous_is_sent_to_sign_in_and_an_unknown_class_is_a_404(client, world):
    response = client.get(url(world))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(world.nurse)
    assert client.get("/health/classes/999999/export.xlsx").status_code == 404
    # Hoa Sen's class: not Sao Mai's nurse's.
    assert client.get(f"/health/classes/{world.foreign_classroom.pk}/export.xlsx").status_code == 404


def test_the_leaders_home_and_the_class_page_link_to_the_exchange(client, world):
    client.force_login(world.principal)
    home = client.get(f"/schools/{world.school.slug}/manage/").content.decode()
    assert f"/health/schools/{world.school.slug}/import/" in home
    page = client.get(f"/classes/{world.classroom.pk}/").content.decode()
    assert url(world) in page
    # The class's teacher sees the class page, without the export.
    client.force_login(world.teacher)
    page = client.get(f"/classes/{world.classroom.pk}/")
    assert page.status_code == 200 and url(world) not in page.content.decode()
