"""What the builders share: text that fits its box, dates, photos and stored files."""

from __future__ import annotations

import datetime
import io
import logging
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from mediafiles import files as media_files
from mediafiles.models import Kind, MediaFile, State

logger = logging.getLogger(__name__)

ELLIPSIS = "…"


def clean(text: str) -> str:
    """One line of text as the PDF fonts draw it: composed Vietnamese letters (a title typed as "e" plus
    combining marks comes out as "ễ"), no control characters, single spaces."""
    text = unicodedata.normalize("NFC", text or "")
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def name_key(text: str) -> tuple[str, str]:
    """Sorts Vietnamese names as a class list does: by their letters first (Ánh before Bảo before
    Khôi), then by their marks."""
    folded = clean(text).casefold().replace("đ", "d")
    bare = "".join(ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch))
    return bare, folded


def day(value: datetime.date) -> str:
    return f"{value:%d/%m/%Y}"


# --- Text in a box ----------------------------------------------------------------------------------


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    pieces, current = [], ""
    for ch in word:
        if current and stringWidth(current + ch, font, size) > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    return [*pieces, current] if current else pieces


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines no wider than `width`, broken between words (inside a word only when it alone is too wide)."""
    lines: list[str] = []
    current = ""
    for word in clean(text).split(" "):
        if not word:
            continue
        candidate = f"{current} {word}" if current else word
        if stringWidth(candidate, font, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        if stringWidth(word, font, size) <= width:
            current = word
        else:
            *whole, current = _break_word(word, font, size, width)
            lines += whole
    if current:
        lines.append(current)
    return lines


def _shorten(line: str, font: str, size: float, width: float) -> str:
    while line and stringWidth(line + ELLIPSIS, font, size) > width:
        line = line[:-1].rstrip()
    return line + ELLIPSIS


@dataclass(frozen=True)
class Block:
    """One piece of text in a box: its font, its size relative to the others, and how many lines it may take."""

    text: str
    font: str
    scale: float = 1.0
    max_lines: int = 1


@dataclass(frozen=True)
class Line:
    text: str
    font: str
    size: float
    leading: float


LEADING = 1.18


def fit(blocks: list[Block], *, width: float, height: float, largest: float, smallest: float) -> list[Line]:
    """The blocks' lines at the largest size (from `largest` down to `smallest`) at which they fit the box.

    At the smallest size a block that still needs more lines than it may have is cut with "…", and
    blocks are dropped from the end while the whole is too tall: nothing is ever drawn outside the box.
    """
    size = largest
    while True:
        lines = _lay_out(blocks, width=width, size=size)
        if _height(lines) <= height and not _cut(blocks, width=width, size=size):
            return lines
        if size <= smallest:
            break
        size = max(smallest, size * 0.92)
    blocks = list(blocks)
    while blocks:
        lines = _lay_out(blocks, width=width, size=size, shorten=True)
        if _height(lines) <= height:
            return lines
        blocks.pop()
    return []


def _cut(blocks: list[Block], *, width: float, size: float) -> bool:
    return any(len(wrap(b.text, b.font, size * b.scale, width)) > b.max_lines for b in blocks if b.text)


def _lay_out(blocks: list[Block], *, width: float, size: float, shorten: bool = False) -> list[Line]:
    lines: list[Line] = []
    for block in blocks:
        if not block.text:
            continue
        block_size = size * block.scale
        wrapped = wrap(block.text, block.font, block_size, width)
        if len(wrapped) > block.max_lines and shorten:
            wrapped = [
                *wrapped[: block.max_lines - 1],
                _shorten(wrapped[block.max_lines - 1], block.font, block_size, width),
            ]
        lines += [Line(text, block.font, block_size, block_size * LEADING) for text in wrapped]
    return lines


def _height(lines: list[Line]) -> float:
    return sum(line.leading for line in lines)


def draw_lines(canvas, lines: list[Line], *, x: float, top: float, height: float, center: float | None = None) -> None:
    """Draw fitted lines in a box whose top is `top`, centred vertically (and horizontally around
    `center` when given)."""
    y = top - (height - _height(lines)) / 2
    for line in lines:
        y -= line.leading
        canvas.setFont(line.font, line.size)
        # The baseline sits a little above the bottom of the line's slot, so descenders stay inside.
        baseline = y + (line.leading - line.size) / 2 + line.size * 0.22
        if center is None:
            canvas.drawString(x, baseline, line.text)
        else:
            canvas.drawCentredString(center, baseline, line.text)


# --- Photos and recordings as the family may have them ------------------------------------------------


def family_copy(media: MediaFile | None) -> tuple[str, str] | None:
    """(stored name, file suffix) of the copy of a file that a family may have, or None.

    The same rule as the private downloads: a photo's re-encoded copy (full size up to 1600 px,
    without the camera's metadata or GPS position), never the photo as uploaded; a recording's AAC
    rendition, or the recording as uploaded where this machine makes no renditions.
    """
    if media is None or media.state != State.READY:
        return None
    if media.rendition:
        suffix = {Kind.IMAGE: ".jpg", Kind.AUDIO: ".m4a", Kind.VIDEO: ".mp4"}[media.kind]
        return media.rendition.name, suffix
    if media.kind != Kind.IMAGE and media.original:
        return media.original.name, Path(media.original_name).suffix.lower() or ".bin"
    return None


def stored_bytes(name: str) -> bytes:
    with default_storage.open(name, "rb") as fh:
        return fh.read()


def photo_bytes(media: MediaFile) -> bytes | None:
    """A photo's family copy, or None when it cannot be read (a damaged or missing file leaves a gap)."""
    copy = family_copy(media)
    if copy is None:
        return None
    try:
        data = stored_bytes(copy[0])
        ImageReader(io.BytesIO(data)).getSize()
    except Exception:  # noqa: BLE001
        logger.warning("photo %s could not be read for a printout", media.pk, exc_info=True)
        return None
    return data


# --- Files the builders make ---------------------------------------------------------------------------


def store_bytes(instance, filename: str, content: bytes) -> str:
    """Save a built file under the printout's folder, with a random part so two runs never collide."""
    name = instance._meta.get_field("pdf").upload_to(instance, f"{uuid.uuid4().hex[:12]}-{filename}")
    return default_storage.save(name, ContentFile(content))


def store_local(instance, filename: str, local: Path) -> str:
    name = instance._meta.get_field("pdf").upload_to(instance, f"{uuid.uuid4().hex[:12]}-{filename}")
    return media_files.store(local, name)


def delete_stored(*names: str) -> None:
    media_files.delete_stored(*[name for name in names if name])
