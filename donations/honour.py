"""The honour roll: every month and every school year, the school thanks its contributors in public.

A roll is drafted from the contributions received in its period, one line per donor, each shown by the
donor's public name ("Anonymous" unless the donor chose to be named) with a short text of what they
gave. The principal reviews it in the admin (order, the text shown, a photo of the gift) and publishes
it; the school's public page then shows it, and it prints as a poster.

Lines are in the order the gifts arrived, never by amount: the roll thanks, it does not rank.
Whatever a line says, an anonymous donor is shown as "Anonymous" wherever the roll is shown.
"""

from __future__ import annotations

import calendar
import datetime
import io
import logging
from collections import defaultdict
from decimal import Decimal
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from donations.models import (
    Contribution,
    ContributionEvidence,
    ContributionKind,
    ContributionState,
    Donor,
    DonorDisplay,
    HonourLine,
    HonourRoll,
    RollPeriod,
    SpendingEvidence,
    hours_plural,
)
from mediafiles.models import Kind, MediaFile, State
from schools.models import SchoolYear

logger = logging.getLogger(__name__)

# The public page shows the latest published rolls, this many.
PUBLIC_ROLLS = 12


# --- Words and figures


def dong(amount: int) -> str:
    """An amount in đồng as Vietnamese write it: 1.500.000 đ."""
    return f"{int(amount):,}".replace(",", ".") + " đ"


def _hours(value: Decimal) -> str:
    value = Decimal(value).normalize()
    text = f"{value:f}"
    return text.replace(".", ",") if translation.get_language() == "vi" else text


def gift_text(contributions) -> str:
    """What a donor gave, in short: the cash, the goods and the hours of work (in the active language)."""
    cash = sum(c.amount or 0 for c in contributions if c.kind == ContributionKind.CASH)
    parts = []
    if cash:
        parts.append(dong(cash))
    for c in contributions:
        if c.kind == ContributionKind.IN_KIND:
            items = c.items or (c.wish.name if c.wish_id else "")
            parts.append(f"{c.quantity} × {items}" if c.quantity and c.quantity > 1 else items)
    hours = sum((c.hours or Decimal(0) for c in contributions if c.kind == ContributionKind.WORK), Decimal(0))
    if hours:
        parts.append(
            ngettext("%(hours)s hour of work", "%(hours)s hours of work", hours_plural(hours))
            % {"hours": _hours(hours)}
        )
    return "; ".join(p for p in parts if p)[:300]


def shown_name(line: HonourLine) -> str:
    """How a line names its donor wherever the roll is shown: "Anonymous" for an anonymous donor,
    whatever the text says (the donor may have changed their mind since the roll was drafted)."""
    donor = line.donor
    if donor is None or donor.display == DonorDisplay.ANONYMOUS:
        return str(gettext_lazy("Anonymous"))
    if donor.display == DonorDisplay.CHOSEN and not donor.display_name:
        return str(gettext_lazy("Anonymous"))
    return line.shown_as or donor.public_name


def _period_bounds(*, school, period: str, starts_on: datetime.date) -> tuple[datetime.date, datetime.date, str]:
    """The roll's first and last day, and its title (in the portal's language)."""
    if period == RollPeriod.MONTH:
        first = starts_on.replace(day=1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        title = _("Honour roll, %(month)s") % {"month": date_format(first, "YEAR_MONTH_FORMAT")}
        return first, last, title
    if period == RollPeriod.YEAR:
        year = SchoolYear.objects.filter(school=school, starts_on=starts_on).first()
        if year is None:
            raise ValidationError(_("No school year of this school starts on that day."))
        return year.starts_on, year.ends_on, _("Honour roll of the school year %(year)s") % {"year": year.name}
    raise ValidationError(_("Choose a month or a school year."))


def received_in(*, school, starts_on: datetime.date, ends_on: datetime.date):
    return Contribution.objects.filter(
        school=school, state=ContributionState.RECEIVED, received_on__gte=starts_on, received_on__lte=ends_on
    )


# --- Services


def honour_roll_draft(*, school, period: str, starts_on: datetime.date, by=None) -> HonourRoll:
    """Draft the roll of a month or a school year from the contributions received in it, or draft it again.

    Drafting again keeps the principal's order, text and photo for donors still on the roll (but an
    anonymous donor's text is always "Anonymous") and adds or removes the others. A published roll
    is not drafted again.
    """
    with translation.override(settings.LANGUAGE_CODE):
        first, last, title = _period_bounds(school=school, period=period, starts_on=starts_on)
        with transaction.atomic():
            roll, created = HonourRoll.objects.select_for_update().get_or_create(
                school=school, period=period, starts_on=first, defaults={"ends_on": last, "title": title}
            )
            if roll.published_at is not None:
                raise ValidationError(_("This honour roll is published already: it is not drafted again."))
            by_donor: dict[int, list[Contribution]] = defaultdict(list)
            for contribution in (
                received_in(school=school, starts_on=first, ends_on=last)
                .select_related("wish")
                .order_by("received_on", "received_at", "pk")
            ):
                by_donor[contribution.donor_id].append(contribution)
            donors = Donor.objects.in_bulk(list(by_donor))
            kept = {line.donor_id: line for line in roll.lines.all() if line.donor_id in by_donor}
            roll.lines.exclude(pk__in=[line.pk for line in kept.values()]).delete()
            next_position = max((line.position for line in kept.values()), default=0)
            for donor_id, contributions in by_donor.items():
                donor = donors[donor_id]
                line = kept.get(donor_id)
                if line is None:
                    next_position += 1
                    line = HonourLine(roll=roll, donor=donor, position=next_position, shown_as=donor.public_name)
                elif donor.display == DonorDisplay.ANONYMOUS or not line.shown_as:
                    line.shown_as = donor.public_name
                line.gift = gift_text(contributions)
                line.save()
            if not created:
                roll.ends_on = last
                roll.save(update_fields=["ends_on"])
    return roll


def honour_roll_publish(*, roll: HonourRoll, by) -> HonourRoll:
    """Publish a drafted roll: the school's public page shows it from now on."""
    with transaction.atomic():
        roll = HonourRoll.objects.select_for_update().get(pk=roll.pk)
        if roll.published_at is not None:
            raise ValidationError(_("This honour roll is published already."))
        lines = list(roll.lines.select_related("donor"))
        if not lines:
            raise ValidationError(_("This honour roll has nobody on it: there is nothing to publish."))
        with translation.override(settings.LANGUAGE_CODE):
            for line in lines:
                shown = shown_name(line)
                if shown != line.shown_as:
                    line.shown_as = shown
                    line.save(update_fields=["shown_as"])
        roll.published_at = timezone.now()
        roll.published_by = by
        roll.save(update_fields=["published_at", "published_by"])
    return roll


def honour_roll_unpublish(*, roll: HonourRoll, by) -> HonourRoll:
    """Take a roll off the public page (to correct it)."""
    HonourRoll.objects.filter(pk=roll.pk).update(published_at=None, published_by=None)
    roll.refresh_from_db()
    return roll


# --- Photos


def allowed_photos(*, school_ids=None):
    """The photos a roll may show: photos of the goods given, and the public evidence of what was bought.

    Never a photo of a child or of a bank slip: only images attached to in-kind contributions, and
    spending evidence not marked as holding personal data.
    """
    goods = ContributionEvidence.objects.filter(contribution__kind=ContributionKind.IN_KIND)
    spending = SpendingEvidence.objects.filter(personal=False)
    if school_ids is not None:
        goods = goods.filter(contribution__school_id__in=school_ids)
        spending = spending.filter(spending__campaign__school_id__in=school_ids)
    return MediaFile.objects.filter(kind=Kind.IMAGE, state=State.READY).filter(
        Q(pk__in=goods.values("media_id")) | Q(pk__in=spending.values("media_id"))
    )


def line_photo_allowed(line: HonourLine) -> bool:
    return (
        line.photo_id is not None and allowed_photos(school_ids=[line.roll.school_id]).filter(pk=line.photo_id).exists()
    )


def photo_bytes(media: MediaFile) -> tuple[bytes, str] | None:
    """A photo's preview (JPEG) or, without one, its original: bytes and content type."""
    for name, content_type in ((media.preview, "image/jpeg"), (media.original, media.content_type or "image/jpeg")):
        if name:
            try:
                with default_storage.open(name.name, "rb") as stored:
                    return stored.read(), content_type
            except OSError:
                logger.warning("honour roll photo %s could not be read", media.pk, exc_info=True)
    return None


# --- Reading


def published_rolls(*, school, limit: int = PUBLIC_ROLLS) -> list[HonourRoll]:
    """The latest published rolls of a school with their lines (and their photos' sizes), in two queries."""
    lines = HonourLine.objects.select_related("donor", "photo").order_by("position", "pk")
    return list(
        HonourRoll.objects.filter(school=school, published_at__isnull=False)
        .order_by("-starts_on", "period", "-pk")
        .prefetch_related(Prefetch("lines", queryset=lines))[:limit]
    )


def has_published_roll(school) -> bool:
    return HonourRoll.objects.filter(school=school, published_at__isnull=False).exists()


# --- The poster


def honour_poster_pdf(roll: HonourRoll) -> bytes:
    """The roll as a printable A4 poster, in the active language."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from coordination.lib.pdf import unicode_fonts

    regular, bold = unicode_fonts()
    school = roll.school
    centred = ParagraphStyle("centred", fontName=regular, fontSize=11, leading=15, alignment=TA_CENTER)
    school_style = ParagraphStyle("school", parent=centred, fontName=bold, fontSize=14, leading=18)
    title_style = ParagraphStyle("title", parent=centred, fontName=bold, fontSize=26, leading=32, spaceBefore=12)
    name_style = ParagraphStyle("name", fontName=bold, fontSize=13, leading=17)
    gift_style = ParagraphStyle("gift", fontName=regular, fontSize=12, leading=16)
    story = [
        Paragraph(escape(school.name), school_style),
        Paragraph(escape(school.address), centred) if school.address else Spacer(1, 0),
        Paragraph(escape(roll.title), title_style),
        Paragraph(
            escape(
                _("From %(first)s to %(last)s")
                % {
                    "first": date_format(roll.starts_on, "SHORT_DATE_FORMAT"),
                    "last": date_format(roll.ends_on, "SHORT_DATE_FORMAT"),
                }
            ),
            centred,
        ),
        Spacer(1, 0.5 * cm),
    ]
    if roll.intro:
        story += [Paragraph(escape(roll.intro).replace("\n", "<br/>"), centred), Spacer(1, 0.5 * cm)]
    rows = [
        [Paragraph(escape(shown_name(line)), name_style), Paragraph(escape(line.gift), gift_style)]
        for line in roll.lines.all()
    ]
    if rows:
        table = Table(rows, colWidths=[7.5 * cm, 9.5 * cm])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#d1d5db")),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        story.append(table)
    story += [
        Spacer(1, 1 * cm),
        Paragraph(
            escape(_("Thank you for your kindness to our children.")),
            title_style.clone("thanks", fontSize=16, leading=20),
        ),
        Paragraph(escape(_("Every gift is voluntary; no amount is ever asked of a family.")), centred),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=roll.title,
    )
    document.build(story)
    return buffer.getvalue()
