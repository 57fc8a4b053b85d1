"""What the portfolio holds about a child, and how a child's erasure removes it with its files.

A work's photos and voice note are media files, its QR images and the child's albums (PDF and ZIP)
are files in storage: the generic eraser knows none of them, so the works and albums are erased here,
their files removed once the erasure commits.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _

from mediafiles import files as media_files
from mediafiles.models import MediaFile
from mediafiles.services import media_delete
from portfolio.models import Album, Work, WorkPhoto

PORTFOLIO = _("While the child is at the school and the family's access after leaving, or until erased")

DECLARATIONS = [
    {
        "model": "portfolio.Work",
        "holds": _("The child's works: photos, the teacher's notes, voice notes and the QR label's code"),
        "purpose": _("To show the family what the child makes at school"),
        "ground": "consent",
        "recipients": [_("the child's guardians, the family members they invited, and the child's teachers")],
        "retention": PORTFOLIO,
        "child": "child",
        "actors": ("created_by",),
        "media": ("voice",),
        "exclude": ("token", "qr_token"),
        "erase": "custom",
    },
    {
        "model": "portfolio.WorkPhoto",
        "holds": _("The photos of each work"),
        "purpose": _("To show the family what the child makes at school"),
        "ground": "consent",
        "recipients": [_("the child's guardians, the family members they invited, and the child's teachers")],
        "retention": PORTFOLIO,
        "child": "work__child",
        "media": ("media",),
        "erase": "custom",
    },
    {
        "model": "portfolio.RevokedToken",
        "holds": _("The codes of labels that were replaced"),
        "purpose": _("To tell the family that a label was replaced"),
        "ground": "consent",
        "retention": PORTFOLIO,
        "child": "work__child",
        "actors": ("revoked_by",),
        "exclude": ("token",),
    },
    {
        "model": "portfolio.WorkOpen",
        "holds": _("Who opened a work's page, and when"),
        "purpose": _("To show the teacher whether the family saw the work"),
        "ground": "consent",
        "recipients": [_("the child's teachers")],
        "retention": PORTFOLIO,
        "child": "work__child",
        "people": ("user",),
    },
    {
        "model": "portfolio.Album",
        "holds": _("The albums the family asked for: a PDF and a ZIP of the child's works"),
        "purpose": _("To let the family keep the child's works"),
        "ground": "consent",
        "recipients": [_("the child's guardians")],
        "retention": _("Deleted 30 days after it was made, or when the family's access ends"),
        "child": "child",
        "actors": ("requested_by",),
        "erase": "custom",
    },
    {
        "model": "portfolio.LabelSheet",
        "holds": _("Printable sheets of QR labels for a class's works"),
        "purpose": _("To stick a label on each work"),
        "ground": "consent",
        "recipients": [_("the class's teachers")],
        "retention": _("Deleted 30 days after it was made"),
        "actors": ("requested_by",),
        "erase": "keep",
    },
]


def _media_remove(ids) -> int:
    removed = 0
    for media in MediaFile.objects.filter(pk__in=[pk for pk in ids if pk]):
        try:
            media_delete(media=media)
        except ProtectedError:  # still used by another record: kept with it
            continue
        removed += 1
    return removed


def _stored_remove(names: list[str]) -> None:
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: media_files.delete_stored(*names))


def erase_child(child, *, now) -> dict[str, int]:
    """The child's works with their photos, voice notes and QR images, and the child's albums."""
    works = Work.objects.filter(child=child)
    media = set(WorkPhoto.objects.filter(work__child=child).values_list("media_id", flat=True))
    media |= set(works.values_list("voice_id", flat=True))
    qr = [name for pair in works.values_list("qr_svg", "qr_png") for name in pair]
    removed = works.delete()[1]
    albums = Album.objects.filter(child=child)
    files = [name for pair in albums.values_list("pdf", "archive") for name in pair]
    removed_albums = albums.delete()[1].get("portfolio.Album", 0)
    _stored_remove(qr + files)
    return {
        "portfolio.Work": removed.get("portfolio.Work", 0),
        "portfolio.WorkPhoto": removed.get("portfolio.WorkPhoto", 0),
        "portfolio.RevokedToken": removed.get("portfolio.RevokedToken", 0),
        "portfolio.WorkOpen": removed.get("portfolio.WorkOpen", 0),
        "portfolio.Album": removed_albums,
        "mediafiles.MediaFile": _media_remove(media),
    }
