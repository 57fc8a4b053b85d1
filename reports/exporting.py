"""The school's report as a PDF (reportlab) and as a workbook (openpyxl, one sheet per section).

Both show what the page shows, in the reader's language; money in đồng, rates in percent.
"""

from __future__ import annotations

import io
import re

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from coordination.lib.pdf import unicode_fonts
from reports.report import SchoolReport, SectionReport

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_NAME_MAX = 31


def _heading(report: SchoolReport) -> tuple[str, str]:
    return report.school_name, str(report.period.label)


def _empty_text() -> str:
    return _("There are no figures for this period yet.")


# --- PDF


def _pdf_table(rows: list[list[str]], *, font: str, bold: str, widths=None) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 9),
                ("FONT", (0, 0), (-1, 0), bold, 9),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f2f2")]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _section_rows(section: SectionReport) -> list[list[str]]:
    rows = [[_("Figure"), _("Value")]]
    rows += [[metric.label, metric.shown] for metric in section.metrics]
    return rows


def _rate_rows(section: SectionReport) -> list[list[str]]:
    rows = [[_("Rate"), _("Value"), _("Target"), _("Compared with the target")]]
    rows += [[rate.label, rate.shown, rate.target_shown, rate.band_shown] for rate in section.rates]
    return rows


def _group_rows(section: SectionReport) -> list[list[str]]:
    table = section.groups
    rows = [[table.heading, *[column.label for column in table.columns]]]
    rows += [[row.label, *row.shown] for row in table.rows]
    return rows


def report_pdf(report: SchoolReport) -> bytes:
    """The report on A4 pages: each section's figures, rates (with the target) and per-group table."""
    font, bold = unicode_fonts()
    title_style = ParagraphStyle("title", fontName=bold, fontSize=16, leading=20, spaceAfter=4)
    heading_style = ParagraphStyle("heading", fontName=bold, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4)
    text_style = ParagraphStyle("text", fontName=font, fontSize=9, leading=12)
    school, period = _heading(report)
    story = [
        Paragraph(_("Report of %(school)s") % {"school": _escape(school)}, title_style),
        Paragraph(_escape(period), text_style),
    ]
    if report.computed_at:
        moment = timezone.localtime(report.computed_at, timezone.get_default_timezone())
        computed = _("Figures computed on %(date)s") % {"date": f"{moment:%d/%m/%Y %H:%M}"}
        story.append(Paragraph(_escape(computed), text_style))
    story.append(Spacer(1, 4 * mm))
    shown = [section for section in report.sections if section.has_data]
    if not shown:
        story.append(Paragraph(_escape(_empty_text()), text_style))
    for section in shown:
        story.append(Paragraph(_escape(section.title), heading_style))
        story.append(_pdf_table(_section_rows(section), font=font, bold=bold, widths=[110 * mm, 50 * mm]))
        if section.rates:
            story.append(Spacer(1, 2 * mm))
            story.append(_pdf_table(_rate_rows(section), font=font, bold=bold))
        if section.groups and section.groups.rows:
            story.append(Spacer(1, 2 * mm))
            story.append(_pdf_table(_group_rows(section), font=font, bold=bold))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{school} – {period}",
    )
    document.build(story)
    return buffer.getvalue()


def _escape(text: str) -> str:
    """Paragraph text is a small markup language: a school's name may hold "&" or "<"."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- XLSX


def _sheet_name(title: str, taken: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", str(title)).strip()[:SHEET_NAME_MAX] or "Sheet"
    candidate, n = name, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = name[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def _cell(value, kind: str):
    """Numbers stay numbers in the workbook (a rate as a percentage), so that they can be added up."""
    if value is None or isinstance(value, str):
        return value
    if kind == "rate":
        return round(value / 100, 4)
    return value


def report_xlsx(report: SchoolReport) -> bytes:
    """One sheet per section with figures: its figures, rates and per-group table."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    school, period = _heading(report)
    bold = Font(bold=True)
    taken: set[str] = set()
    shown = [section for section in report.sections if section.has_data]
    if not shown:
        sheet = workbook.create_sheet(_sheet_name(_("Report"), taken))
        sheet.append([school])
        sheet.append([period])
        sheet.append([_empty_text()])
    for section in shown:
        sheet = workbook.create_sheet(_sheet_name(section.title, taken))
        sheet.append([section.title])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([school, period])
        sheet.append([])
        sheet.append([_("Figure"), _("Value")])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for metric in section.metrics:
            sheet.append([metric.label, _cell(metric.value, metric.kind)])
            if metric.kind == "money" and metric.value is not None:
                sheet.cell(row=sheet.max_row, column=2).number_format = '#,##0 "₫"'
        if section.rates:
            sheet.append([])
            sheet.append([_("Rate"), _("Value"), _("Target"), _("Compared with the target")])
            for cell in sheet[sheet.max_row]:
                cell.font = bold
            for rate in section.rates:
                sheet.append([rate.label, _cell(rate.percent, "rate"), rate.target_shown, rate.band_shown])
                sheet.cell(row=sheet.max_row, column=2).number_format = "0%"
        table = section.groups
        if table and table.rows:
            sheet.append([])
            sheet.append([table.heading, *[column.label for column in table.columns]])
            for cell in sheet[sheet.max_row]:
                cell.font = bold
            for row in table.rows:
                sheet.append(
                    [row.label, *[_cell(value, c.kind) for value, c in zip(row.values, table.columns, strict=True)]]
                )
                for n, column in enumerate(table.columns, start=2):
                    if column.kind == "rate":
                        sheet.cell(row=sheet.max_row, column=n).number_format = "0%"
        sheet.column_dimensions["A"].width = 40
        sheet.column_dimensions["B"].width = 16
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
