"""The one-page printable card of an activity, for families who get it on paper.

It carries the instructions and the materials, and a QR code to the activity's page
(where the video plays and the family answers). Long texts shrink to keep it on one page.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepInFrame, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from activities.models import Activity
from activities.services import activity_url
from coordination.lib.pdf import qr_image, unicode_fonts

MARGIN = 1.6 * cm
QR_SIZE = 4.5 * cm


class _Picture(Flowable):
    """An ImageReader (what coordination.lib.pdf.qr_image gives) as a flowable of a fixed size."""

    def __init__(self, reader, *, size: float):
        super().__init__()
        self.reader, self.size = reader, size

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self):
        self.canv.drawImage(self.reader, 0, 0, width=self.size, height=self.size)


def _paragraphs(text: str, style: ParagraphStyle) -> list:
    blocks = [block.strip() for block in (text or "").replace("\r\n", "\n").split("\n")]
    return [Paragraph(escape(block), style) for block in blocks if block]


def activity_card_pdf(*, activity: Activity) -> bytes:
    regular, bold = unicode_fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=12, leading=17, spaceAfter=5)
    small = ParagraphStyle("small", parent=body, fontSize=9.5, leading=12, textColor=colors.HexColor("#5b6575"))
    title = ParagraphStyle("title", parent=body, fontName=bold, fontSize=20, leading=25, spaceAfter=6)
    heading = ParagraphStyle("heading", parent=body, fontName=bold, fontSize=13, leading=18, spaceBefore=8)

    link = settings.SITE_URL + activity_url(activity)
    classes = ", ".join(c.name for c in activity.classrooms.all())
    facts = [activity.get_domain_display(), activity.get_age_group_display(), classes]
    if activity.answer_by:
        facts.append(_("Answer by %(date)s") % {"date": formats.date_format(activity.answer_by, "SHORT_DATE_FORMAT")})

    qr = _Picture(qr_image(link, box_size=8), size=QR_SIZE)
    scan = [
        qr,
        Paragraph(escape(_("Scan to watch the video and send your answer.")), small),
    ]
    head = [
        Paragraph(escape(activity.school.name), small),
        Paragraph(escape(activity.title), title),
        Paragraph(escape(" · ".join(str(f) for f in facts if f)), body),
    ]
    top = Table([[head, scan]], colWidths=[A4[0] - 2 * MARGIN - QR_SIZE - 0.6 * cm, QR_SIZE + 0.6 * cm])
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))

    story = [top, Spacer(1, 0.3 * cm)]
    if activity.materials:
        story.append(Paragraph(escape(_("Materials found at home")), heading))
        story += _paragraphs(activity.materials, body)
    story.append(Paragraph(escape(_("What to do")), heading))
    story += _paragraphs(activity.instructions, body)
    story += [
        Spacer(1, 0.4 * cm),
        Paragraph(escape(_("Send a photo or a short clip of your child doing it: open the link below.")), body),
        Paragraph(escape(link), small),
    ]
    if activity.created_by:
        story.append(Paragraph(escape(str(activity.created_by)), small))

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=activity.title,
        author=activity.school.name,
    )
    # One page whatever the length of the text: it shrinks rather than running over.
    frame_height = A4[1] - 2 * MARGIN - 12
    document.build([KeepInFrame(A4[0] - 2 * MARGIN, frame_height, story, mode="shrink")])
    return buffer.getvalue()
