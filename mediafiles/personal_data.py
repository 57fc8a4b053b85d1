"""What the media files hold about people: who uploaded each photo or video.

The photos and videos of a child belong to the apps whose rows point to them (a work, an answer, an
album): those apps delete them with the child's data. Here only the uploader's name is a person's.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DECLARATIONS = [
    {
        "model": "mediafiles.MediaFile",
        "holds": _("Photos, videos and voice recordings, and who uploaded each"),
        "purpose": _("To store and show the pictures and recordings the school's pages use"),
        "ground": "consent",
        "recipients": [_("those who may see the page the file belongs to"), _("the storage provider")],
        "retention": _("As long as the page that uses the file; the file goes with the child's data"),
        "actors": ("uploaded_by",),
        "erase": "keep",
    },
]
