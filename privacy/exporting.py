"""A family's copy of its data: one ZIP with every declared row of the person and of their children.

The builder walks the apps' declarations (privacy/declarations.py). For each one it reads the rows of
the person (the `people` paths) and of the children they are an active guardian of (the `child` path),
never a child they only follow as a family viewer, in primary-key order a page at a time (keyset
pagination: a large family costs the same memory as a small one), and writes them as JSON straight
into the archive. The originals of the declared media follow, copied from storage in chunks, then an
`index.html` in Vietnamese that opens from the unzipped folder without a network.
"""

from __future__ import annotations

import datetime
import decimal
import json
import logging
import shutil
import tempfile
import uuid
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from mediafiles.models import Kind, MediaFile
from parents.models import Guardianship
from privacy.declarations import Declaration, declarations
from privacy.models import Export
from schools.models import Child

logger = logging.getLogger(__name__)

PAGE_SIZE = 500
COPY_CHUNK = 1024 * 1024
CHILD_COLUMN = "privacy_export_child"
INDEX_LANGUAGE = "vi"
# Never in a copy, whatever a declaration forgets: an account's password hash.
ALWAYS_LEFT_OUT = frozenset({"password"})


# --- Who and what -----------------------------------------------------------------------------------


def family_child_ids(*, user) -> list[int]:
    """The children the person is an active guardian of (never those they only follow as a viewer)."""
    return sorted(set(Guardianship.objects.active().filter(guardian=user).values_list("child_id", flat=True)))


def declaration_rows(declaration: Declaration, *, user, child_ids) -> models.QuerySet | None:
    """The declaration's rows about this person or these children, or None when it has no way to tell."""
    model = declaration.model
    own = Q()
    for path in declaration.people:
        own |= Q(**{path: user.pk})  # an id: the path may end at a ForeignKey or at the primary key itself
    if declaration.child and own.children:
        # The person's own row about a child outside the family (one they only follow, one no longer in
        # their care) is that child's data too: it stays out.
        own &= Q(**{f"{declaration.child}__isnull": True}) | Q(**{f"{declaration.child}__in": list(child_ids)})
    about = own
    if declaration.child and child_ids:
        about = about | Q(**{f"{declaration.child}__in": list(child_ids)})
    if not about.children:
        return None  # an empty Q would match every row
    rows = model._default_manager.filter(about)
    if declaration.export_filter is not None:
        rows = declaration.export_filter(rows, user=user, child_ids=list(child_ids))
    if any("__" in path for path in (*declaration.people, declaration.child)):
        # A path across a relation may repeat a row: one row per primary key, whatever the joins.
        rows = model._default_manager.filter(pk__in=rows.values("pk"))
    return rows


def exported_fields(declaration: Declaration) -> list[models.Field]:
    """Concrete columns minus the secrets (`exclude`) and the staff who acted (`actors`)."""
    left_out = set(declaration.exclude) | set(declaration.actors) | ALWAYS_LEFT_OUT
    return [
        column
        for column in declaration.model._meta.concrete_fields
        if column.name not in left_out and column.attname not in left_out
    ]


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None  # binary columns (hashes, keys) mean nothing to a family
    return value


def _encode(value):
    raise TypeError(f"not exportable: {type(value).__name__}")


def keyset_pages(rows: models.QuerySet, columns: list[str], *, page_size: int | None = None, child_path: str = ""):
    """Yield lists of value tuples in primary-key order, one page per query (never OFFSET, no server cursor)."""
    page_size = page_size or PAGE_SIZE
    extra = {CHILD_COLUMN: F(child_path)} if child_path else {}
    last = None
    while True:
        page_rows = rows if last is None else rows.filter(pk__gt=last)
        page = list(page_rows.order_by("pk").values_list("pk", *columns, *extra.values())[:page_size])
        if not page:
            return
        last = page[-1][0]
        yield page
        if len(page) < page_size:
            return


# --- The archive ------------------------------------------------------------------------------------


@dataclass
class Section:
    declaration: Declaration
    path: str
    total: int = 0
    by_child: Counter = field(default_factory=Counter)


@dataclass
class Built:
    sections: list[Section] = field(default_factory=list)
    media: dict = field(default_factory=dict)  # media id -> child id (or None: the person's own)
    # media id -> (path in the archive, kind, name, (width, height) of its tile in the index)
    files: dict = field(default_factory=dict)
    missing_files: int = 0


def _json_path(declaration: Declaration, used: set[str]) -> str:
    model = declaration.model
    path = f"data/{model._meta.app_label}/{model._meta.model_name}.json"
    number = 2
    while path in used:
        path = f"data/{model._meta.app_label}/{model._meta.model_name}-{number}.json"
        number += 1
    used.add(path)
    return path


def _media_note(built: Built, media_id, child_id) -> None:
    if media_id is not None and built.media.get(media_id) is None:
        built.media[media_id] = child_id


def _write_section(archive: zipfile.ZipFile, section: Section, built: Built, *, user, child_ids) -> None:
    declaration = section.declaration
    model = declaration.model
    family = set(child_ids)
    rows = declaration_rows(declaration, user=user, child_ids=child_ids)
    columns = exported_fields(declaration)
    names = [column.name for column in columns]
    attnames = [column.attname for column in columns]
    # A media ForeignKey of the row itself is read with it; one across a relation ("photos__media") may
    # give several files per row, so it is read per page, beside the page.
    by_name = {column.name: column.attname for column in columns}
    media_own = [attnames.index(by_name[name]) for name in declaration.media if name in by_name]
    media_across = [name for name in declaration.media if name not in by_name]
    child_path = declaration.child if declaration.child and family else ""
    with archive.open(section.path, "w", force_zip64=True) as out:
        out.write(b"[")
        if rows is not None:
            previous = None
            for page in keyset_pages(rows, attnames, child_path=child_path):
                children: dict = {}
                for row in page:
                    if row[0] == previous:
                        continue  # the same row again through a many-valued child path
                    previous = row[0]
                    values = row[1 : 1 + len(attnames)]
                    child_id = row[-1] if child_path and row[-1] in family else None
                    children[row[0]] = child_id
                    item = {name: _plain(value) for name, value in zip(names, values, strict=True)}
                    out.write(b"\n" if section.total == 0 else b",\n")
                    out.write(json.dumps(item, ensure_ascii=False, default=_encode).encode("utf-8"))
                    section.total += 1
                    if child_id is not None:
                        section.by_child[child_id] += 1
                    for position in media_own:
                        _media_note(built, values[position], child_id)
                for name in media_across:
                    pairs = model._default_manager.filter(pk__in=list(children)).values_list("pk", name)
                    for pk, media_id in pairs:
                        _media_note(built, media_id, children.get(pk))
        out.write(b"\n]\n")


def _media_name(media: MediaFile) -> str:
    suffix = PurePosixPath(media.original_name or "").suffix.lower()
    if not suffix or len(suffix) > 10 or not suffix[1:].isalnum():
        suffix = ".bin"
    return f"files/{media.pk}{suffix}"


def _write_media(archive: zipfile.ZipFile, built: Built) -> None:
    ids = list(built.media)
    for start in range(0, len(ids), PAGE_SIZE):
        chunk = ids[start : start + PAGE_SIZE]
        for media in MediaFile.objects.filter(pk__in=chunk).only(
            "pk", "kind", "original", "original_name", "width", "height"
        ):
            if not media.original:
                continue
            path = _media_name(media)
            try:
                with (
                    default_storage.open(media.original.name, "rb") as source,
                    archive.open(path, "w", force_zip64=True) as out,
                ):
                    shutil.copyfileobj(source, out, COPY_CHUNK)
            except OSError:
                logger.warning("export: the original of media %s could not be read", media.pk, exc_info=True)
                built.missing_files += 1
                continue
            built.files[media.pk] = (path, media.kind, media.original_name, _tile(media))


TILE = 160  # the index shows each photo in a box of 10rem, 160 pixels a side


def _tile(media: MediaFile) -> tuple[int, int]:
    """The photo's size in the index, so that the page keeps its place while it loads (4:3 when unknown)."""
    if not (media.width and media.height):
        return TILE, TILE * 3 // 4
    scale = TILE / max(media.width, media.height)
    return max(1, round(media.width * scale)), max(1, round(media.height * scale))


def _index_context(user, child_ids, built: Built, *, now) -> dict:
    children = {child.pk: child for child in Child.objects.filter(pk__in=child_ids).order_by("full_name", "pk")}

    def media_of(child_id):
        entries = [
            {"path": path, "kind": kind, "name": name, "width": tile[0], "height": tile[1]}
            for media_id, (path, kind, name, tile) in built.files.items()
            if built.media.get(media_id) == child_id
        ]
        return (
            [entry for entry in entries if entry["kind"] == Kind.IMAGE],
            [entry for entry in entries if entry["kind"] != Kind.IMAGE],
        )

    def section_view(section, count):
        return {"holds": section.declaration.holds, "count": count, "path": section.path}

    own_photos, own_recordings = media_of(None)
    family = []
    for child_id, child in children.items():
        photos, recordings = media_of(child_id)
        family.append(
            {
                "child": child,
                "sections": [section_view(s, s.by_child[child_id]) for s in built.sections if s.by_child[child_id]],
                "photos": photos,
                "recordings": recordings,
            }
        )
    return {
        "person": user,
        "made_at": timezone.localtime(now),
        "sections": [section_view(s, s.total) for s in built.sections],
        "children": family,
        "own_photos": own_photos,
        "own_recordings": own_recordings,
        "missing_files": built.missing_files,
    }


def export_write(target: Path, *, user, child_ids, now) -> Built:
    """Write the person's and their children's data into a ZIP file at `target`."""
    built = Built()
    used: set[str] = set()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for declaration in declarations():
            section = Section(declaration=declaration, path=_json_path(declaration, used))
            _write_section(archive, section, built, user=user, child_ids=child_ids)
            built.sections.append(section)
        _write_media(archive, built)
        with translation.override(INDEX_LANGUAGE):
            context = _index_context(user, child_ids, built, now=now)
            archive.writestr("index.html", render_to_string("privacy/export_index.html", context))
            archive.writestr("README.txt", render_to_string("privacy/export_readme.txt", context))
    return built


# --- The job --------------------------------------------------------------------------------------------


def export_build(*, export_id: int) -> str:
    """Build the ZIP of an export, store it privately and tell the person it is ready (or why it failed)."""
    taken = Export.objects.filter(pk=export_id, status__in=[Export.Status.QUEUED, Export.Status.BUILDING]).update(
        status=Export.Status.BUILDING
    )
    if not taken:
        return "skipped"  # ready, failed or expired already
    export = Export.objects.select_related("user").get(pk=export_id)
    now = timezone.now()
    try:
        child_ids = family_child_ids(user=export.user)
        with tempfile.TemporaryDirectory(prefix="export-") as tmp:
            target = Path(tmp) / "export.zip"
            built = export_write(target, user=export.user, child_ids=child_ids, now=now)
            size = target.stat().st_size
            with target.open("rb") as handle:
                export.file.save(f"{now:%Y%m%d}-export.zip", File(handle), save=False)
    except Exception as exc:
        logger.exception("export %s could not be built", export_id)
        Export.objects.filter(pk=export_id).update(
            status=Export.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
        )
        return "failed"
    counts = {section.declaration.model_label: section.total for section in built.sections if section.total}
    counts["files"] = len(built.files)
    finished = timezone.now()
    export.status = Export.Status.READY
    export.size = size
    export.counts = counts
    export.finished_at = finished
    export.expires_at = finished + datetime.timedelta(days=settings.PRIVACY_EXPORT_KEEP_DAYS)
    export.error = ""
    export.save(update_fields=["file", "status", "size", "counts", "finished_at", "expires_at", "error"])

    from privacy.services_export import export_ready_tell

    export_ready_tell(export=export)
    return "ready"
