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
        canvas.drawString(text_x, y + LABEL_H * mm - 15 * mm, _cut(canvas, copy.item.name, regular, 8, text_w))
        canvas.setFont(regular, 6.5)
        canvas.drawString(text_x, y + 5 * mm, _cut(canvas, school.name, regular, 6.5, text_w))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
