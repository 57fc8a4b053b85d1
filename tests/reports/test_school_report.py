"""A school's report as its leaders read it: sums over a month, a term and a year, rates against their
target, the per-class table, charts, how fresh it is, the PDF and the workbook; and nobody else reads it."""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from reports import periods, selectors
from reports.models import Figure
from schools.models import school_today
from tests.reports.makers_school import (  # noqa: F401 (autouse fixtures)
    GIVING,
    PARTICIPATION,
    PARTICIPATION_KEY,
    fake_sections,
    figure,
    read_in_english,
    school_report_sections,
    term_one_figures,
)

pytestmark = pytest.mark.django_db

URL = "/reports/schools/sao-mai/"


def _report(world, key: str):
    return selectors.school_report(school=world.school, period=periods.parse(key))


def _metric(report, key: str):
    section = report.sections[0]
    return next(metric for metric in section.metrics if metric.key == key)


def _rate(report):
    return report.sections[0].rates[0]


# --- Sums over the period


def test_a_month_shows_its_own_figures(world):
    term_one_figures(world.school)
    report = _report(world, "2026-10")
    assert [_metric(report, key).value for key in ("posted", "expected", "answered", "children")] == [6, 20, 11, 32]
    assert _rate(report).percent == 55.0 and _rate(report).band == "below"


def test_a_term_sums_its_months_and_takes_the_last_stock(world):
    term_one_figures(world.school)
    report = _report(world, "2026-t1")
    assert _metric(report, "posted").value == 15
    assert _metric(report, "answered").value == 39
    # November has no figure of children on the portal: October's is the term's.
    assert _metric(report, "children").value == 32
    rate = _rate(report)
    assert rate.percent == 65.0 and rate.band == "within" and rate.target == (60, 70)
    assert [point.percent for point in rate.trend] == [None, 65.0, 55.0, 75.0, None]


def test_a_school_year_adds_both_terms(world):
    term_one_figures(world.school)
    figure(world.school, "2027-01", PARTICIPATION_KEY, "posted", 2)
    figure(world.school, "2027-01", PARTICIPATION_KEY, "children", 35)
    year = _report(world, "2026")
    assert _metric(year, "posted").value == 17 and _metric(year, "children").value == 35
    term_two = _report(world, "2026-t2")
    assert _metric(term_two, "posted").value == 2 and _metric(term_two, "answered").value is None
    assert _rate(term_two).percent is None  # nothing to divide by: no rate, not zero


def test_another_schools_figures_are_not_counted(world):
    term_one_figures(world.school)
    figure(world.other_school, "2026-10", PARTICIPATION_KEY, "posted", 100)
    assert _metric(_report(world, "2026-10"), "posted").value == 6


# --- The page


def test_the_principal_reads_every_section_with_rates_target_classes_and_charts(client, world):
    term_one_figures(world.school)
    client.force_login(world.principal)
    response = client.get(URL, {"period": "2026-t1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Home activities") < page.index("Contributions")  # the sections' order
    assert "65 %" in page and "60–70 %" in page and "within the target" in page
    assert "Lá 1" in page and "Chồi 1" in page and "Lò nướng cho bếp" in page
    assert "1.500.000\u00a0₫" in page
    # Charts drawn on the server, each named for screen readers, and the data as a table too.
    assert page.count('<svg class="chart') == 3  # the answer rate month by month, bars per class, bars per campaign
    assert re.search(r'<svg[^>]+role="img"[^>]+aria-labelledby="[^"]+-title [^"]+-desc"', page)
    assert "<title id=" in page and "<desc id=" in page
    assert "Answer rate month by month" in page and "<script" not in page.split("<main", 1)[1]
    assert "Download as PDF" in page and "Submit this term's report" in page


def test_the_vice_principal_reads_it_too(client, world):
    term_one_figures(world.school)
    client.force_login(world.vice_principal)
    assert client.get(URL, {"period": "2026-t1"}).status_code == 200


def test_a_period_without_figures_says_so(client, world):
    term_one_figures(world.school)
    client.force_login(world.principal)
    response = client.get(URL, {"period": "2025-t2"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There are no figures for Term II, 2025–2026 yet." in page
    assert 'data-section="' not in page and "Download as PDF" not in page


def test_a_period_that_is_not_one_is_told(client, world):
    client.force_login(world.principal)
    response = client.get(URL, {"period": "2026-t3"})
    assert response.status_code == 400
    assert "is not a period the report knows" in response.content.decode()


def test_the_current_period_says_how_fresh_its_figures_are(client, world):
    today = school_today()
    zone = timezone.get_default_timezone()
    this_month = f"{today:%Y-%m}"
    early = datetime.datetime.combine(today, datetime.time(1, 30), tzinfo=zone)
    later = datetime.datetime.combine(today, datetime.time(2, 45), tzinfo=zone)
    figure(world.school, this_month, PARTICIPATION_KEY, "posted", 3, computed_at=later)
    figure(world.school, this_month, PARTICIPATION_KEY, "expected", 9, computed_at=early)
    client.force_login(world.principal)
    page = client.get(URL, {"period": this_month}).content.decode()
    assert "Figures as of 01:30 today" in page  # the oldest figure of the period
    assert "Figures as of" not in client.get(URL, {"period": "2025-09"}).content.decode()


def test_the_default_period_is_the_current_term(client, world):
    client.force_login(world.principal)
    page = client.get(URL).content.decode()
    assert str(periods.term_of(school_today()).label) in page


@pytest.mark.parametrize("persona", ["teacher", "nurse", "accountant", "parent", "other_principal", "officer"])
def test_others_are_refused_like_anywhere_else(client, world, persona):
    term_one_figures(world.school)
    client.force_login(getattr(world, persona))
    for suffix in ("", "pdf/", "xlsx/"):
        assert client.get(f"{URL}{suffix}", {"period": "2026-t1"}).status_code == 404


# --- A fixed number of queries


def _queries(client, key: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"period": key}).status_code == 200
    return len(queries)


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_data(client, world, monkeypatch):
    client.force_login(world.principal)
    monkeypatch.setattr("reports.selectors.sections", lambda: fake_sections(PARTICIPATION))
    figure(world.school, "2026-10", "fake_0", "posted", 1)
    few = _queries(client, "2026")

    many = fake_sections(*([PARTICIPATION] * 8), GIVING)
    monkeypatch.setattr("reports.selectors.sections", lambda: many)
    Figure.objects.all().delete()
    now = timezone.now()
    Figure.objects.bulk_create(
        Figure(
            school=world.school,
            month=month,
            section=section.key,
            metric=metric.key,
            group=group,
            value=7,
            computed_at=now,
        )
        for section in many
        for month in periods.parse("2026").months()
        for metric in section.metrics
        for group in ["", *[f"Lớp {n}" for n in range(6)]]
    )
    assert Figure.objects.count() > 2000
    assert _queries(client, "2026") == few


# --- Exports


def _pdf_text(content: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("needs pdftotext (poppler-utils)")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(content)
    return subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def test_the_pdf_holds_the_school_and_its_figures(client, world, tmp_path):
    term_one_figures(world.school)
    client.force_login(world.principal)
    response = client.get(f"{URL}pdf/", {"period": "2026-t1"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "report-sao-mai-2026-t1.pdf" in response["Content-Disposition"]
    text = _pdf_text(response.content, tmp_path)
    assert "Sao Mai" in text and "Term I, 2026–2027" in text
    assert "Answer rate" in text and "65 %" in text and "Chồi 1" in text and "1.500.000" in text


def test_the_pdf_of_a_period_without_figures_says_so(client, world, tmp_path):
    client.force_login(world.principal)
    text = _pdf_text(client.get(f"{URL}pdf/", {"period": "2025-t1"}).content, tmp_path)
    assert "There are no figures for this period yet." in text


def test_the_workbook_has_one_sheet_per_section(client, world):
    term_one_figures(world.school)
    client.force_login(world.principal)
    response = client.get(f"{URL}xlsx/", {"period": "2026-t1"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Home activities", "Contributions"]
    rows = [list(row) for row in workbook["Home activities"].iter_rows(values_only=True)]
    assert ["Activities posted", 15] in [row[:2] for row in rows]
    assert ["Children on the portal", 32] in [row[:2] for row in rows]
    assert ["Answer rate", 0.65, "60–70 %", "within the target"] in [row[:4] for row in rows]
    assert any(row[0] == "Chồi 1" and row[1:3] == (10, 3) for row in map(tuple, rows))
    money = [list(row) for row in workbook["Contributions"].iter_rows(values_only=True)]
    assert ["Received", 1_500_000] in [row[:2] for row in money]
