"""The health station's CSV import: the template, every bad input with its row and column (and nothing
saved), decimal commas, semicolons, the preview then the confirmation, and who may use it."""

from __future__ import annotations

import datetime
import html
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from health import importing
from health.models import Measurement, Place

pytestmark = pytest.mark.django_db

HEADER_EN = (
    "child code,date (dd/mm/yyyy),weight (kg),height (cm),position (lying/standing),arm circumference (cm),"
    "measured by,note"
)
HEADER_VI = (
    "Mã trẻ;Ngày đo (dd/mm/yyyy);Cân nặng (kg);Chiều cao (cm);Tư thế (nằm/đứng);Vòng cánh tay (cm);Người đo;Ghi chú"
)


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def codes(world):
    """Khôi is 00001 and Linh (Chồi 1) 00002 at Sao Mai; Ngọc at Hoa Sen is 00001 too; Huy (left) 00009."""
    for child, code in (
        (world.child, "00001"),
        (world.sibling, "AN-1"),
        (world.other_class_child, "00002"),
        (world.other_school_child, "00001"),
        (world.left_child, "00009"),
    ):
        child.code = code
        child.save(update_fields=["code"])
    return world


def url(world) -> str:
    return f"/health/schools/{world.school.slug}/import/"


def upload(client, world, text: str, name="station.csv", encoding="utf-8-sig"):
    data = text.encode(encoding) if isinstance(text, str) else text
    return client.post(url(world), {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def confirm(client, world, response):
    return client.post(url(world), {"confirm": "1", "digest": response.context["digest"]})


def problems(response) -> list[str]:
    return [str(p) for p in response.context["problems"]]


def check(world, text: str) -> list[str]:
    """The problems of a file, through the service (English messages)."""
    from django.utils import translation

    with translation.override("en"):
        result = importing.station_import(by=world.nurse, school_id=world.school.pk, data=text.encode("utf-8"))
        return [str(p) for p in result.problems]


# --- The template


def test_the_template_downloads_with_a_bom_and_imports_back_cleanly(client, codes):
    client.force_login(codes.nurse)
    response = client.get(url(codes) + "template.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == HEADER_EN
    # The example row names the code 00001 (Khôi): the template as downloaded is a valid file.
    previewed = upload(client, codes, response.content, name="template.csv", encoding=None)
    assert previewed.status_code == 200, problems(previewed) if previewed.context.get("problems") else ""
    assert "Nguyễn Minh Khôi" in previewed.content.decode()
    confirm(client, codes, previewed)
    m = Measurement.objects.get(child=codes.child)
    assert (m.measured_on, m.weight_kg, m.height_cm, m.muac_cm) == (
        datetime.date(2026, 10, 15),
        Decimal("18.5"),
        Decimal("108.2"),
        Decimal("16.0"),
    )


def test_the_vietnamese_template_has_vietnamese_headers_and_imports_back(client, codes, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.force_login(codes.nurse)
    response = client.get(url(codes) + "template.csv")
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("mã trẻ,ngày đo (dd/mm/yyyy),cân nặng (kg)")
    assert "đứng" in response.content.decode("utf-8-sig")
    result = importing.station_import(by=codes.nurse, school_id=codes.school.pk, data=response.content)
    assert result.ok and len(result.rows) == 1 and result.rows[0].position == "standing"


# --- Good files


def test_preview_then_confirm_saves_every_row_with_z_scores(client, codes):
    client.force_login(codes.nurse)
    text = "\n".join(
        [
            HEADER_EN,
            '00001,15/10/2026,"18,5","108,2",standing,,Y sĩ Lan,',
            "00002,15/10/2026,17.9,105.0,đứng,15.5,Y sĩ Lan,ốm nhẹ",
        ]
    )
    response = upload(client, codes, text)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Phạm Khánh Linh" in page and "00002" in page
    assert "W/A" in page
    assert not Measurement.objects.exists()  # the preview saves nothing

    done = confirm(client, codes, response)
    assert done.status_code == 302
    saved = {m.child_id: m for m in Measurement.objects.all()}
    assert set(saved) == {codes.child.pk, codes.other_class_child.pk}
    khoi = saved[codes.child.pk]
    assert khoi.weight_kg == Decimal("18.5") and khoi.height_cm == Decimal("108.2")
    assert khoi.place == Place.HEALTH_STATION and khoi.measured_by_name == "Y sĩ Lan"
    assert khoi.reference == "who2007"  # Khôi is 65 months old on 15/10/2026
    assert khoi.z_bmi is not None and khoi.z_hfa is not None and khoi.z_wfa is not None
    assert khoi.entered_by == codes.nurse
    linh = saved[codes.other_class_child.pk]
    assert linh.muac_cm == Decimal("15.5") and linh.note == "ốm nhẹ" and linh.position == "standing"
    follow = client.get(done["Location"])
    assert "2 measurements from the health station saved (2 new, 0 corrected)." in follow.content.decode()
    # The session no longer holds the file: confirming again is refused.
    again = client.post(url(codes), {"confirm": "1", "digest": response.context["digest"]})
    assert again.status_code == 302 and Measurement.objects.count() == 2


def test_a_semicolon_file_with_vietnamese_headers_and_decimal_commas(codes):
    text = "\n".join([HEADER_VI, "00001;15/10/2026;18,5;108,2;đứng;16,0;Y sĩ Lan;", "00002;1/10/2026;17;105;nằm;;;"])
    result = importing.station_import(by=codes.nurse, school_id=codes.school.pk, data=text.encode(), save=True)
    assert result.ok, [str(p) for p in result.problems]
    assert result.saved == 2
    khoi = Measurement.objects.get(child=codes.child)
    assert khoi.weight_kg == Decimal("18.5") and khoi.muac_cm == Decimal("16.0")
    linh = Measurement.objects.get(child=codes.other_class_child)
    assert linh.position == "lying" and linh.measured_on == datetime.date(2026, 10, 1)


def test_headers_in_any_case_and_without_diacritics(codes):
    text = "MA TRE,NGAY DO,CAN NANG,CHIEU CAO\n00001,15/10/2026,18.5,108.2\n"
    result = importing.station_import(by=codes.nurse, school_id=codes.school.pk, data=text.encode())
    assert result.ok
    assert result.rows[0].position == "standing"  # empty: standing after 2 years


def test_an_existing_measurement_of_the_day_is_corrected_not_doubled(codes):
    from health.services import measurement_record

    measurement_record(
        by=codes.nurse,
        child=codes.child,
        measured_on=datetime.date(2026, 10, 15),
        weight_kg=Decimal("15.0"),
        height_cm=Decimal("108.0"),
    )
    text = f"{HEADER_EN}\n00001,15/10/2026,18.5,108.2,standing,,Trạm y tế,\n"
    result = importing.station_import(by=codes.nurse, school_id=codes.school.pk, data=text.encode(), save=True)
    assert (result.created, result.updated) == (0, 1)
    m = Measurement.objects.get(child=codes.child)
    assert m.weight_kg == Decimal("18.5") and m.place == Place.HEALTH_STATION and m.measured_by_name == "Trạm y tế"
    assert m.z_wfa is not None


def test_z_scores_are_computed_in_one_pass(codes, monkeypatch):
    from health import growth

    calls = []
    real = growth.growth_compute_many
    monkeypatch.setattr(growth, "growth_compute_many", lambda rows: calls.append(len(rows)) or real(rows))
    monkeypatch.setattr(growth, "growth_compute", lambda row: pytest.fail("computed row by row"))
    rows = ["00001,15/10/2026,18.5,108.2,,,,", "00002,15/10/2026,17.9,105,,,,", "00001,01/11/2026,18.6,108.5,,,,"]
    text = "\n".join([HEADER_EN, *rows])
    result = importing.station_import(by=codes.nurse, school_id=codes.school.pk, data=text.encode(), save=True)
    assert result.saved == 3 and calls == [3]
    computed = Measurement.objects.get(child=codes.child, measured_on=datetime.date(2026, 11, 1))
    expected = real(
        [
            growth.Row(
                sex="f",
                born=codes.child.date_of_birth,
                measured_on=computed.measured_on,
                weight_kg=Decimal("18.6"),
                height_cm=Decimal("108.5"),
            )
        ]
    )[0]
    assert computed.z_bmi == expected.z["bmi"]


def test_a_large_change_since_the_previous_measurement_is_flagged(codes):
    text = f"{HEADER_EN}\n00001,15/09/2026,18.5,108.2,,,,\n00001,15/10/2026,22.0,108.4,,,,\n"
    result = importing.station_import(by=codes.nurse, school_id=codes.school.pk, data=text.encode(), save=True)
    assert result.ok
    later = Measurement.objects.get(child=codes.child, measured_on=datetime.date(2026, 10, 15))
    assert "weight_change" in later.flags and later.confirmed_at is None


def test_a_child_who_left_is_matched_for_a_date_before_leaving(codes):
    ok = f"{HEADER_EN}\n00009,20/05/2026,19,110,,,,\n"
    assert check(codes, ok) == []
    late = f"{HEADER_EN}\n00009,01/06/2026,19,110,,,,\n"
    assert check(codes, late) == ["Row 2, column “date”: the child left the school on 29/05/2026, before this date."]


# --- Bad input: every problem with its row and column, nothing saved


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("00001,15/10/2026,0,108,,,,", "Row 2, column “weight (kg)”: A child's weight is between 1 and 80 kg"),
        ("00001,15/10/2026,300,108,,,,", "Row 2, column “weight (kg)”: A child's weight is between 1 and 80 kg"),
        ("00001,15/10/2026,18,5,,,,", "Row 2, column “height (cm)”: A child's height is between 40 and 160 cm"),
        ("00001,15/10/2099,18,108,,,,", "Row 2, column “date”: The date is in the future."),
        ("00001,15/10/2020,18,108,,,,", "Row 2, column “date”: The date is before the child was born."),
        ("00001,31/02/2026,18,108,,,,", "Row 2, column “date”: “31/02/2026” is not a date"),
        ("00001,2026/10/15,18,108,,,,", "Row 2, column “date”: “2026/10/15” is not a date"),
        ("00001,,18,108,,,,", "Row 2, column “date”: enter the date of the measurement"),
        ('00001,15/10/2026,"1,250",108,,,,', "Row 2, column “weight (kg)”: “1,250” is ambiguous"),
        ("00001,15/10/2026,abc,108,,,,", "Row 2, column “weight (kg)”: “abc” is not a number"),
        ("00001,15/10/2026,,,,,,", "Row 2, column “weight (kg)”: Enter the weight, the height or both."),
        ("00001,15/10/2026,18,108,sitting,,,", "Row 2, column “position”: “sitting” is not a position"),
        ("00001,15/10/2026,18,108,,3,,", "Row 2, column “arm circumference (cm)”: An arm circumference is"),
        ("00077,15/10/2026,18,108,,,,", "Row 2, column “child's code”: no child of this school has the code “00077”."),
        (",15/10/2026,18,108,,,,", "Row 2, column “child's code”: enter the child's code."),
    ],
)
def test_each_bad_value_is_reported_with_its_row_and_column(codes, rows, expected):
    found = check(codes, f"{HEADER_EN}\n00002,15/10/2026,17.9,105,,,,\n{rows.replace('Row 2', 'Row 3')}\n")
    assert len(found) == 1, found
    assert found[0].startswith(expected.replace("Row 2", "Row 3")), found
    assert not Measurement.objects.exists()


def test_every_problem_of_the_file_is_listed_and_nothing_is_saved(client, codes):
    client.force_login(codes.nurse)
    text = "\n".join(
        [
            HEADER_EN,
            "00001,15/10/2026,18.5,108.2,,,,",  # right
            "00001,15/10/2026,18.6,108.3,,,,",  # the same child and day again
            "00077,15/10/2026,abc,108,,,,",  # unknown code and not a number
            '00002,15/10/2099,"1,250",5,,,,',  # future date, ambiguous weight, height out of range
        ]
    )
    response = upload(client, codes, text)
    assert response.status_code == 400
    found = problems(response)
    assert "Row 3, column “date”: row 2 already gives this child's measurement of 15/10/2026." in found
    assert "Row 4, column “child's code”: no child of this school has the code “00077”." in found
    assert any(p.startswith("Row 4, column “weight (kg)”: “abc” is not a number") for p in found)
    assert "Row 5, column “date”: The date is in the future." in found
    assert any(p.startswith("Row 5, column “weight (kg)”: “1,250” is ambiguous") for p in found)
    assert any(p.startswith("Row 5, column “height (cm)”:") for p in found)
    assert len(found) == 6
    page = response.content.decode()
    assert "Nothing was saved from “station.csv”" in page
    assert "no child of this school has the code “00077”." in page
    assert not Measurement.objects.exists()
    assert "digest" not in response.context


def test_a_code_of_another_school_is_unknown(codes):
    # Ngọc at Hoa Sen has 00002? No: give Hoa Sen's child a code Sao Mai does not use.
    codes.other_school_child.code = "00555"
    codes.other_school_child.save(update_fields=["code"])
    found = check(codes, f"{HEADER_EN}\n00555,15/10/2026,18,108,,,,\n")
    assert found == ["Row 2, column “child's code”: no child of this school has the code “00555”."]
    # And Sao Mai's 00001 is Khôi, never Hoa Sen's 00001.
    result = importing.station_import(
        by=codes.nurse, school_id=codes.school.pk, data=f"{HEADER_EN}\n00001,15/10/2026,18,108,,,,\n".encode()
    )
    assert result.rows[0].child == codes.child


def test_names_are_never_matched(codes):
    found = check(codes, f"{HEADER_EN}\nNguyễn Minh Khôi,15/10/2026,18,108,,,,\n")
    assert found == ["Row 2, column “child's code”: no child of this school has the code “Nguyễn Minh Khôi”."]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("child code,date,weight (kg)", "Row 1, column “height (cm)”: this column is missing from the header."),
        (
            "child code,date,weight,height,shoe size",
            "Row 1: the column “shoe size” is not one of the template's.",
        ),
        (
            "child code,date,weight,height,weight",
            "Row 1, column “weight (kg)”: this column appears twice in the header.",
        ),
    ],
)
def test_a_wrong_header_is_reported(codes, header, expected):
    assert check(codes, f"{header}\n00001,15/10/2026,18,108\n") == [expected]
    assert not Measurement.objects.exists()


def test_a_header_with_no_known_column_reports_every_missing_one(codes):
    found = check(codes, "name,age\nKhôi,5\n")
    assert "Row 1, column “child's code”: this column is missing from the header." in found
    assert "Row 1, column “date”: this column is missing from the header." in found


def test_a_file_that_is_not_utf8_is_refused_clearly(client, codes):
    client.force_login(codes.nurse)
    text = f"{HEADER_EN}\n00001,15/10/2026,18,108,,,Y tá Hương,\n"
    response = upload(client, codes, text, encoding="cp1258")
    assert response.status_code == 400
    assert problems(response) == [
        "The file is not in UTF-8, so its Vietnamese letters cannot be read: in Excel, save it as "
        "“CSV UTF-8 (comma delimited)”."
    ]
    assert not Measurement.objects.exists()


def test_a_file_without_bom_is_read_too(codes):
    result = importing.station_import(
        by=codes.nurse, school_id=codes.school.pk, data=f"{HEADER_EN}\n00001,15/10/2026,18,108,,,Hương,\n".encode()
    )
    assert result.ok


def test_a_spreadsheet_or_binary_file_is_not_a_csv(client, codes):
    client.force_login(codes.nurse)
    xlsx = upload(client, codes, b"PK\x03\x04rest of a zip", name="station.xlsx", encoding=None)
    assert xlsx.status_code == 400
    assert problems(xlsx)[0].startswith("This is a spreadsheet, not a CSV file")
    binary = upload(client, codes, b"\x00\x01\x02\x03", name="station.csv", encoding=None)
    assert problems(binary) == ["This is not a CSV file: save the list as “CSV UTF-8” and send that file."]
    pdf = upload(client, codes, b"%PDF-1.4", name="station.pdf", encoding=None)
    assert problems(pdf) == ["This is not a CSV file: save the list as “CSV UTF-8” and send that file."]
    assert not Measurement.objects.exists()


def test_an_empty_file_or_one_without_rows(client, codes):
    client.force_login(codes.nurse)
    assert problems(upload(client, codes, b"", encoding=None)) == ["The file is empty."]
    assert problems(upload(client, codes, HEADER_EN + "\n")) == ["The file has a header but no rows."]
    no_file = client.post(url(codes), {})
    assert no_file.status_code == 400 and problems(no_file) == ["Choose the CSV file to import."]


def test_confirmation_checks_again_and_saves_nothing_if_a_row_went_wrong(client, codes):
    client.force_login(codes.nurse)
    response = upload(client, codes, f"{HEADER_EN}\n00001,15/10/2026,18,108,,,,\n00002,15/10/2026,17,105,,,,\n")
    assert response.status_code == 200
    # Between the preview and the confirmation, Linh's code changes.
    codes.other_class_child.code = "00003"
    codes.other_class_child.save(update_fields=["code"])
    done = confirm(client, codes, response)
    assert done.status_code == 400
    assert problems(done) == ["Row 3, column “child's code”: no child of this school has the code “00002”."]
    assert not Measurement.objects.exists()


def test_a_confirmation_for_another_file_is_refused(client, codes):
    client.force_login(codes.nurse)
    upload(client, codes, f"{HEADER_EN}\n00001,15/10/2026,18,108,,,,\n")
    done = client.post(url(codes), {"confirm": "1", "digest": "0" * 64})
    assert done.status_code == 302
    assert "This file's preview has expired: send the file again." in html.unescape(
        client.get(url(codes)).content.decode()
    )
    assert not Measurement.objects.exists()


def test_the_page_and_problems_in_vietnamese_are_translated_strings(client, codes, settings):
    """The page answers in the reader's language (the texts are marked for translation)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.force_login(codes.principal)
    page = client.get(url(codes))
    assert page.status_code == 200
    assert page.context["school"] == codes.school


@pytest.mark.parametrize("persona", ["nurse", "principal", "vice_principal"])
def test_the_health_staff_import(client, codes, persona):
    client.force_login(getattr(codes, persona))
    response = upload(client, codes, f"{HEADER_EN}\n00001,15/10/2026,18,108,,,,\n")
    assert response.status_code == 200
    assert confirm(client, codes, response).status_code == 302
    assert Measurement.objects.filter(child=codes.child).count() == 1


@pytest.mark.parametrize(
    "persona",
    [
        "parent",
        "teacher",
        "other_teacher",
        "accountant",
        "other_principal",
        "officer",
        "superuser",
        "deactivated_staff",
    ],
)
def test_nobody_else_sees_or_imports(client, codes, persona):
    client.force_login(getattr(codes, persona))
    assert client.get(url(codes)).status_code == 404
    assert client.get(url(codes) + "template.csv").status_code == 404
    assert upload(client, codes, f"{HEADER_EN}\n00001,15/10/2026,18,108,,,,\n").status_code == 404
    assert not Measurement.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, codes):
    response = client.get(url(codes))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_unknown_school_is_a_404(client, codes):
    client.force_login(codes.nurse)
    assert client.get("/health/schools/no-such-school/import/").status_code == 404


def test_delimiter_detection():
    assert importing.delimiter_of("a;b;c") == ";"
    assert importing.delimiter_of("a,b,c") == ","
    assert importing.delimiter_of('"a,b";c;d') == ";"


def test_an_unquoted_decimal_comma_in_a_comma_file_is_explained(codes):
    found = check(codes, "child code,date,weight,height\n00001,15/10/2026,18,5,108,2\n")
    assert found == [
        "Row 2: this row has more cells than the header has columns: a decimal comma in a file whose columns "
        'are separated by commas needs quotes ("18,5"); or separate the columns with semicolons.'
    ]


def test_a_long_file_previews_its_flagged_rows_and_its_first_rows(client, codes, monkeypatch):
    from health import views_exchange

    monkeypatch.setattr(views_exchange, "PREVIEW_ROWS", 2)
    client.force_login(codes.nurse)
    rows = [
        "00001,15/09/2026,18.5,108.2,,,,",
        "00002,15/09/2026,17.9,105,,,,",
        "00001,15/10/2026,23.0,108.4,,,,",  # 4.5 kg more in a month: flagged
    ]
    response = upload(client, codes, "\n".join([HEADER_EN, *rows]))
    assert response.status_code == 200
    assert [row.number for row in response.context["preview"]] == [2, 4]
    assert "3 measurements are ready to save" in html.unescape(response.content.decode())
    confirm(client, codes, response)
    assert Measurement.objects.count() == 3
