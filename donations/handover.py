"""The handover record ("Biên bản bàn giao") of goods given to a school, as a PDF.

On the school's letterhead: the date, the goods (items, quantity, condition, estimated value), who
handed them over and who received them, and a signature line for each side. It is written in the
donor's language for letters (Vietnamese unless they chose English). It is a record between the
school and the giver, kept in the admin: it is never published.
"""

from __future__ import annotations

import io
import unicodedata

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from coordination.lib.pdf import unicode_fonts
from donations.models import Handover

MARGIN = 20 * mm


def _clean(text) -> str:
    """One line as the fonts draw it: composed Vietnamese letters, no control characters, single spaces."""
    text = unicodedata.normalize("NFC", str(text or ""))
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def _money(amount: int | None) -> str:
    if amount is None:
        return "—"
    return f"{amount:,}".replace(",", ".") + " đ"


def _day(value) -> str:
    return f"{value:%d/%m/%Y}"


class _Page:
    """A cursor down an A4 page that starts a new page when the text reaches the bottom margin."""

    def __init__(self, pdf, regular: str, bold: str):
        self.pdf, self.regular, self.bold = pdf, regular, bold
        self.width, self.height = A4
        self.y = self.height - MARGIN

    def need(self, space: float) -> None:
        if self.y - space < MARGIN:
            self.pdf.showPage()
            self.y = self.height - MARGIN

    def lines(self, text: str, *, size: float = 11, bold: bool = False, x: float = MARGIN, width=None, gap=1.45):
        font = self.bold if bold else self.regular
        width = width or (self.width - MARGIN - x)
        for line in simpleSplit(_clean(text), font, size, width) or [""]:
            self.need(size * gap)
            self.pdf.setFont(font, size)
            self.pdf.drawString(x, self.y, line)
            self.y -= size * gap

    def centred(self, text: str, *, size: float, bold: bool = False, centre=None):
        font = self.bold if bold else self.regular
        self.pdf.setFont(font, size)
        self.pdf.drawCentredString(centre if centre is not None else self.width / 2, self.y, _clean(text))


def handover_pdf(*, handover: Handover) -> bytes:
    """The handover record as PDF bytes, in the donor's language."""
    contribution = handover.contribution
    language = getattr(contribution.donor, "language", "") or "vi"
    with translation.override(language):
        return _render(handover)


def _render(handover: Handover) -> bytes:
    contribution = handover.contribution
    school = contribution.school
    regular, bold = unicode_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(_("Handover record — %(items)s") % {"items": _clean(contribution.items)})
    pdf.setAuthor(_clean(school.name))
    page = _Page(pdf, regular, bold)
    left, right = MARGIN + 40 * mm, page.width - MARGIN - 45 * mm

    # The letterhead: the school (under its authority) on the left, the national motto on the right.
    top = page.y
    authority = getattr(school, "authority", None)
    if authority is not None:
        page.centred(authority.name.upper(), size=9, centre=left)
        page.y -= 5 * mm
    page.centred(school.name.upper(), size=10, bold=True, centre=left)
    page.y = top
    page.centred(_("SOCIALIST REPUBLIC OF VIETNAM"), size=9, bold=True, centre=right)
    page.y -= 5 * mm
    page.centred(_("Independence – Freedom – Happiness"), size=10, bold=True, centre=right)
    page.y -= 6 * mm
    contact = " · ".join(part for part in (school.address, school.phone) if part)
    if contact:
        page.lines(contact, size=8)
    page.y -= 8 * mm

    page.centred(_("HANDOVER RECORD"), size=16, bold=True)
    page.y -= 6 * mm
    page.centred(_("of goods given to the school"), size=11)
    page.y -= 6 * mm
    page.centred(contribution.campaign.title, size=11, bold=True)
    page.y -= 10 * mm

    page.lines(
        _("On %(date)s, at %(school)s, we the undersigned:")
        % {"date": _day(handover.handed_over_on), "school": school.name}
    )
    page.y -= 2 * mm
    page.lines(_("The giver (Party A): %(name)s") % {"name": handover.giver_name}, bold=True)
    page.y -= 1 * mm
    page.lines(_("The receiver (Party B): %(school)s") % {"school": school.name}, bold=True)
    receiver = handover.receiver_name
    if handover.receiver_title:
        receiver = f"{receiver}, {handover.receiver_title}"
    page.lines(_("represented by %(person)s") % {"person": receiver}, x=MARGIN + 8 * mm)
    page.y -= 3 * mm
    page.lines(_("agree that Party A hands over to Party B the following goods:"))
    page.y -= 3 * mm

    # The goods, as a table.
    columns = [
        (_("No."), 12 * mm),
        (_("Goods"), 62 * mm),
        (_("Quantity"), 22 * mm),
        (_("Condition"), 36 * mm),
        (_("Estimated value"), 38 * mm),
    ]
    row = [
        "1",
        contribution.items,
        str(contribution.quantity or 1),
        contribution.condition or "—",
        _money(contribution.estimated_value),
    ]
    _table(page, columns, [row])
    page.y -= 2 * mm
    page.lines(_("Total estimated value: %(value)s") % {"value": _money(contribution.estimated_value)}, bold=True)
    if handover.notes:
        page.y -= 2 * mm
        page.lines(_("Notes: %(notes)s") % {"notes": handover.notes})
    page.y -= 3 * mm
    page.lines(
        _(
            "The gift is voluntary. The school will use the goods as the campaign's plan says and records "
            "equipment in its asset register. This record is made in two copies, one for each party."
        ),
        size=10,
    )

    # Signatures, each side over its name.
    page.need(45 * mm)
    page.y -= 10 * mm
    sign_left, sign_right = MARGIN + 40 * mm, page.width - MARGIN - 40 * mm
    page.centred(_("FOR THE GIVER"), size=11, bold=True, centre=sign_left)
    page.centred(_("FOR THE RECEIVER"), size=11, bold=True, centre=sign_right)
    page.y -= 5 * mm
    page.centred(_("(signature and full name)"), size=9, centre=sign_left)
    page.centred(_("(signature, full name and seal)"), size=9, centre=sign_right)
    page.y -= 25 * mm
    pdf.setLineWidth(0.5)
    pdf.line(sign_left - 30 * mm, page.y + 4 * mm, sign_left + 30 * mm, page.y + 4 * mm)
    pdf.line(sign_right - 30 * mm, page.y + 4 * mm, sign_right + 30 * mm, page.y + 4 * mm)
    page.centred(handover.giver_name, size=11, bold=True, centre=sign_left)
    page.centred(handover.receiver_name, size=11, bold=True, centre=sign_right)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _table(page: _Page, columns, rows) -> None:
    """A plain ruled table whose cells wrap their text."""
    pdf, size, pad = page.pdf, 10, 2 * mm
    x_positions, x = [], MARGIN
    for _heading, width in columns:
        x_positions.append(x)
        x += width
    table_right = x

    def draw_row(cells, font):
        wrapped = [
            simpleSplit(_clean(text), font, size, width - 2 * pad) or [""]
            for text, (_h, width) in zip(cells, columns, strict=True)
        ]
        height = max(len(lines) for lines in wrapped) * size * 1.35 + 2 * pad
        page.need(height)
        top = page.y
        pdf.setFont(font, size)
        for lines, left in zip(wrapped, x_positions, strict=True):
            y = top - pad - size
            for line in lines:
                pdf.drawString(left + pad, y, line)
                y -= size * 1.35
        pdf.setLineWidth(0.5)
        pdf.rect(MARGIN, top - height, table_right - MARGIN, height)
        for left in x_positions[1:]:
            pdf.line(left, top, left, top - height)
        page.y = top - height

    draw_row([heading for heading, _w in columns], page.bold)
    for cells in rows:
        draw_row(cells, page.regular)
    page.y -= 4 * mm


def handover_filename(handover: Handover) -> str:
    return f"bien-ban-ban-giao-{handover.contribution.payment_reference.lower()}.pdf"
