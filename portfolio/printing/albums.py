"""A child's album: at the end of a year, or when the child leaves, a guardian asks for it.

A worker builds two files: a PDF with the works, their notes and photos (and the home-activity
answers the teacher approved, when the app that has them says so), and a ZIP of the files with an
index page that opens offline. The guardian who asked is then told, by the child's given name.

Consent decides what goes in: photos only while the consent to portfolio photos stands; voice notes
never in the PDF (it says where they are) and in the ZIP only with the consent to voice recordings.
An album made with photos or voice notes is no longer handed out once that consent is withdrawn.
"""

from __future__ import annotations

import datetime
import logging
import re
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Prefetch
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer

from coordination.lib.pdf import unicode_fonts
from mediafiles import files as media_files
from mediafiles.models import Kind, MediaFile
from notifications.channels import user_language
from notifications.models import Category
from notifications.services import notice_send
from parents.models import ConsentPurpose
from parents.selectors import child_consent_granted
from portfolio import policies
from portfolio.models import PRINTOUT_PENDING, Album, AlbumScope, PrintoutState, Work, WorkPhoto
from portfolio.printing.documents import clean, day, delete_stored, family_copy, store_local
from schools.models import Child, Domain, SchoolYear, school_today

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
ALBUMS_PER_CHILD_DAY = 5
RECENT_ALBUMS = 10

READY_TITLE = gettext_lazy("The album of %(name)s is ready")
READY_BODY = gettext_lazy("The album you asked for is ready. Open it in the portal to download it.")


# --- Reads --------------------------------------------------------------------------------------------


def child_for_albums(*, user, child_id: int) -> Child:
    """The child whose albums this person may ask for and download; 404 for anyone else."""
    child = Child.objects.select_related("school", "classroom__school_year").filter(pk=child_id).first()
    if child is None or not policies.can_have_albums(user, child):
        raise Http404
    return child


def album_get(*, user, album_id: int) -> Album:
    album = Album.objects.select_related("child__school", "requested_by").filter(pk=album_id).first()
    if album is None or not policies.can_have_albums(user, album.child):
        raise Http404
    return album


def albums_of(*, child: Child) -> list[Album]:
    return list(Album.objects.filter(child=child).select_related("requested_by")[:RECENT_ALBUMS])


def album_withdrawn(album: Album) -> bool:
    """Made with photos or voice notes whose consent has been withdrawn since: no longer handed out."""
    if album.with_photos and not child_consent_granted(child=album.child, purpose=ConsentPurpose.PORTFOLIO_PHOTOS):
        return True
    return album.with_voice and not child_consent_granted(child=album.child, purpose=ConsentPurpose.VOICE_RECORDINGS)


def _school_year(child: Child) -> SchoolYear | None:
    """The year an album "for this school year" covers: the child's class's, or for a child who left,
    the year they left in (else the school's current year)."""
    if child.classroom_id is not None:
        return child.classroom.school_year
    years = SchoolYear.objects.filter(school_id=child.school_id)
    if child.left_on is not None:
        left_in = years.filter(starts_on__lte=child.left_on, ends_on__gte=child.left_on).first()
        if left_in is not None:
            return left_in
        return years.filter(starts_on__lte=child.left_on).order_by("-starts_on").first()
    return years.filter(is_current=True).first()


def album_period(child: Child, scope: str) -> tuple[datetime.date | None, datetime.date | None, str]:
    if scope == AlbumScope.YEAR:
        year = _school_year(child)
        if year is not None:
            return year.starts_on, year.ends_on, year.name
    return None, None, ""


def album_works(*, child: Child, start: datetime.date | None, end: datetime.date | None):
    works = Work.objects.filter(child=child)
    if start is not None:
        works = works.filter(made_on__gte=start)
    if end is not None:
        works = works.filter(made_on__lte=end)
    return works


# --- Asking -------------------------------------------------------------------------------------------


def album_request(*, child: Child, by, scope: str) -> Album:
    """A guardian asks for an album of the child (this school year, or everything); a worker builds it.

    The same album still being made is not asked for twice; a period without any work is refused."""
    if not policies.can_have_albums(by, child):
        raise PermissionDenied
    if scope not in AlbumScope.values:
        raise ValidationError({"scope": _("Choose what the album holds.")}, code="scope")
    start, end, name = album_period(child, scope)
    if not album_works(child=child, start=start, end=end).exists() and not _timeline_entries(child, start, end):
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _("There is no work of %(name)s in this period yet: nothing to put in an album.")
                % {"name": child.given_name}
            },
            code="empty",
        )
    with transaction.atomic():
        # One request at a time per child, so that two taps make one album.
        Child.objects.select_for_update().filter(pk=child.pk).first()
        pending = Album.objects.filter(child=child, scope=scope, state__in=PRINTOUT_PENDING).first()
        if pending is not None:
            return pending
        since = timezone.now() - datetime.timedelta(days=1)
        if Album.objects.filter(child=child, requested_at__gte=since).count() >= ALBUMS_PER_CHILD_DAY:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: ngettext(
                        "Albums of %(name)s were asked for %(count)s time today: please try again tomorrow.",
                        "Albums of %(name)s were asked for %(count)s times today: please try again tomorrow.",
                        ALBUMS_PER_CHILD_DAY,
                    )
                    % {"name": child.given_name, "count": ALBUMS_PER_CHILD_DAY}
                },
                code="too_many",
            )
        album = Album.objects.create(
            school_id=child.school_id,
            child=child,
            scope=scope,
            period_start=start,
            period_end=end,
            period_name=name,
            requested_by=by,
        )
        _queue(album.pk)
    return album


def _queue(album_id: int) -> None:
    from portfolio import tasks

    transaction.on_commit(lambda: tasks.media_album_build.delay(album_id))


# --- The home-activity answers, from the apps that have them ------------------------------------------------
#
# An app that has entries for a child's portfolio (home activities: the answers the teacher approved)
# offers a module `portfolio_entries` with a function `entries_for_child(*, child, start, end)` that
# returns plain records (mappings or objects) with: title, date, domain (its label), text (the
# family's note), feedback (the teacher's), media (a list of MediaFile). The album finds these
# modules with autodiscover_modules and never imports the app (portfolio.timeline, which the
# timeline shares).


def _value(record, *names, default=None):
    for name in names:
        value = record.get(name) if isinstance(record, dict) else getattr(record, name, None)
        if value not in (None, ""):
            return value
    return default


def _timeline_entries(child: Child, start, end) -> list:
    """The same entries as the child's timeline (portfolio.timeline.child_entries), without a person."""
    from portfolio.timeline import child_entries

    return child_entries(child=child, start=start, end=end)


# --- Building (the worker) ----------------------------------------------------------------------------------


@dataclass
class AlbumFile:
    zip_path: str  # inside the album's folder, with / separators
    local: Path
    kind: str  # photo, voice, video
    label: str
    # A photo's shape, for the page to keep its place while it loads (a phone photo's 4:3 when not known).
    width: int = 800
    height: int = 600

    @classmethod
    def of(cls, media: MediaFile, zip_path: str, local: Path, kind: str, label: str) -> AlbumFile:
        if media.width and media.height:
            return cls(zip_path, local, kind, label, media.width, media.height)
        return cls(zip_path, local, kind, label)


@dataclass
class AlbumEntry:
    kind: str  # work, answer
    title: str
    date: datetime.date
    domain: str
    description: str = ""
    note: str = ""  # the teacher's note (a work) or the teacher's reply (an answer)
    family_note: str = ""
    photos: list[AlbumFile] = field(default_factory=list)
    sounds: list[AlbumFile] = field(default_factory=list)
    videos: list[AlbumFile] = field(default_factory=list)
    has_voice: bool = False  # the work has a voice note (included in the ZIP or not)


def ascii_slug(text: str, *, limit: int = 40) -> str:
    """A file name every unzip program reads: "Bức tranh đầu tiên" -> "buc-tranh-dau-tien"."""
    text = clean(text).replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].strip("-") or "item"


def _copy(media: MediaFile, target: Path) -> Path | None:
    copy = family_copy(media)
    if copy is None:
        return None
    target = target.with_suffix(copy[1])
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with default_storage.open(copy[0], "rb") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out, 1024 * 1024)
    except OSError:
        logger.warning("file %s is missing from the album", media.pk, exc_info=True)
        return None
    return target


def _collect(album: Album, works: list[Work], answers: list, tmp: Path, progress) -> list[AlbumEntry]:
    entries: list[AlbumEntry] = []
    domains = dict(Domain.choices)
    for number, work in enumerate(works, start=1):
        folder = f"works/{number:03d}-{work.made_on:%Y-%m-%d}-{ascii_slug(work.title)}"
        entry = AlbumEntry(
            kind="work",
            title=clean(work.title),
            date=work.made_on,
            domain=str(domains.get(work.domain, "")),
            description=work.description,
            note=work.teacher_note,
            has_voice=work.voice_id is not None,
        )
        if album.with_photos:
            for position, photo in enumerate(work.photos.all(), start=1):
                local = _copy(photo.media, tmp / folder / f"photo-{position}")
                if local is not None:
                    label = _("Photo %(number)s of “%(title)s”") % {"number": position, "title": entry.title}
                    entry.photos.append(AlbumFile.of(photo.media, f"{folder}/{local.name}", local, "photo", label))
        if album.with_voice and work.voice is not None:
            local = _copy(work.voice, tmp / folder / "voice")
            if local is not None:
                label = _("Voice note about “%(title)s”") % {"title": entry.title}
                entry.sounds.append(AlbumFile(f"{folder}/{local.name}", local, "voice", label))
        entries.append(entry)
        progress(number)
    for number, record in enumerate(answers, start=1):
        title = clean(str(_value(record, "title", default="")))
        date = _value(record, "date", "made_on", "created_at", default=None)
        if isinstance(date, datetime.datetime):
            date = timezone.localdate(date) if timezone.is_aware(date) else date.date()
        if not isinstance(date, datetime.date):
            continue
        folder = f"home-activities/{number:03d}-{date:%Y-%m-%d}-{ascii_slug(title)}"
        entry = AlbumEntry(
            kind="answer",
            title=title,
            date=date,
            domain=str(_value(record, "domain", default="")),
            family_note=str(_value(record, "text", "note", default="")),
            note=str(_value(record, "feedback", default="")),
        )
        media = _value(record, "media", "photos", default=[]) or []
        for position, item in enumerate(media if isinstance(media, list | tuple) else [media], start=1):
            if not isinstance(item, MediaFile) or not album.with_photos:
                continue
            local = _copy(item, tmp / folder / f"file-{position}")
            if local is None:
                continue
            kind = {Kind.IMAGE: "photo", Kind.VIDEO: "video", Kind.AUDIO: "voice"}[item.kind]
            label = _("File %(number)s of “%(title)s”") % {"number": position, "title": title}
            target = {"photo": entry.photos, "video": entry.videos, "voice": entry.sounds}[kind]
            target.append(AlbumFile.of(item, f"{folder}/{local.name}", local, kind, label))
        entries.append(entry)
    return entries


def _paragraphs(text: str, style: ParagraphStyle) -> list:
    blocks = [clean(block) for block in (text or "").replace("\r\n", "\n").split("\n")]
    return [Paragraph(escape(block), style) for block in blocks if block]


def _picture(path: Path, *, max_width: float, max_height: float):
    try:
        width, height = ImageReader(str(path)).getSize()
    except Exception:  # noqa: BLE001 (an unreadable photo is left out of the PDF)
        logger.warning("photo %s could not be read for the album", path, exc_info=True)
        return None
    # Fit the page; a small photo is enlarged at most twice, so it does not turn to blocks.
    scale = min(max_width / width, max_height / height, 2.0)
    return Image(str(path), width=width * scale, height=height * scale)


def render_album_pdf(album: Album, entries: list[AlbumEntry], target: Path) -> None:
    regular, bold = unicode_fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=11, leading=15, spaceAfter=4)
    small = ParagraphStyle("small", parent=body, fontSize=9.5, leading=12, textColor=colors.HexColor("#4b5563"))
    cover = ParagraphStyle("cover", parent=body, fontName=bold, fontSize=26, leading=32, spaceAfter=12)
    heading = ParagraphStyle("heading", parent=body, fontName=bold, fontSize=15, leading=19, spaceBefore=12)
    label = ParagraphStyle("label", parent=body, fontName=bold)
    child = album.child
    width = A4[0] - 4 * cm

    story = [
        Spacer(1, 4 * cm),
        Paragraph(escape(_("Album of %(name)s") % {"name": clean(child.full_name)}), cover),
        Paragraph(escape(clean(album.school.name)), body),
        Paragraph(escape(album.period_name or _("Everything since the child started")), body),
        Paragraph(escape(_("Made on %(date)s") % {"date": day(school_today())}), small),
        Spacer(1, 1 * cm),
    ]
    if not album.with_photos:
        story.append(Paragraph(escape(_("Without photos: the consent to photos in the portfolio is not given.")), body))
    if any(e.has_voice for e in entries):
        if album.with_voice:
            story.append(
                Paragraph(
                    escape(_("Voice notes cannot be heard on paper: they are in the ZIP file of this album.")), body
                )
            )
        else:
            story.append(
                Paragraph(
                    escape(_("Voice notes are not included: the consent to voice recordings is not given.")), body
                )
            )
    story.append(PageBreak())

    for entry in entries:
        if entry.kind == "answer" and entry is next(e for e in entries if e.kind == "answer"):
            story.append(Paragraph(escape(_("Home activities")), cover))
        block = [
            Paragraph(escape(entry.title), heading),
            Paragraph(escape(" · ".join(part for part in (day(entry.date), entry.domain) if part)), small),
        ]
        block += _paragraphs(entry.description, body)
        if entry.family_note:
            block.append(Paragraph(escape(_("The family's note")), label))
            block += _paragraphs(entry.family_note, body)
        if entry.note:
            block.append(
                Paragraph(escape(_("The teacher's note") if entry.kind == "work" else _("The teacher's reply")), label)
            )
            block += _paragraphs(entry.note, body)
        if entry.has_voice:
            where = _("in the ZIP file of this album") if entry.sounds else _("in the portal")
            block.append(
                Paragraph(
                    escape(
                        _("%(name)s tells about this work in a voice note (%(where)s).")
                        % {"name": child.given_name, "where": where}
                    ),
                    small,
                )
            )
        if entry.videos:
            block.append(Paragraph(escape(_("A video of this answer is in the ZIP file of this album.")), small))
        pictures = [p for p in (_picture(f.local, max_width=width, max_height=11 * cm) for f in entry.photos) if p]
        story.append(KeepTogether(block + pictures[:1]))
        story += [item for picture in pictures[1:] for item in (Spacer(1, 0.3 * cm), picture)]
        story.append(Spacer(1, 0.6 * cm))

    document = SimpleDocTemplate(
        str(target),
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=_("Album of %(name)s") % {"name": clean(child.full_name)},
        author=album.school.name,
    )
    document.build(story)


def album_folder_name(album: Album) -> str:
    return f"album-{ascii_slug(album.child.given_name)}-{ascii_slug(album.period_name or 'all')}"


def write_album_zip(album: Album, entries: list[AlbumEntry], target: Path) -> None:
    """The ZIP: a folder with index.html (and its style sheet) and the files, linked by relative
    addresses, so that it opens from a phone or a computer with no connection."""
    folder = album_folder_name(album)
    context = {
        "album": album,
        "child": album.child,
        "entries": entries,
        "made_on": day(school_today()),
        "language": translation.get_language(),
        "voice_anywhere": any(e.has_voice for e in entries),
    }
    index = render_to_string("portfolio/printing/album_index.html", context)
    style = render_to_string("portfolio/printing/album_index.css", {})
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr(f"{folder}/index.html", index.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(f"{folder}/style.css", style.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
        for entry in entries:
            for item in [*entry.photos, *entry.sounds, *entry.videos]:
                # Photos and recordings are compressed already.
                archive.write(item.local, f"{folder}/{item.zip_path}", compress_type=zipfile.ZIP_STORED)


def _fail(album: Album, reason: str) -> None:
    Album.objects.filter(pk=album.pk, state__in=PRINTOUT_PENDING).update(
        state=PrintoutState.FAILED, failure_reason=str(reason)[:300], finished_at=timezone.now()
    )


def album_build(*, album_id: int) -> str:
    """Build an album that was asked for and tell the guardian; the state it ends in. Safe to run twice,
    even at once: the first run to finish keeps its files and tells the guardian, another throws its own away."""
    album = (
        Album.objects.select_related("child__school", "child__classroom", "school", "requested_by")
        .filter(pk=album_id)
        .first()
    )
    if album is None:
        return "gone"
    if album.state not in PRINTOUT_PENDING:
        return album.state
    Album.objects.filter(pk=album.pk, state__in=PRINTOUT_PENDING).update(
        state=PrintoutState.BUILDING, attempts=F("attempts") + 1
    )
    album.refresh_from_db(fields=["state", "attempts"])
    requester = album.requested_by
    language = user_language(requester) if requester is not None else settings.LANGUAGE_CODE
    with translation.override(language):
        if album.attempts > MAX_ATTEMPTS:
            _fail(album, _("This album could not be made. Please ask for it again."))
            return PrintoutState.FAILED
        if requester is None or not requester.is_active or not policies.can_have_albums(requester, album.child):
            _fail(album, _("This album can no longer be made for you."))
            return PrintoutState.FAILED
        return _build(album, requester)


def _build(album: Album, requester) -> str:
    child = album.child
    album.with_photos = child_consent_granted(child=child, purpose=ConsentPurpose.PORTFOLIO_PHOTOS)
    album.with_voice = child_consent_granted(child=child, purpose=ConsentPurpose.VOICE_RECORDINGS)
    photos = Prefetch("photos", queryset=WorkPhoto.objects.select_related("media"))
    works = list(
        album_works(child=child, start=album.period_start, end=album.period_end)
        .select_related("voice")
        .prefetch_related(photos)
        .order_by("made_on", "pk")
    )
    answers = sorted(
        _timeline_entries(child, album.period_start, album.period_end),
        key=lambda r: str(_value(r, "date", "made_on", "created_at", default="")),
    )
    if not works and not answers:
        Album.objects.filter(pk=album.pk, state=PrintoutState.BUILDING).update(
            state=PrintoutState.EMPTY, total=0, finished_at=timezone.now()
        )
        return PrintoutState.EMPTY
    total = len(works) + len(answers)
    Album.objects.filter(pk=album.pk).update(total=total, done=0)

    def progress(done: int) -> None:
        Album.objects.filter(pk=album.pk, state=PrintoutState.BUILDING).update(done=done)

    names: list[str] = []
    try:
        with tempfile.TemporaryDirectory(dir=media_files.work_dir()) as tmp:
            root = Path(tmp)
            entries = _collect(album, works, answers, root / "files", progress)
            render_album_pdf(album, entries, root / "album.pdf")
            write_album_zip(album, entries, root / "album.zip")
            pdf_size, zip_size = (root / "album.pdf").stat().st_size, (root / "album.zip").stat().st_size
            stem = album_folder_name(album)
            names.append(store_local(album, f"{stem}.pdf", root / "album.pdf"))
            names.append(store_local(album, f"{stem}.zip", root / "album.zip"))
    except Exception:
        delete_stored(*names)
        raise
    with transaction.atomic():
        updated = Album.objects.filter(pk=album.pk, state=PrintoutState.BUILDING, pdf="").update(
            state=PrintoutState.READY,
            pdf=names[0],
            archive=names[1],
            pdf_size=pdf_size,
            archive_size=zip_size,
            with_photos=album.with_photos,
            with_voice=album.with_voice,
            done=total,
            finished_at=timezone.now(),
        )
        if updated:
            _tell(album, requester)
    if not updated:
        delete_stored(*names)
    album.refresh_from_db()
    return album.state


def _tell(album: Album, requester) -> None:
    """The guardian who asked is told, naming the child by the given name only."""
    notice_send(
        recipient=requester,
        category=Category.WORKS,
        title=READY_TITLE,
        body=READY_BODY,
        url=reverse("portfolio:album", args=[album.pk]),
        dedupe_key=f"portfolio:album:{album.pk}:ready",
        school=album.school,
        context={"name": album.child.given_name},
    )


def album_give_up(*, album_id: int) -> None:
    album = Album.objects.filter(pk=album_id).first()
    if album is not None:
        _fail(album, _("This album could not be made. Please ask for it again."))


def album_status(album: Album) -> dict:
    percent = (
        100 if album.state == PrintoutState.READY else (round(100 * album.done / album.total) if album.total else 0)
    )
    ready = album.state == PrintoutState.READY
    return {
        "state": album.state,
        "state_label": str(album.get_state_display()),
        "done": album.done,
        "total": album.total,
        "percent": percent,
        "finished": not album.is_pending,
        "download_url": reverse("portfolio:album_pdf", args=[album.pk]) if ready else "",
        "archive_url": reverse("portfolio:album_zip", args=[album.pk]) if ready else "",
        "message": album.failure_reason,
    }
