"""The receipt of a received cash contribution, as a one-page PDF in the donor's language of letters."""

from __future__ import annotations

import io

from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from coordination.lib.money import format_vnd
from coordination.lib.pdf import unicode_fonts
from donations.models import Contribution


def _lines(text: str, font: str, size: float, width: float) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if stringWidth(candidate, font, size) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    return [*lines, line] if line else lines


def receipt_pdf(*, contribution: Contribution) -> bytes:
    """One A5 page: the school, the receipt number, who gave (their name: it is their own receipt), what and when."""
    regular, bold = unicode_fonts()
    donor, school, campaign = contribution.donor, contribution.school, contribution.campaign
    with translation.override(donor.language or "vi"):
        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer, pagesize=A5, pageCompression=1)
        width, height = A5
        margin = 14 * mm
        text_width = width - 2 * margin
        pdf.setTitle(_("Receipt %(number)s") % {"number": contribution.receipt_label})
        y = height - margin
        pdf.setFont(bold, 13)
        pdf.drawString(margin, y, school.name)
        if school.address:
            y -= 5 * mm
            pdf.setFont(regular, 9)
            pdf.drawString(margin, y, school.address)
        y -= 14 * mm
        pdf.setFont(bold, 17)
        pdf.drawCentredString(width / 2, y, _("Receipt for a contribution"))
        y -= 7 * mm
        pdf.setFont(regular, 10)
        pdf.drawCentredString(width / 2, y, _("No. %(number)s") % {"number": contribution.receipt_label})
        y -= 12 * mm
        rows = [
            (_("Received from"), donor.name),
            (_("Campaign"), campaign.title),
            (_("Amount"), format_vnd(contribution.amount or 0)),
            (
                _("Received on"),
                formats.date_format(contribution.received_on, "SHORT_DATE_FORMAT") if contribution.received_on else "",
            ),
            (_("Transfer reference"), contribution.payment_reference),
        ]
        if contribution.bank_reference:
            rows.append((_("Bank's reference"), contribution.bank_reference))
        label_width = 42 * mm
        for label, value in rows:
            pdf.setFont(regular, 10)
            pdf.drawString(margin, y, f"{label}:")
            pdf.setFont(bold, 11)
            for line in _lines(str(value), bold, 11, text_width - label_width):
                pdf.drawString(margin + label_width, y, line)
                y -= 6 * mm
            y -= 1.5 * mm
        y -= 6 * mm
        pdf.setFont(regular, 9)
        note = _(
            "This contribution was voluntary. The school publishes what it received and how it was spent "
            "on its transparency board."
        )
        for line in _lines(note, regular, 9, text_width):
            pdf.drawString(margin, y, line)
            y -= 4.5 * mm
        pdf.showPage()
        pdf.save()
    return buffer.getvalue()
