"""An event's answers and sign-ups as CSV (one row per family) or XLSX (a sheet of answers, one of volunteers)."""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from community.selectors_events import OrganiserView

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value) -> str:
    """Text a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _answer_words(row) -> str:
    if row.answer is None:
        return _("No answer yet")
    return _("Coming") if row.answer.coming else _("Not coming")


def _family_rows(view: OrganiserView) -> list[list]:
    rows = []
    for row in view.families:
        rows.append(
            [
                row.guardian.full_name or row.guardian.email or "",
                row.guardian.phone or "",
                ", ".join(c.full_name for c in row.children),
                ", ".join(sorted({c.classroom.name for c in row.children if c.classroom_id})),
                _answer_words(row),
                row.answer.people if row.answer and row.answer.coming else 0,
                ", ".join(row.roles),
            ]
        )
    return rows


def _family_headers() -> list[str]:
    return [
        _("Guardian"),
        _("Phone"),
        _("Children"),
        _("Classes"),
        pgettext("event", "Answer"),
        _("People"),
        _("Volunteer roles"),
    ]


def _volunteer_rows(view: OrganiserView) -> list[list]:
    rows = []
    for role in view.roles:
        if not role.people:
            rows.append([role.name, role.slots, role.taken, "", ""])
        for person in role.people:
            rows.append([role.name, role.slots, role.taken, person.full_name or person.email or "", person.phone or ""])
    return rows


def _volunteer_headers() -> list[str]:
    return [_("Role"), _("Places"), _("Taken"), _("Volunteer"), _("Phone")]


def event_csv(view: OrganiserView) -> bytes:
    """One row per invited family; UTF-8 with a byte-order mark so that spreadsheet programs read Vietnamese."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_family_headers())
    for row in _family_rows(view):
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def event_xlsx(view: OrganiserView) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    event = view.event
    book = Workbook()
    answers = book.active
    answers.title = pgettext("event", "Answers")[:31]
    starts = timezone.localtime(event.starts_at)
    answers["A1"] = f"{event.title} – {starts.strftime('%d/%m/%Y %H:%M')} – {event.place}"
    answers["A1"].font = Font(bold=True, size=12)
    answers["A2"] = _("Families coming: %(families)s (people: %(people)s); not coming: %(not)s.") % {
        "families": view.coming_families,
        "people": view.coming_people,
        "not": view.not_coming,
    }
    for sheet, headers, rows, widths in (
        (answers, _family_headers(), _family_rows(view), [26, 14, 36, 14, 16, 8, 36]),
        (book.create_sheet(_("Volunteers")[:31]), _volunteer_headers(), _volunteer_rows(view), [30, 8, 8, 26, 14]),
    ):
        top = 4 if sheet is answers else 1
        for column, (title, width) in enumerate(zip(headers, widths, strict=True), start=1):
            cell = sheet.cell(row=top, column=column, value=title)
            cell.font = Font(bold=True)
            sheet.column_dimensions[cell.column_letter].width = width
        for r, values in enumerate(rows, start=top + 1):
            for column, value in enumerate(values, start=1):
                sheet.cell(row=r, column=column, value=value if isinstance(value, int) else _cell(value))
        sheet.freeze_panes = sheet.cell(row=top + 1, column=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
