"""The copies' labels: an A4 sheet of 3 × 8 labels (70 × 37 mm), each with a QR code of the copy's code.

The QR holds the code itself, not a link: a desk scanner types what it reads, then Enter, into the
desk's scan box. The code is printed under it too, for a desk without a scanner.
"""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from coordination.lib.pdf import qr_image, unicode_fonts

PAGE_W, PAGE_H = 210, 297
COLUMNS, ROWS = 3, 8
LABEL_W, LABEL_H = 70, 37
TOP = (PAGE_H - ROWS * LABEL_H) / 2


def _cut(canvas: Canvas, text: str, font: str, size: float, width: float) -> str:
    if canvas.stringWidth(text, font, size) <= width:
        return text
    while text and canvas.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _wrap(canvas: Canvas, text: str, font: str, size: float, width: float, lines: int) -> list[str]:
    """The words on at most `lines` lines, the last one cut with "…" when they do not fit."""
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines:
        line = words.pop(0)
        while words and canvas.stringWidth(f"{line} {words[0]}", font, size) <= width:
            line = f"{line} {words.pop(0)}"
        out.append(line)
    if words:
        out[-1] = _cut(canvas, f"{out[-1]} {' '.join(words)}", font, size, width * 0.98)
        if not out[-1].endswith("…"):
            out[-1] += "…"
    return [_cut(canvas, line, font, size, width) for line in out]


def copy_labels_pdf(*, school, copies) -> bytes:
    """The PDF of the copies' labels (an empty page when there are none)."""
    regular, bold = unicode_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_W * mm, PAGE_H * mm), pageCompression=1)
    canvas.setTitle(f"{school.name} – library labels")
    per_page = COLUMNS * ROWS
    for index, copy in enumerate(copies):
        if index and index % per_page == 0:
            canvas.showPage()
        position = index % per_page
        column, row = position % COLUMNS, position // COLUMNS
        x = column * LABEL_W * mm
        y = (PAGE_H - TOP - (row + 1) * LABEL_H) * mm
        pad = 3 * mm
        qr = (LABEL_H - 6) * mm
        canvas.drawImage(qr_image(copy.code, box_size=4), x + pad, y + 3 * mm, width=qr, height=qr)
        text_x = x + pad + qr + 2 * mm
        text_w = x + LABEL_W * mm - pad - text_x
        canvas.setFont(bold, 12)
        canvas.drawString(text_x, y + LABEL_H * mm - 9 * mm, _cut(canvas, copy.code, bold, 12, text_w))
        canvas.setFont(regular, 8)
        for n, line in enumerate(_wrap(canvas, copy.item.name, regular, 8, text_w, 3)):
            canvas.drawString(text_x, y + LABEL_H * mm - (15 + 4 * n) * mm, line)
        canvas.setFont(regular, 6.5)
        canvas.drawString(text_x, y + 5 * mm, _cut(canvas, school.name, regular, 6.5, text_w))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
