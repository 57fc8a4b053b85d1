"""Printable invitation letters: one A4 page per code, with the code and a QR code."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from coordination.lib.pdf import qr_image, unicode_fonts
from parents.models import InvitationCode


def invitation_join_url(invitation: InvitationCode) -> str:
    return f"{settings.SITE_URL}{reverse('parents:join')}?code={invitation.code}"


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}".strip()
            if stringWidth(candidate, font, size) <= width:
                line = candidate
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def invitation_letters_pdf(*, invitations: Iterable[InvitationCode]) -> bytes:
    """Render the letters; each invitation must come with child, classroom and school loaded."""
    regular, bold = unicode_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(_("Invitation letters"))
    width, height = A4
    margin = 20 * mm
    text_width = width - 2 * margin
    for invitation in invitations:
        child = invitation.child
        school = child.school
        y = height - margin
        pdf.setFont(bold, 16)
        pdf.drawString(margin, y, school.name)
        y -= 7 * mm
        pdf.setFont(regular, 10)
        if school.address:
            pdf.drawString(margin, y, school.address)
            y -= 12 * mm
        else:
            y -= 5 * mm
        pdf.setFont(bold, 20)
        pdf.drawString(margin, y, _("Invitation to the family portal"))
        y -= 12 * mm
        pdf.setFont(regular, 12)
        intro = _(
            "Dear family of %(child)s (class %(classroom)s),\n"
            "The school shares home activities, your child's works, growth and news with families "
            "through the portal. Join with the code below: it links your account to your child."
        ) % {"child": child.full_name, "classroom": child.classroom.name if child.classroom else "—"}
        for line in _wrap(intro, regular, 12, text_width):
            pdf.drawString(margin, y, line)
            y -= 6 * mm
        y -= 6 * mm
        pdf.setFont(bold, 13)
        pdf.drawString(margin, y, _("Your code"))
        y -= 14 * mm
        pdf.setFont(bold, 34)
        pdf.drawString(margin, y, invitation.code_display)
        qr_size = 50 * mm
        pdf.drawImage(qr_image(invitation_join_url(invitation)), width - margin - qr_size, y - 8 * mm, qr_size, qr_size)
        y -= 14 * mm
        pdf.setFont(regular, 11)
        pdf.drawString(
            margin,
            y,
            _("Valid until %(date)s. One code for one person.")
            % {"date": formats.date_format(invitation.expires_at, "SHORT_DATE_FORMAT")},
        )
        y -= 14 * mm
        pdf.setFont(bold, 13)
        pdf.drawString(margin, y, _("How to join"))
        y -= 8 * mm
        pdf.setFont(regular, 12)
        steps = [
            _("1. Scan the QR code with your phone's camera, or open %(url)s")
            % {"url": settings.SITE_URL + reverse("parents:join")},
            _("2. Create an account with your e-mail address or phone number, or sign in."),
            _("3. Enter the code if it is not filled in already, and confirm."),
        ]
        for step in steps:
            for line in _wrap(step, regular, 12, text_width):
                pdf.drawString(margin, y, line)
                y -= 6 * mm
            y -= 2 * mm
        y -= 8 * mm
        pdf.setFont(regular, 10)
        privacy = _(
            "Your child's photos, videos and health data are private: only your family and the "
            "school's staff can see them, and you decide what the school may use. Keep this code "
            "to yourself; if it is lost, ask the class teacher for a new one."
        )
        for line in _wrap(privacy, regular, 10, text_width):
            pdf.drawString(margin, y, line)
            y -= 5 * mm
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
