"""A class's measurements of the current school year as an XLSX workbook, for the health station.

One row per measurement: the child's code, the name only when the guardians consented to sharing with
the health station by name (`ConsentPurpose.HEALTH_SHARING`; otherwise the code alone, and the sheet
says so), sex, date of birth (the station needs the age), the date, the values, the z-scores rounded to
2 decimals, the levels in words and the reference used. Dates are real dates shown as dd/mm/yyyy.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from health import growth
from health.models import Measurement
from parents.models import ConsentPurpose
from parents.selectors import consent_granted_child_ids
from schools.models import Classroom, SchoolYear

DATE_FORMAT = "DD/MM/YYYY"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class ClassExport:
    content: bytes
    children: list  # the children whose measurements are in it
    named: int  # how many of them appear by name
    rows: int


def year_period(classroom: Classroom) -> tuple[datetime.date, datetime.date]:
    """The current school year of the class's school (the class's own year if none is marked current)."""
    year = SchoolYear.objects.filter(school_id=classroom.school_id, is_current=True).first() or classroom.school_year
    return year.starts_on, year.ends_on


def class_measurements(classroom: Classroom) -> list[Measurement]:
    starts, ends = year_period(classroom)
    return list(
        Measurement.objects.filter(
            school_id=classroom.school_id,
            child__classroom_id=classroom.pk,
            measured_on__gte=starts,
            measured_on__lte=ends,
        )
        .select_related("child")
        .order_by("child__code", "child__full_name", "measured_on")
    )


def _z(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _levels(m: Measurement) -> str:
    words = []
    for indicator in growth.INDICATORS:
        level = getattr(m, f"{indicator}_level")
        text = growth.level_words(indicator, level) if level else ""
        if text:
            words.append(f"{growth.INDICATOR_NAMES[indicator]}: {text}")
    return "; ".join(words)


def class_export(classroom: Classroom) -> ClassExport:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    measurements = class_measurements(classroom)
    children = list({m.child_id: m.child for m in measurements}.values())
    named_ids = consent_granted_child_ids(child_ids=[c.pk for c in children], purpose=ConsentPurpose.HEALTH_SHARING)
    starts, ends = year_period(classroom)

    book = Workbook()
    sheet = book.active
    sheet.title = _("Measurements")[:31]
    sheet["A1"] = _("%(school)s – class %(classroom)s – measurements from %(start)s to %(end)s") % {
        "school": classroom.school.name,
        "classroom": classroom.name,
        "start": starts.strftime("%d/%m/%Y"),
        "end": ends.strftime("%d/%m/%Y"),
    }
    sheet["A1"].font = Font(bold=True, size=12)
    withheld = len(children) - len(named_ids & {c.pk for c in children})
    if withheld:
        note = ngettext(
            "%(count)s of %(total)s children appears by the code only: the guardians have not agreed to "
            "share the health records with the health station by name.",
            "%(count)s of %(total)s children appear by their code only: their guardians have not agreed to "
            "share their health records with the health station by name.",
            withheld,
        ) % {"count": withheld, "total": len(children)}
    else:
        note = _("Every child's guardians agreed to share the health records with the health station by name.")
    sheet["A2"] = note
    sheet["A2"].font = Font(italic=True)

    headers = [
        (_("Child's code"), 12),
        (_("Name"), 26),
        (_("Sex"), 7),
        (_("Date of birth"), 13),
        (_("Date"), 12),
        (_("Weight (kg)"), 11),
        (_("Height (cm)"), 11),
        (_("Position"), 11),
        (_("Arm circumference (cm)"), 12),
        (_("Weight-for-age z"), 10),
        (_("Height-for-age z"), 10),
        (_("Weight-for-height z"), 10),
        (_("BMI-for-age z"), 10),
        (_("Levels"), 48),
        (_("Reference"), 40),
        (_("Measured at"), 18),
        (_("Measured by"), 20),
    ]
    header_row = 4
    for column, (title, width) in enumerate(headers, start=1):
        cell = sheet.cell(row=header_row, column=column, value=title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)

    row_number = header_row
    for m in measurements:
        row_number += 1
        child = m.child
        values = [
            child.code,
            child.full_name if child.pk in named_ids else "",
            child.get_sex_display(),
            child.date_of_birth,
            m.measured_on,
            None if m.weight_kg is None else float(m.weight_kg),
            None if m.height_cm is None else float(m.height_cm),
            m.get_position_display(),
            None if m.muac_cm is None else float(m.muac_cm),
            _z(m.z_wfa),
            _z(m.z_hfa),
            _z(m.z_wfh),
            _z(m.z_bmi),
            _levels(m),
            m.get_reference_display(),
            m.get_place_display(),
            m.measured_by_name,
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=column, value=value)
            if isinstance(value, datetime.date):
                cell.number_format = DATE_FORMAT
            elif column in (6, 7, 9):
                cell.number_format = "0.0"
            elif 10 <= column <= 13:
                cell.number_format = "0.00"
    buffer = io.BytesIO()
    book.save(buffer)
    return ClassExport(content=buffer.getvalue(), children=children, named=len(named_ids), rows=len(measurements))
