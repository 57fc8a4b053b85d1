"""The QR images of a work's label, made by a worker (portfolio.tasks.media_work_build).

Two images of the work's current address (SITE_URL/w/<token>), medium error correction: an SVG for
the screen and a PNG for print. The photos' small sizes are the media pipeline's renditions
(mediafiles); a work's page shows "preparing" until both are done.

Safe to run twice, or twice at once: images already made for the current code are kept, and images
made for a code replaced meanwhile are thrown away.
"""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from coordination.lib import fragments
from coordination.lib.pdf import qr_svg_and_png
from mediafiles import files as media_files
from portfolio.models import Work, qr_path, work_url

# Pixels a module in the PNG: a 33-module code (a 43-character token in the site's address) is about
# 370 px, sharp on a 3 cm label at 300 dpi.
PNG_BOX_SIZE = 10


def _store(work: Work, filename: str, content: bytes) -> str:
    return default_storage.save(qr_path(work, f"{uuid.uuid4().hex[:12]}-{filename}"), ContentFile(content))


def work_qr_build(*, work_id: int) -> str:
    """Make the work's QR images for its current code: "ready", "done" (already made) or "gone"."""
    work = Work.objects.filter(pk=work_id).only("pk", "school_id", "token", "qr_svg", "qr_png", "qr_token").first()
    if work is None:
        return "gone"
    if work.qr_ready and work.qr_svg:
        return "done"
    token = work.token
    address = work_url(work)
    svg, png = qr_svg_and_png(address, box_size=PNG_BOX_SIZE)  # one code, two images
    svg_name = _store(work, "qr.svg", svg)
    png_name = _store(work, "qr.png", png)
    old = [work.qr_svg.name, work.qr_png.name]
    updated = (
        Work.objects.filter(pk=work.pk, token=token)
        .exclude(qr_token=token)
        .update(qr_svg=svg_name, qr_png=png_name, qr_token=token)
    )
    if not updated:
        # Another run made them first, or the code was replaced meanwhile (the run for the new code
        # makes its images): these are nobody's.
        media_files.delete_stored(svg_name, png_name)
        return "done"
    fragments.schools_changed([work.school_id])  # the work's page keeps its row (update() sends no signal)
    media_files.delete_stored(*[name for name in old if name and name not in (svg_name, png_name)])
    return "ready"
