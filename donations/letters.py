"""Thank-you letters: a PDF on the school's letterhead, for one contribution or a donor's gifts over a period.

The letter is written in the donor's language (Vietnamese, or English where they chose it). It may
carry a child's drawing: a teacher chooses a photo they may see of a drawing by a child of their
class whose guardians consented to "my child's drawing in thank-you letters to donors". The letter
never names the child, and the drawing is printed only while that consent stands when the PDF is
made: a withdrawal takes it out of every letter made afterwards.

A letter goes to the donor's account as a notice linking to its PDF, or, for a donor without an
account, by e-mail with the PDF attached. Only the donor and the school's managers open it.
"""

from __future__ import annotations

import io
import logging
from xml.sax.saxutils import escape

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from donations.honour import gift_text, photo_bytes
from donations.models import Contribution, ContributionState, Donor, Letter
from mediafiles.access import can_view_media
from mediafiles.models import Kind, MediaFile, State
from notifications.models import Category
from notifications.services import notice_send
from parents.models import ConsentPurpose
from parents.selectors import child_consent_granted, consent_granted_child_ids
from schools.models import Child, StaffMembership, StaffRole
from schools.policies import access_for, is_leader_of

logger = logging.getLogger(__name__)

DRAWINGS = ConsentPurpose.DONOR_LETTER_DRAWINGS
LETTER_TITLE = gettext_lazy("A thank-you letter from %(school)s")
LETTER_BODY = gettext_lazy("%(school)s thanks you for your gift. Open the letter from the link.")


# --- Which children and drawings


def drawing_child_ids(*, child_ids) -> set[int]:
    """Of these children, those whose guardians consented to their drawings in thank-you letters."""
    return consent_granted_child_ids(child_ids=child_ids, purpose=DRAWINGS)


def drawing_shown(letter: Letter) -> bool:
    """Whether the letter prints its drawing now: a ready photo, and the child's consent still standing."""
    if letter.drawing_id is None or letter.drawing_child_id is None:
        return False
    drawing, child = letter.drawing, letter.drawing_child
    if drawing.kind != Kind.IMAGE or drawing.state != State.READY or child.school_id != letter.school_id:
        return False
    return child_consent_granted(child=child, purpose=DRAWINGS)


def _check_drawing(*, school_id: int, child: Child | None, drawing: MediaFile | None) -> None:
    if child is None and drawing is None:
        return
    if child is None or drawing is None:
        raise ValidationError(_("A drawing needs both the child and the photo of the drawing."))
    if child.school_id != school_id or child.left_on is not None:
        raise ValidationError(_("Choose a child of this school."))
    if drawing.school_id != school_id or drawing.kind != Kind.IMAGE or drawing.state != State.READY:
        raise ValidationError(_("Choose a photo of this school."))
    if not child_consent_granted(child=child, purpose=DRAWINGS):
        raise ValidationError(
            _("This child's guardians have not agreed that their drawings appear in letters to donors.")
        )


# --- Services


def letter_contributions(letter: Letter) -> list[Contribution]:
    """The received gifts a letter thanks for."""
    if letter.contribution_id is not None:
        found = Contribution.objects.filter(pk=letter.contribution_id, state=ContributionState.RECEIVED)
    else:
        found = Contribution.objects.filter(
            donor_id=letter.donor_id,
            state=ContributionState.RECEIVED,
            received_on__gte=letter.period_from,
            received_on__lte=letter.period_until,
        )
    return list(found.select_related("campaign", "wish").order_by("received_on", "pk"))


def letter_check(*, donor: Donor, contribution=None, period_from=None, period_until=None) -> None:
    """Refuse what a letter cannot thank for (with a message that says why)."""
    if contribution is not None:
        if period_from or period_until:
            raise ValidationError(_("A letter thanks for one contribution or for a period, not both."))
        if contribution.donor_id != donor.pk:
            raise ValidationError(_("This contribution is not this donor's."))
        if contribution.state != ContributionState.RECEIVED:
            raise ValidationError(_("Only a received contribution is thanked for."))
    else:
        if not (period_from and period_until):
            raise ValidationError(_("Choose a contribution, or the first and last day of a period."))
        if period_from > period_until:
            raise ValidationError(_("The period ends before it starts."))
        if not donor.contributions.filter(
            state=ContributionState.RECEIVED, received_on__gte=period_from, received_on__lte=period_until
        ).exists():
            raise ValidationError(_("This donor gave nothing received in that period."))


def letter_create(
    *,
    donor: Donor,
    by,
    contribution: Contribution | None = None,
    period_from=None,
    period_until=None,
    drawing: MediaFile | None = None,
    drawing_child: Child | None = None,
) -> Letter:
    """A letter for one received contribution, or for the donor's received gifts in a period."""
    letter_check(donor=donor, contribution=contribution, period_from=period_from, period_until=period_until)
    _check_drawing(school_id=donor.school_id, child=drawing_child, drawing=drawing)
    return Letter.objects.create(
        school_id=donor.school_id,
        donor=donor,
        contribution=contribution,
        period_from=period_from if contribution is None else None,
        period_until=period_until if contribution is None else None,
        language=donor.language or "vi",
        drawing=drawing,
        drawing_child=drawing_child,
        created_by=by,
    )


def letter_attach_drawing(*, letter: Letter, by, child: Child, drawing: MediaFile) -> Letter:
    """A teacher puts a drawing by a child of their class (with consent) on a letter not sent yet."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        if letter.sent_at is not None:
            raise ValidationError(_("This letter was sent already."))
        if not (is_leader_of(by, child.school_id) or child.classroom_id in access_for(by).taught_classroom_ids):
            raise ValidationError(_("Choose a child of your class."))
        if not can_view_media(by, drawing):
            raise ValidationError(_("Choose a photo that you can see."))
        _check_drawing(school_id=letter.school_id, child=child, drawing=drawing)
        letter.drawing, letter.drawing_child = drawing, child
        letter.save(update_fields=["drawing", "drawing_child"])
    return letter


def _pdf_name(letter: Letter) -> str:
    return f"thank-you-{letter.pk}.pdf"


def letter_send(*, letter: Letter, by) -> Letter:
    """Send the letter: a notice to the donor's account, or an e-mail with the PDF to a donor without one."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().select_related("donor", "school").get(pk=letter.pk)
        if letter.sent_at is not None:
            raise ValidationError(_("This letter was sent already."))
        donor, school = letter.donor, letter.school
        if donor.user_id is not None and donor.user.is_active:
            notice_send(
                recipient=donor.user,
                category=Category.HONOUR_ROLL,
                title=LETTER_TITLE,
                body=LETTER_BODY,
                url=reverse("donations:letter_pdf", kwargs={"pk": letter.pk}),
                dedupe_key=f"donations:letter:{letter.pk}",
                school=school,
                context={"school": school.name},
            )
        elif donor.email:
            with translation.override(letter.language):
                message = EmailMessage(
                    subject=str(LETTER_TITLE % {"school": school.name}),
                    body=str(
                        _("%(school)s thanks you for your gift. The letter is attached.") % {"school": school.name}
                    ),
                    to=[donor.email],
                )
            message.attach(_pdf_name(letter), letter_pdf(letter), "application/pdf")
            transaction.on_commit(lambda: message.send(fail_silently=False))
        else:
            raise ValidationError(
                _("This donor has no account and no e-mail address: print the letter and hand it over.")
            )
        now = timezone.now()
        letter.sent_at = now
        letter.save(update_fields=["sent_at"])
        covered = [c.pk for c in letter_contributions(letter)]
        Contribution.objects.filter(pk__in=covered, thanked_at__isnull=True).update(thanked_at=now)
    return letter


def letter_send_for_contribution(*, contribution: Contribution, by) -> Letter:
    """The admin's "send a thank-you letter": the contribution's letter not sent yet (or a new one), sent."""
    letter = Letter.objects.filter(contribution=contribution, sent_at__isnull=True).order_by("pk").first()
    if letter is None:
        letter = letter_create(donor=contribution.donor, by=by, contribution=contribution)
    return letter_send(letter=letter, by=by)


# --- The PDF


def _principal_name(school_id: int) -> str:
    membership = (
        StaffMembership.objects.filter(school_id=school_id, role=StaffRole.PRINCIPAL, is_active=True)
        .select_related("user")
        .first()
    )
    return membership.user.full_name if membership else ""


def letter_pdf(letter: Letter) -> bytes:
    """The letter as a PDF in its language, on the school's letterhead, with the drawing if still consented."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import HRFlowable, Image, Paragraph, SimpleDocTemplate, Spacer

    from coordination.lib.pdf import unicode_fonts

    regular, bold = unicode_fonts()
    school, donor = letter.school, letter.donor
    gifts = letter_contributions(letter)
    body = ParagraphStyle("body", fontName=regular, fontSize=11.5, leading=16, spaceAfter=6)
    small = ParagraphStyle("small", parent=body, fontSize=9.5, leading=12, textColor=colors.HexColor("#4b5563"))
    head = ParagraphStyle("head", parent=body, fontName=bold, fontSize=15, leading=19, spaceAfter=2)
    title = ParagraphStyle("title", parent=body, fontName=bold, fontSize=20, leading=26, spaceBefore=18, spaceAfter=14)
    item = ParagraphStyle("item", parent=body, leftIndent=14, bulletIndent=2)

    with translation.override(letter.language):
        story = [Paragraph(escape(school.name), head)]
        contact = [
            "{}: {}".format(_("Address"), school.address) if school.address else "",
            "{}: {}".format(_("Phone"), school.phone) if school.phone else "",
        ]
        story += [Paragraph(escape(line), small) for line in contact if line]
        story += [
            HRFlowable(width="100%", thickness=0.8, color=colors.HexColor("#9ca3af"), spaceBefore=6, spaceAfter=6),
            Paragraph(escape(date_format(timezone.localdate(letter.created_at), "DATE_FORMAT")), small),
            Paragraph(escape(_("Thank-you letter")), title),
            Paragraph(escape(_("Dear %(name)s,") % {"name": donor.name}), body),
        ]
        if letter.contribution_id is not None:
            opening = _("On behalf of the children, the teachers and the staff of %(school)s, thank you for your gift:")
        else:
            opening = _(
                "On behalf of the children, the teachers and the staff of %(school)s, thank you for your gifts "
                "from %(first)s to %(last)s:"
            )
        story.append(
            Paragraph(
                escape(
                    opening
                    % {
                        "school": school.name,
                        "first": date_format(letter.period_from, "SHORT_DATE_FORMAT") if letter.period_from else "",
                        "last": date_format(letter.period_until, "SHORT_DATE_FORMAT") if letter.period_until else "",
                    }
                ),
                body,
            )
        )
        for gift in gifts:
            what = gift_text([gift])
            line = _("%(gift)s for “%(campaign)s”, received on %(day)s") % {
                "gift": what,
                "campaign": gift.campaign.title,
                "day": date_format(gift.received_on, "SHORT_DATE_FORMAT"),
            }
            if gift.receipt_number:
                line += " " + _("(receipt %(number)s)") % {"number": gift.receipt_label}
            story.append(Paragraph(escape(line), item, bulletText="•"))
        story.append(
            Paragraph(
                escape(
                    _(
                        "Your kindness helps our children learn and play in better conditions. The school uses "
                        "every gift as its published plan says, and reports on it in public."
                    )
                ),
                body,
            )
        )
        if drawing_shown(letter):
            found = photo_bytes(letter.drawing)
            if found is not None:
                try:
                    reader = ImageReader(io.BytesIO(found[0]))
                    width, height = reader.getSize()
                    scale = min(12 * cm / width, 9 * cm / height, 2.0)
                    story += [
                        Spacer(1, 0.3 * cm),
                        Image(io.BytesIO(found[0]), width=width * scale, height=height * scale),
                        Paragraph(escape(_("A drawing by one of our children, for you.")), small),
                    ]
                except Exception:  # noqa: BLE001 (an unreadable photo is left out of the letter)
                    logger.warning("drawing %s could not be read for letter %s", letter.drawing_id, letter.pk)
        story += [
            Spacer(1, 0.6 * cm),
            Paragraph(escape(_("With our gratitude,")), body),
            Paragraph(escape(_("On behalf of the school")), body),
        ]
        principal = _principal_name(letter.school_id)
        if principal:
            story.append(Paragraph(escape(principal), ParagraphStyle("sign", parent=body, fontName=bold)))
        story.append(Paragraph(escape(school.name), small))
        buffer = io.BytesIO()
        SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=2.2 * cm,
            rightMargin=2.2 * cm,
            topMargin=2 * cm,
            bottomMargin=2 * cm,
            title=_("Thank-you letter"),
        ).build(story)
    return buffer.getvalue()
