"""What the feedback box and the polls hold about families, and how it is erased.

A person's erasure keeps their feedback items, anonymous and without their photo: the school's answer
and what was published stay, and nobody can tell who wrote them any more. A poll answer is one per
child: the child's erasure deletes it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DECLARATIONS = [
    {
        "model": "feedback.FeedbackItem",
        "holds": _("Questions, suggestions and concerns a guardian sent, with a photo, and the answers"),
        "purpose": _("To answer each family and improve the school"),
        "ground": "public_task",
        "recipients": [
            _("the school's leaders, unless the sender chose to stay anonymous"),
            _("the authority, for concerns sent to it or when the sender agreed"),
            _("the public, only when the sender agreed and the school published it"),
        ],
        "retention": _("As long as the school keeps its feedback; on erasure it no longer says who sent it"),
        "people": ("sender",),
        "actors": ("assigned_to", "answered_by"),
        "media": ("photo",),
        "erase": "anonymise",
        "anonymise": {"anonymous": True},
    },
    {
        "model": "feedback.PollAnswer",
        "holds": _("The family's answers to the school's short polls"),
        "purpose": _("To ask the families' opinion"),
        "ground": "consent",
        "recipients": [_("the school's leaders, as totals")],
        "retention": _("As long as the school keeps the poll, or until the child's data is erased"),
        "child": "child",
        "actors": ("answered_by",),
    },
    {
        "model": "feedback.Poll",
        "holds": _("Which staff member asked each poll"),
        "purpose": _("To ask the families' opinion"),
        "ground": "public_task",
        "retention": _("As long as the school keeps the poll"),
        "actors": ("created_by",),
        "erase": "keep",
    },
]
