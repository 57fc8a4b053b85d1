"""Measuring day: the nurse's classes, and a class's grid where a whole class is weighed and measured.

The grid saves each row as it is completed (static/js/health-grid.js posts it to the row's address
and shows what comes back: saved or not, the z-scores, the flags to confirm). Without JavaScript the
grid posts every row at once: the valid rows are saved, the others come back with their messages.

For the nurse, the leaders and the class's teachers (`health.policies.can_measure_classroom`);
everyone else gets the 404 of a class that does not exist. Viewing the grid is logged as a read of
each child's health data.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from health import selectors_grid as selectors
from health.forms_grid import FIELDS, RowInput, bad_day_message, day_parse, row_read
from health.models import HealthRead, Measurement, Place, Position
from health.policies import is_health_staff
from health.selectors_grid import GridRow
from health.services import (
    health_reads_log,
    health_settings_for,
    measurement_record,
    measurement_values_check,
)
from schools.models import school_today

FIELD_LABELS = {
    "weight_kg": gettext_lazy("Weight"),
    "height_cm": gettext_lazy("Height"),
    "muac_cm": gettext_lazy("Arm circumference"),
    "position": gettext_lazy("Position"),
    "measured_on": gettext_lazy("Date"),
}


@login_required
@require_http_methods(["GET", "HEAD"])
def home(request):
    """The nurse's landing: the school's classes, how far measuring day went, and the follow-up list."""
    schools = selectors.classes_for_nurse(user=request.user)
    if not schools:
        raise Http404
    return render(request, "health/grid/home.html", {"schools": schools})


def _day_asked(text: str | None) -> tuple[datetime.date, str]:
    """The day the grid is for (today by default) and a message when the one asked could not be read."""
    today = school_today()
    if not (text or "").strip():
        return today, ""
    day = day_parse(text)
    if day is None:
        return today, bad_day_message(text.strip())
    return day, ""


def _flag_messages(rows: list[GridRow], classroom) -> None:
    """The messages of the flags of the rows saved flagged (the school's thresholds read once)."""
    flagged = [r for r in rows if r.measurement is not None and r.measurement.flags and not r.flag_messages]
    if not flagged:
        return
    settings = health_settings_for(classroom.school_id)
    for row in flagged:
        m = row.measurement
        checked = measurement_values_check(
            child=row.child,
            measured_on=m.measured_on,
            weight_kg=m.weight_kg,
            height_cm=m.height_cm,
            position=m.position,
            settings=settings,
            previous=row.previous,
        )
        row.flag_messages = checked.messages


def _labelled(errors: dict) -> dict[str, str]:
    """{field: first message} from a ValidationError's dict."""
    return {name: str(messages_[0]) for name, messages_ in errors.items()}


def _row_save(*, user, row: GridRow, day: datetime.date, typed: RowInput, confirm: bool) -> bool:
    """Save one row through `measurement_record`; the row gets its messages. True when saved."""
    if typed.errors:
        row.errors = dict(typed.errors)
        row.values = typed.raw
        return False
    try:
        measurement, checked = measurement_record(
            by=user,
            child=row.child,
            measured_on=day,
            weight_kg=typed.values["weight_kg"],
            height_cm=typed.values["height_cm"],
            position=typed.values["position"],
            muac_cm=typed.values["muac_cm"],
            place=Place.SCHOOL,
            confirm=confirm,
        )
    except ValidationError as exc:
        row.errors = _labelled(exc.message_dict)
        row.values = typed.raw
        return False
    measurement.child = row.child
    row.measurement, row.errors, row.saved = measurement, {}, True
    row.flag_messages = checked.messages
    row.values = selectors.values_of(measurement, position=row.default_position)
    return True


def _unchanged(row: GridRow, typed: RowInput) -> bool:
    m = row.measurement
    if m is None or typed.errors:
        return False
    return (
        m.weight_kg == typed.values["weight_kg"]
        and m.height_cm == typed.values["height_cm"]
        and m.muac_cm == typed.values["muac_cm"]
        and m.position == typed.values["position"]
    )


def _context(user, classroom, day, rows, **more) -> dict:
    return {
        "classroom": classroom,
        "school": classroom.school,
        "day": day,
        "today": school_today(),
        "rows": rows,
        "positions": Position.choices,
        "field_labels": FIELD_LABELS,
        "health_staff": is_health_staff(user, classroom.school_id),
        **more,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def grid(request, classroom_id: int):
    """The class's grid for a day (?on=25/11/2026, today by default); a POST saves every row typed."""
    classroom = selectors.classroom_for_measuring(user=request.user, classroom_id=classroom_id)
    if request.method == "POST":
        return _grid_post(request, classroom)
    day, day_error = _day_asked(request.GET.get("on"))
    rows = selectors.grid_rows(classroom=classroom, day=day)
    _flag_messages(rows, classroom)
    health_reads_log(request.user, [r.child for r in rows], HealthRead.Page.GRID)
    return render(request, "health/grid/grid.html", _context(request.user, classroom, day, rows, day_error=day_error))


def _grid_post(request, classroom):
    day = day_parse(request.POST.get("on"))
    if day is None:
        messages.error(request, bad_day_message(request.POST.get("on", "")))
        return redirect(reverse("health:grid", args=[classroom.pk]))
    rows = selectors.grid_rows(classroom=classroom, day=day)
    confirm_for = request.POST.get("confirm", "")
    saved = failed = 0
    for row in rows:
        pk = row.child.pk
        typed = row_read(
            {name: request.POST.get(f"{name}-{pk}", "") for name in FIELDS}, default_position=row.default_position
        )
        confirm = confirm_for == str(pk)
        if typed.empty and not typed.errors:
            continue  # nothing typed for this child (a row is never deleted from here)
        if _unchanged(row, typed) and not (confirm and row.needs_confirmation):
            continue
        if _row_save(user=request.user, row=row, day=day, typed=typed, confirm=confirm):
            saved += 1
        else:
            failed += 1
    waiting = [r for r in rows if r.needs_confirmation]
    if not failed and not waiting:
        if saved:
            messages.success(
                request, ngettext("%(count)s row saved.", "%(count)s rows saved.", saved) % {"count": saved}
            )
        else:
            messages.info(request, _("Nothing to save: no value was typed or changed."))
        return redirect(f"{reverse('health:grid', args=[classroom.pk])}?on={day:%d/%m/%Y}")
    _flag_messages(rows, classroom)
    health_reads_log(request.user, [r.child for r in rows], HealthRead.Page.GRID)
    summary = []
    if saved:
        summary.append(ngettext("%(count)s row saved.", "%(count)s rows saved.", saved) % {"count": saved})
    if failed:
        summary.append(
            ngettext(
                "%(count)s row was not saved: correct it below.",
                "%(count)s rows were not saved: correct them below.",
                failed,
            )
            % {"count": failed}
        )
    if waiting:
        summary.append(
            ngettext(
                "%(count)s row has values to check: confirm them or correct them.",
                "%(count)s rows have values to check: confirm them or correct them.",
                len(waiting),
            )
            % {"count": len(waiting)}
        )
    return render(
        request,
        "health/grid/grid.html",
        _context(request.user, classroom, day, rows, summary=summary),
        status=400 if failed else 200,
    )


def _row_json(row: GridRow, request) -> dict:
    measurement: Measurement | None = row.measurement
    return {
        "saved": row.saved,
        "errors": row.errors,
        "values": row.values,
        "reference": row.reference_label if row.saved else "",
        "results": row.results if row.saved else [],
        "flags": [
            {"code": code, "message": message}
            for code, message in zip(measurement.flags if row.saved else [], row.flag_messages, strict=False)
        ],
        "needs_confirmation": row.saved and row.needs_confirmation,
        "confirmed": bool(row.saved and measurement.confirmed_at),
        "status_html": render_to_string(
            "health/grid/_status.html", {"row": row, "field_labels": FIELD_LABELS}, request=request
        ),
    }


@login_required
def grid_row(request, classroom_id: int, child_id: int):
    """Save one child's row of the grid (the page's script): JSON with what was saved or why not."""
    classroom = selectors.classroom_for_measuring(user=request.user, classroom_id=classroom_id)
    child = selectors.child_for_measuring(classroom=classroom, child_id=child_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    day_text = request.POST.get("on", "")
    day = day_parse(day_text)
    position = selectors.default_position(child.date_of_birth, day or school_today())
    row = GridRow(
        child=child,
        months=selectors.age_months(child.date_of_birth, day or school_today()),
        measurement=None,
        previous=None,
    )
    typed = row_read({name: request.POST.get(name, "") for name in FIELDS}, default_position=position)
    if day is None:
        row.errors, row.values = {"measured_on": bad_day_message(day_text)}, typed.raw
        saved = False
    else:
        saved = _row_save(user=request.user, row=row, day=day, typed=typed, confirm=request.POST.get("confirm") == "1")
    return JsonResponse(_row_json(row, request), status=200 if saved else 400)
