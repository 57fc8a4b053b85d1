"""What health holds about a child, how it is erased, and how long the staff read log is kept.

A child's erasure deletes every health record (measurements, check-ups with their files, follow-up,
notes, allergies, dietary needs). The read log stays until its own period ends: it holds no health
data, only which staff member opened the child's record and when, and it is what lets a family or an
inspector find out who saw a child's record, also after the record itself is gone. It is exported with
the child's data (the family's "who saw my child's data"), never with the reader's own data.

No legal hold here: an open follow-up plan is care the family may stop; it does not oblige the school
to keep the records against the family's wish.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from health.models import HealthRead

CARE = _("While the child is at the school, and until the child's data is erased")

DECLARATIONS = [
    {
        "model": "health.Measurement",
        "holds": _("The child's weight, height and arm measurements, and what they mean for growth"),
        "purpose": _("To follow the child's growth with the family and notice a problem early"),
        "ground": "consent",
        "recipients": [_("the school's nurse, the class's teachers and the principal"), _("the health station")],
        "retention": CARE,
        "child": "child",
        "actors": ("measured_by", "confirmed_by", "entered_by"),
    },
    {
        "model": "health.CheckUpAttachment",
        "holds": _("Files kept with a check-up: the health station's report, a prescription"),
        "purpose": _("To keep the results of the child's check-ups"),
        "ground": "consent",
        "recipients": [_("the school's nurse and the principal")],
        "retention": CARE,
        "child": "checkup__child",
        "media": ("media",),
    },
    {
        "model": "health.CheckUp",
        "holds": _("The child's check-ups: findings and advice"),
        "purpose": _("To follow the child's health with the health station and the family"),
        "ground": "consent",
        "recipients": [_("the school's nurse, the class's teachers and the principal"), _("the health station")],
        "retention": CARE,
        "child": "child",
        "actors": ("recorded_by",),
    },
    {
        "model": "health.FollowUpPlan",
        "holds": _("The nurse's plan for a child who needs nutrition follow-up"),
        "purpose": _("To help a child who grows too slowly or too fast"),
        "ground": "vital_interests",
        "recipients": [_("the school's nurse, the class's teachers and the principal")],
        "retention": CARE,
        "child": "child",
        "actors": ("opened_by", "closed_by"),
    },
    {
        "model": "health.FamilyNote",
        "holds": _("The nurse's notes to the family about the child's growth"),
        "purpose": _("To tell the family what the nurse sees and advises"),
        "ground": "consent",
        "recipients": [_("the child's guardians")],
        "retention": CARE,
        "child": "child",
        "actors": ("written_by",),
    },
    {
        "model": "health.Allergy",
        "holds": _("The foods the child must avoid, and how serious the allergy is"),
        "purpose": _("To keep the child safe at meals"),
        "ground": "vital_interests",
        "recipients": [_("the school's nurse, teachers and kitchen")],
        "retention": CARE,
        "child": "child",
        "actors": ("recorded_by",),
    },
    {
        "model": "health.DietaryNeed",
        "holds": _("The child's other food needs: vegetarian, no pork, soft food"),
        "purpose": _("To serve the child meals the family asked for"),
        "ground": "consent",
        "recipients": [_("the school's nurse, teachers and kitchen")],
        "retention": CARE,
        "child": "child",
        "actors": ("recorded_by",),
    },
    {
        "model": "health.HealthRead",
        "holds": _("Which staff member opened the child's health record, on which page, and when"),
        "purpose": _("To let the family and the school check who saw the child's health data"),
        "ground": "legal_obligation",
        "recipients": [_("the child's guardians and the principal")],
        "retention": _("Two years, then deleted (also after the child's other data is erased)"),
        "child": "child",
        # The reader's account link goes with their erasure; the name stays in the log until it ends.
        "actors": ("reader",),
        "erase": "keep",
    },
]


def access_reads(*, child_ids) -> list[dict]:
    """The staff's reads of these children's health records, for the family's "who saw it" page."""
    rows = HealthRead.objects.filter(child_id__in=list(child_ids)).order_by("-read_at", "-pk")
    return [
        {
            "child_id": read.child_id,
            "reader_id": read.reader_id,
            "reader_name": read.reader_name,
            "reader_role": read.reader_role,
            "page": read.get_page_display(),
            "at": read.read_at,
            "area": "health",
        }
        for read in rows.only("child_id", "reader_id", "reader_name", "reader_role", "page", "read_at")
    ]


def _reads_purge(*, school, cutoff, now) -> int:
    return HealthRead.objects.filter(school=school, read_at__lt=cutoff).delete()[1].get("health.HealthRead", 0)


RETENTION = [
    {"key": "health.reads", "label": _("Staff reads of health records"), "days": 730, "purge": _reads_purge},
]
