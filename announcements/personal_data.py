"""What announcements hold about families: who read and acknowledged what, and the pick-up notices."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DECLARATIONS = [
    {
        "model": "announcements.AnnouncementReceipt",
        "holds": _("When each guardian read and acknowledged an announcement"),
        "purpose": _("To know that every family received what it had to"),
        "ground": "public_task",
        "recipients": [_("the school's leaders and the class's teachers")],
        "retention": _("As long as the announcement is kept, or until the guardian's data is erased"),
        "people": ("guardian",),
    },
    {
        "model": "announcements.PickupNotice",
        "holds": _("A guardian's notice that the child is picked up early, late, or by someone else"),
        "purpose": _("To hand the child over safely"),
        "ground": "vital_interests",
        "recipients": [_("the class's teachers")],
        "retention": _("While the child is at the school, and until the child's data is erased"),
        "child": "child",
        # The guardian who sent it: their name goes with their erasure, the child's notice stays.
        "actors": ("sent_by",),
    },
    {
        "model": "announcements.Announcement",
        "holds": _("The school's announcements and who wrote them"),
        "purpose": _("To inform the families"),
        "ground": "public_task",
        "recipients": [_("the families it is addressed to")],
        "retention": _("As long as the school keeps its announcements"),
        "actors": ("created_by",),
        "erase": "keep",
    },
]
