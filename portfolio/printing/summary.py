"""The "ready for school" summary: a few works a guardian chooses, on a short PDF the family takes to
the primary school. The portal makes it while the family waits and sends it nowhere.

It names the child (given name and full name), and shows the chosen works by developmental domain,
each with its date, its photos (while the consent to portfolio photos stands) and the teacher's note.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from coordination.lib.pdf import unicode_fonts
from parents.models import ConsentPurpose
from parents.selectors import child_consent_granted
from portfolio import policies
from portfolio.models import Work, WorkPhoto
from portfolio.printing.documents import clean, day, photo_bytes
from schools.models import Child, Domain, school_today

MAX_WORKS = 12
PHOTOS_PER_WORK = 2


def summary_works(*, child: Child) -> list[Work]:
    """The works a guardian may choose from: all of the child's, by domain then newest first."""
    order = {value: position for position, value in enumerate(Domain.values)}
    works = Work.objects.filter(child=child).order_by("-made_on", "-pk")
    return sorted(works, key=lambda w: order.get(w.domain, len(order)))


def summary_chosen(*, child: Child, work_ids: list[str]) -> list[Work]:
    """The chosen works, checked: at least one, at most MAX_WORKS, all of this child's."""
    if any(not str(value).isdigit() for value in work_ids):
        raise ValidationError(_("Choose works of this child only."), code="other_child")
    ids = {int(value) for value in work_ids}
    if not ids:
        raise ValidationError(_("Choose at least one work to put in the summary."), code="none")
    if len(ids) > MAX_WORKS:
        raise ValidationError(
            ngettext(
                "Choose at most %(count)s work: the summary is meant to be short.",
                "Choose at most %(count)s works: the summary is meant to be short.",
                MAX_WORKS,
            )
            % {"count": MAX_WORKS},
            code="too_many",
        )
    photos = Prefetch("photos", queryset=WorkPhoto.objects.select_related("media"))
    works = list(Work.objects.filter(child=child, pk__in=ids).prefetch_related(photos).order_by("made_on", "pk"))
    if len(works) != len(ids):
        raise ValidationError(_("Choose works of this child only."), code="other_child")
    return works


def summary_pdf(*, child: Child, by, work_ids: list[str]) -> bytes:
    """The summary of the chosen works. Only the child's guardians make it; nothing is sent anywhere."""
    if not policies.can_make_summary(by, child):
        raise PermissionDenied
    works = summary_chosen(child=child, work_ids=work_ids)
    with_photos = child_consent_granted(child=child, purpose=ConsentPurpose.PORTFOLIO_PHOTOS)
    return render_summary_pdf(child=child, works=works, with_photos=with_photos)


def render_summary_pdf(*, child: Child, works: list[Work], with_photos: bool) -> bytes:
    regular, bold = unicode_fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=11, leading=15, spaceAfter=3)
    small = ParagraphStyle("small", parent=body, fontSize=9.5, leading=12, textColor=colors.HexColor("#4b5563"))
    name_style = ParagraphStyle("name", parent=body, fontName=bold, fontSize=30, leading=36, spaceAfter=2)
    heading = ParagraphStyle("heading", parent=body, fontName=bold, fontSize=14, leading=18, spaceBefore=10)
    work_title = ParagraphStyle("work", parent=body, fontName=bold, fontSize=12, leading=16, spaceBefore=6)
    width = A4[0] - 3.6 * cm
    school = clean(child.school.name)

    story = [
        Paragraph(escape(_("Ready for school")), small),
        Paragraph(escape(clean(child.given_name)), name_style),
        Paragraph(escape(_("Full name: %(name)s") % {"name": clean(child.full_name)}), body),
        Paragraph(escape(_("Kindergarten: %(school)s") % {"school": school}), body),
        Spacer(1, 0.4 * cm),
    ]
    labels = dict(Domain.choices)
    for domain in Domain.values:
        chosen = [w for w in works if w.domain == domain]
        if not chosen:
            continue
        story.append(Paragraph(escape(str(labels[domain])), heading))
        for work in chosen:
            text = [
                Paragraph(escape(clean(work.title)), work_title),
                Paragraph(escape(day(work.made_on)), small),
            ]
            if work.teacher_note:
                text.append(
                    Paragraph(escape(_("The teacher's note: %(note)s") % {"note": clean(work.teacher_note)}), body)
                )
            pictures = []
            if with_photos:
                for photo in list(work.photos.all())[:PHOTOS_PER_WORK]:
                    data = photo_bytes(photo.media)
                    if data is not None:
                        w, h = ImageReader(io.BytesIO(data)).getSize()
                        scale = min(5.5 * cm / w, 5.5 * cm / h)
                        pictures.append(Image(io.BytesIO(data), width=w * scale, height=h * scale))
            if pictures:
                row = Table([[pictures, text]], colWidths=[6 * cm, width - 6 * cm])
                row.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
                story.append(KeepTogether([row]))
            else:
                story.append(KeepTogether(text))
    story += [
        Spacer(1, 0.6 * cm),
        Paragraph(
            escape(
                _("Made by the family on %(date)s from the works recorded at %(school)s.")
                % {"date": day(school_today()), "school": school}
            ),
            small,
        ),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=1.8 * cm,
        rightMargin=1.8 * cm,
        topMargin=1.6 * cm,
        bottomMargin=1.6 * cm,
        title=_("Ready for school: %(name)s") % {"name": clean(child.full_name)},
        author=school,
    )
    document.build(story)
    return buffer.getvalue()
