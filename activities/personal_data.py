"""What home activities hold about children and families, and how it is erased.

An answer is a photo, a clip or a voice recording of the child with the family's note: the child's
erasure deletes it with its media file and renditions. A guardian who erases their own data leaves
the child's answers to the other guardians; only their name on them goes. The teachers' activities
are the school's teaching, not anyone's personal data: they stay, without the erased teacher's name.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TEACHERS = [_("the class's teachers and the school's leaders")]

DECLARATIONS = [
    {
        "model": "activities.Answer",
        "holds": _("The family's answers to home activities: a photo, clip or voice recording of the child and a note"),
        "purpose": _("To let the teacher follow the child's learning at home and give feedback"),
        "ground": "consent",
        "recipients": [
            *TEACHERS,
            _("the other families of the class, only when the family offered it and the teacher approved"),
        ],
        "retention": _("While the child is at the school, and until the child's data is erased"),
        "child": "child",
        # The guardian who sent it: their name goes with their erasure, the child's answer stays.
        "actors": ("guardian", "decided_by", "feedback_by"),
        "media": ("media",),
    },
    {
        "model": "activities.ActivityView",
        "holds": _("Whether the family opened each activity, and when"),
        "purpose": _("To let the teacher see which families received the activity"),
        "ground": "public_task",
        "recipients": TEACHERS,
        "retention": _("While the child is at the school, and until the child's data is erased"),
        "child": "child",
        "actors": ("guardian",),
    },
    {
        "model": "activities.Activity",
        "holds": _("The activities teachers post, and who posted them"),
        "purpose": _("To give the families things to do with their child at home"),
        "ground": "public_task",
        "recipients": [_("the families of the classes it is posted to")],
        "retention": _("As long as the school keeps its activities"),
        "actors": ("created_by",),
        "erase": "keep",
    },
    {
        "model": "activities.ActivityClassroom",
        "holds": _("Which teacher reminded a class's families about an activity"),
        "purpose": _("To remind the families only once"),
        "ground": "public_task",
        "retention": _("As long as the school keeps its activities"),
        "actors": ("nudged_by",),
        "erase": "keep",
    },
    {
        "model": "activities.LibraryEntry",
        "holds": _("Who offered an activity to the authority's library, and who decided"),
        "purpose": _("To share good activities between schools"),
        "ground": "public_task",
        "recipients": [_("the schools of the authority")],
        "retention": _("As long as the activity is in the library"),
        "actors": ("offered_by", "decided_by"),
        "erase": "keep",
    },
    {
        "model": "activities.LibraryAdoption",
        "holds": _("Who took an activity from the authority's library"),
        "purpose": _("To share good activities between schools"),
        "ground": "public_task",
        "retention": _("As long as the school keeps its activities"),
        "actors": ("adopted_by",),
        "erase": "keep",
    },
    {
        "model": "activities.Commendation",
        "holds": _("Commendations of the authority, which may name a family"),
        "purpose": _("To honour good examples on the school's public page"),
        "ground": "public_task",
        "recipients": [_("the public")],
        "retention": _("As long as the authority keeps it published; the school removes a family's name on request"),
        "actors": ("created_by",),
        "erase": "keep",
    },
]
