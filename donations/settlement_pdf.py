"""The public settlement report of a campaign as a PDF: its figures, the principal's summary, who
prepared it and the parents' board's co-signature. It names no donor."""

from __future__ import annotations

import io
import unicodedata
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from coordination.lib.money import format_vnd
from coordination.lib.pdf import unicode_fonts


def _clean(text) -> str:
    """Composed Vietnamese letters, no control characters, single spaces within a line."""
    text = unicodedata.normalize("NFC", str(text or ""))
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def _lines(text) -> str:
    return "<br/>".join(escape(_clean(line)) for line in str(text or "").splitlines())


def _day(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localdate(value, timezone=timezone.get_default_timezone())
    return f"{value:%d/%m/%Y}"


def _hours(value) -> str:
    return format(value.normalize(), "f") if value is not None else "0"


def settlement_pdf(*, settlement, figures) -> bytes:
    """The report, from the settlement and the campaign's figures (cash, goods, work, spent, balance)."""
    campaign = settlement.campaign
    regular, bold = unicode_fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=11, leading=15, spaceAfter=4)
    small = ParagraphStyle("small", parent=body, fontSize=9.5, leading=12, textColor=colors.HexColor("#4b5563"))
    title = ParagraphStyle("title", parent=body, fontName=bold, fontSize=18, leading=23, spaceAfter=6)
    heading = ParagraphStyle("heading", parent=body, fontName=bold, fontSize=13, leading=17, spaceBefore=10)
    school = _clean(campaign.school.name)

    rows = [
        (_("Cash received"), format_vnd(figures.cash_received)),
        (_("Value of goods received"), format_vnd(figures.goods_value)),
        (_("Hours of work given"), _hours(figures.work_hours)),
        (_("Spent"), format_vnd(figures.spent)),
        (_("Balance"), format_vnd(figures.balance)),
    ]
    table = Table(
        [[Paragraph(escape(str(label)), body), Paragraph(escape(value), body)] for label, value in rows],
        colWidths=[8 * cm, 6 * cm],
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9ca3af")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    prepared_by = settlement.prepared_by.full_name if settlement.prepared_by else ""
    if settlement.cosigned_at:
        cosign = _("Co-signed for the parents' board by %(name)s on %(date)s.") % {
            "name": _clean(settlement.cosigner_name),
            "date": _day(settlement.cosigned_at),
        }
    else:
        cosign = _("Waiting for the parents' board's signature.")
    story = [
        Paragraph(escape(school), small),
        Paragraph(escape(_("Settlement report")), small),
        Paragraph(escape(_clean(campaign.title)), title),
        Paragraph(escape(_("Purpose")), heading),
        Paragraph(_lines(campaign.purpose), body),
        Paragraph(escape(_("Figures")), heading),
        table,
        Paragraph(escape(_("Summary")), heading),
        Paragraph(_lines(settlement.summary), body),
        Spacer(1, 0.5 * cm),
        Paragraph(
            escape(
                _("Prepared by %(name)s, principal, on %(date)s.")
                % {"name": _clean(prepared_by), "date": _day(settlement.prepared_at)}
            ),
            body,
        ),
        Paragraph(escape(cosign), body),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.8 * cm,
        bottomMargin=1.8 * cm,
        title=_("Settlement report: %(title)s") % {"title": _clean(campaign.title)},
        author=school,
    ).build(story)
    return buffer.getvalue()
