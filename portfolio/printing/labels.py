"""QR label sheets: for a class and a period, an A4 PDF with one label per work.

Each label carries the work's QR code (its full /w/<token> address), the child's given name, the
work's title and date, and the school's name. The teacher asks; a worker builds it (the QR images the
works already have are used, the others are made on the spot) and the teacher follows its progress.
"""

from __future__ import annotations

import datetime
import io
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from coordination.lib.pdf import qr_image, unicode_fonts
from portfolio import policies
from portfolio.layouts import A4_HEIGHT_MM, A4_WIDTH_MM, LAYOUTS, Layout
from portfolio.models import PRINTOUT_PENDING, LabelSheet, PrintoutState, Work, work_url
from portfolio.printing.documents import Block, clean, day, draw_lines, fit, name_key, store_bytes, stored_bytes
from schools.models import Classroom

logger = logging.getLogger(__name__)

MAX_PERIOD_DAYS = 366
MAX_LABELS = 2000
MAX_ATTEMPTS = 3
RECENT_SHEETS = 10


# --- Reads -----------------------------------------------------------------------------------------


def classroom_for_labels(*, user, classroom_id: int) -> Classroom:
    """The class whose labels this person prints; 404 for anyone else (as for a class that does not exist)."""
    classroom = Classroom.objects.select_related("school").filter(pk=classroom_id).first()
    if classroom is None or not policies.can_print_labels(user, classroom):
        raise Http404
    return classroom


def label_sheet_get(*, user, sheet_id: int) -> LabelSheet:
    sheet = LabelSheet.objects.select_related("classroom__school", "requested_by").filter(pk=sheet_id).first()
    if sheet is None or not policies.can_print_labels(user, sheet.classroom):
        raise Http404
    return sheet


def label_sheets_recent(*, classroom: Classroom) -> list[LabelSheet]:
    return list(LabelSheet.objects.filter(classroom=classroom).select_related("requested_by")[:RECENT_SHEETS])


def works_for_labels(*, classroom: Classroom, date_from: datetime.date, date_to: datetime.date) -> QuerySet[Work]:
    return Work.objects.filter(classroom=classroom, made_on__gte=date_from, made_on__lte=date_to)


# --- Asking --------------------------------------------------------------------------------------------


def label_sheet_request(
    *, classroom: Classroom, by, layout: str, date_from: datetime.date, date_to: datetime.date, skip: int = 0
) -> LabelSheet:
    """Ask for a sheet of labels for the class's works of a period; it is built by a worker.

    A period without any work is refused with a message, and nothing is made."""
    if not policies.can_print_labels(by, classroom):
        raise PermissionDenied
    errors: dict[str, str] = {}
    chosen = LAYOUTS.get(layout)
    if chosen is None:
        errors["layout"] = _("Choose one of the label sheets in the list.")
    if date_from > date_to:
        errors["date_to"] = _("The end of the period is before its start.")
    elif (date_to - date_from).days >= MAX_PERIOD_DAYS:
        errors["date_to"] = _("Choose a period of at most a year.")
    if chosen is not None and not 0 <= skip < chosen.per_sheet:
        errors["skip"] = ngettext(
            "A sheet of this kind has %(count)s label: leave between 0 and %(most)s out.",
            "A sheet of this kind has %(count)s labels: leave between 0 and %(most)s out.",
            chosen.per_sheet,
        ) % {
            "count": chosen.per_sheet,
            "most": chosen.per_sheet - 1,
        }
    if errors:
        raise ValidationError(errors)
    count = works_for_labels(classroom=classroom, date_from=date_from, date_to=date_to).count()
    if count == 0:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _(
                    "No work of %(class)s was recorded between %(start)s and %(end)s: there is nothing to print."
                )
                % {"class": classroom.name, "start": day(date_from), "end": day(date_to)}
            },
            code="empty",
        )
    if count > MAX_LABELS:
        raise ValidationError(
            {
                "date_to": ngettext(
                    "That is %(count)s label: choose a shorter period.",
                    "That is %(count)s labels: choose a shorter period.",
                    count,
                )
                % {"count": count}
            },
            code="too_many",
        )
    sheet = LabelSheet.objects.create(
        school_id=classroom.school_id,
        classroom=classroom,
        layout=layout,
        date_from=date_from,
        date_to=date_to,
        skip=skip,
        requested_by=by,
        total=count,
    )
    _queue(sheet.pk)
    return sheet


def _queue(sheet_id: int) -> None:
    from portfolio import tasks

    transaction.on_commit(lambda: tasks.media_label_sheet_build.delay(sheet_id))


# --- Drawing -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelContent:
    url: str
    given_name: str
    title: str
    date: str
    school: str
    qr_png: str = ""  # the stored QR image the worker made for the work, when it is ready


def label_content(work: Work, *, school_name: str) -> LabelContent:
    return LabelContent(
        url=work_url(work),
        given_name=work.child.given_name,
        title=work.title,
        date=day(work.made_on),
        school=school_name,
        qr_png=work.qr_png.name if work.qr_ready else "",
    )


def _qr(content: LabelContent) -> ImageReader:
    if content.qr_png:
        try:
            return ImageReader(io.BytesIO(stored_bytes(content.qr_png)))
        except Exception:  # noqa: BLE001 (the stored image is missing: draw the same code afresh)
            logger.warning("QR image %s could not be read; drawing it again", content.qr_png, exc_info=True)
    # Four pixels a module: the PDF keeps them sharp at any size (no smoothing), and stays small.
    return qr_image(content.url, box_size=4)


def label_rect(layout: Layout, index: int) -> tuple[float, float, float, float]:
    """(x, y, width, height) in PDF points, from the page's bottom-left corner, of label `index` on its page."""
    left, top = layout.position(index)
    return left * mm, (A4_HEIGHT_MM - top - layout.height) * mm, layout.width * mm, layout.height * mm


def _draw_label(canvas: Canvas, content: LabelContent, rect: tuple[float, float, float, float]) -> None:
    regular, bold = unicode_fonts()
    x, y, width, height = rect
    pad = min(2.5 * mm, height * 0.08, width * 0.06)
    blocks = [
        Block(clean(content.given_name), bold, 1.0, 1),
        Block(clean(content.title), regular, 0.82, 3),
        Block(content.date, regular, 0.74, 1),
        Block(clean(content.school), regular, 0.64, 2),
    ]
    if height > width * 0.9:
        # Tall (a whole A4 sheet): the code on top, the words centred below it.
        qr = min(width - 2 * pad, (height - 2 * pad) * 0.62)
        qr_x, qr_y = x + (width - qr) / 2, y + height - pad - qr
        box_top, box_bottom = qr_y - pad, y + pad
        box_width = width - 2 * pad
        lines = fit(
            blocks,
            width=box_width,
            height=box_top - box_bottom,
            largest=(largest := min(32, (box_top - box_bottom) / 5)),
            smallest=max(6, largest * 0.5),
        )
        draw_lines(canvas, lines, x=x + pad, top=box_top, height=box_top - box_bottom, center=x + width / 2)
    else:
        # Wide: the code on the left, the words beside it. A title too long for three lines at a
        # readable size is cut with "…" rather than shrunk to nothing.
        qr = min(height - 2 * pad, width * 0.5)
        qr_x, qr_y = x + pad, y + (height - qr) / 2
        box_x = qr_x + qr + pad * 0.8
        box_width = x + width - pad - box_x
        box_height = height - 2 * pad
        lines = fit(
            blocks,
            width=box_width,
            height=box_height,
            largest=(largest := min(14, box_height / 4)),
            smallest=max(5, largest * 0.6),
        )
        draw_lines(canvas, lines, x=box_x, top=y + height - pad, height=box_height)
    canvas.drawImage(_qr(content), qr_x, qr_y, width=qr, height=qr)


def render_label_sheet(
    labels: list[LabelContent],
    *,
    layout: Layout,
    skip: int = 0,
    title: str = "",
    author: str = "",
    progress: Callable[[int], None] | None = None,
) -> tuple[bytes, int]:
    """The A4 PDF of these labels, starting after `skip` labels already used on the first sheet; and its pages."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(A4_WIDTH_MM * mm, A4_HEIGHT_MM * mm), pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    pages = math.ceil((skip + len(labels)) / layout.per_sheet) if labels else 0
    for number, content in enumerate(labels, start=1):
        position = skip + number - 1
        if position and position % layout.per_sheet == 0:
            canvas.showPage()
        _draw_label(canvas, content, label_rect(layout, position))
        if progress is not None:
            progress(number)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue(), pages


# --- Building (the worker) -------------------------------------------------------------------------------


def _ordered(works: list[Work]) -> list[Work]:
    """Child by child, as a Vietnamese class list goes (by given name), then by date."""
    return sorted(works, key=lambda w: (name_key(w.child.given_name), name_key(w.child.full_name), w.made_on, w.pk))


def _fail(sheet: LabelSheet, reason: str) -> None:
    LabelSheet.objects.filter(pk=sheet.pk, state__in=PRINTOUT_PENDING).update(
        state=PrintoutState.FAILED, failure_reason=reason[:300], finished_at=timezone.now()
    )


def label_sheet_build(*, sheet_id: int) -> str:
    """Build a sheet that was asked for; the state it ends in. Safe to run twice, even at once: the first
    run to finish keeps its PDF, another throws its own away."""
    sheet = LabelSheet.objects.select_related("classroom", "school").filter(pk=sheet_id).first()
    if sheet is None:
        return "gone"
    if sheet.state not in PRINTOUT_PENDING:
        return sheet.state
    LabelSheet.objects.filter(pk=sheet.pk, state__in=PRINTOUT_PENDING).update(
        state=PrintoutState.BUILDING, attempts=F("attempts") + 1
    )
    sheet.refresh_from_db()
    if sheet.attempts > MAX_ATTEMPTS:
        _fail(sheet, _("This sheet could not be made. Please ask for it again."))
        return PrintoutState.FAILED
    layout = LAYOUTS.get(sheet.layout)
    if layout is None:
        _fail(sheet, _("This kind of label sheet is no longer offered. Please choose another."))
        return PrintoutState.FAILED
    works = works_for_labels(classroom=sheet.classroom, date_from=sheet.date_from, date_to=sheet.date_to)
    works = _ordered(list(works.select_related("child")))
    now = timezone.now()
    if not works:
        # The works were deleted since the sheet was asked for: say so, and make no empty PDF.
        LabelSheet.objects.filter(pk=sheet.pk, state=PrintoutState.BUILDING).update(
            state=PrintoutState.EMPTY, total=0, done=0, finished_at=now
        )
        return PrintoutState.EMPTY
    total = len(works)
    LabelSheet.objects.filter(pk=sheet.pk).update(total=total, done=0)
    step = max(1, total // 20)

    def progress(done: int) -> None:
        if done % step == 0 and done < total:
            LabelSheet.objects.filter(pk=sheet.pk, state=PrintoutState.BUILDING).update(done=done)

    labels = [label_content(work, school_name=sheet.school.name) for work in works]
    content, pages = render_label_sheet(
        labels,
        layout=layout,
        skip=sheet.skip,
        title=f"{sheet.classroom.name} {day(sheet.date_from)}–{day(sheet.date_to)}",
        author=sheet.school.name,
        progress=progress,
    )
    name = store_bytes(sheet, "labels.pdf", content)
    updated = LabelSheet.objects.filter(pk=sheet.pk, state=PrintoutState.BUILDING, pdf="").update(
        state=PrintoutState.READY, pdf=name, done=total, pages=pages, finished_at=timezone.now()
    )
    if not updated:
        from portfolio.printing.documents import delete_stored

        delete_stored(name)
    sheet.refresh_from_db()
    return sheet.state


def label_sheet_give_up(*, sheet_id: int) -> None:
    """A sheet whose worker kept failing (its task ran out of retries)."""
    sheet = LabelSheet.objects.filter(pk=sheet_id).first()
    if sheet is not None:
        _fail(sheet, _("This sheet could not be made. Please ask for it again."))


# --- What the teacher follows ------------------------------------------------------------------------------


def label_sheet_status(sheet: LabelSheet) -> dict:
    from django.urls import reverse

    percent = (
        100 if sheet.state == PrintoutState.READY else (round(100 * sheet.done / sheet.total) if sheet.total else 0)
    )
    return {
        "state": sheet.state,
        "state_label": str(sheet.get_state_display()),
        "done": sheet.done,
        "total": sheet.total,
        "percent": percent,
        "pages": sheet.pages,
        "finished": not sheet.is_pending,
        "download_url": reverse("portfolio:label_sheet_pdf", args=[sheet.pk])
        if sheet.state == PrintoutState.READY
        else "",
        "message": sheet.failure_reason,
    }
