"""What the privacy app itself holds about people: their requests, their copies, holds and breach records."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from privacy.models import Breach, Export, PrivacyRequest, RequestStatus

DECLARATIONS = [
    {
        "model": "privacy.PrivacyRequest",
        "holds": _("Your requests about your data or your child's, the school's answers and the deadlines"),
        "purpose": _("To answer your requests within the law's deadlines, and to show that it did"),
        "ground": "legal_obligation",
        "recipients": [_("the school's principal and vice-principals")],
        "retention": _("Three years after the request is closed, then deleted"),
        "child": "child",
        "people": ("requester",),
        "actors": ("recorded_by",),
        "erase": "keep",
    },
    {
        "model": "privacy.RequestEvent",
        "holds": _("Each step taken on a request: who, when, what (never the erased data)"),
        "purpose": _("To show that each request was handled on time"),
        "ground": "legal_obligation",
        "recipients": [_("the school's principal and vice-principals")],
        "retention": _("With the request"),
        "people": ("request__requester",),
        "actors": ("by",),
        "erase": "keep",
    },
    {
        "model": "privacy.Export",
        "holds": _("The copies of your family's data you asked for"),
        "purpose": _("To let you download your family's data"),
        "ground": "legal_obligation",
        "recipients": [],
        "retention": _(
            "The file is deleted a few days after it is ready; the record of the copy goes with your account"
        ),
        "people": ("user",),
        "exclude": ("token", "file"),
        "erase": "custom",
    },
    {
        "model": "privacy.LegalHold",
        "holds": _("A hold that stops a child's or a person's data from being erased, with its reason"),
        "purpose": _("To keep data the law requires during a dispute, an inquiry or an audit"),
        "ground": "legal_obligation",
        "recipients": [_("the school's principal and vice-principals")],
        "retention": _("Until the hold is lifted"),
        "child": "child",
        "people": ("user",),
        "actors": ("placed_by",),
        "erase": "keep",
    },
    {
        "model": "privacy.Breach",
        "holds": _("A personal data breach that concerned your child, and what the school did about it"),
        "purpose": _("To handle a breach, notify the authority within 72 hours and tell the families affected"),
        "ground": "legal_obligation",
        "recipients": [
            _("the school's principal and vice-principals"),
            _("the authority for personal data protection"),
        ],
        "retention": _("Kept as the record the law requires; an erased child is taken off it"),
        "child": "children",
        "actors": ("reported_by",),
        "erase": "custom",
    },
    {
        "model": "privacy.BreachEvent",
        "holds": _("Each step taken on a breach: who, when, what"),
        "purpose": _("To show the breach was handled on time"),
        "ground": "legal_obligation",
        "recipients": [_("the school's principal and vice-principals")],
        "retention": _("With the breach record"),
        "actors": ("by",),
        "erase": "keep",
    },
]


def erase_child(child, *, now) -> dict[str, int]:
    """The child is taken off the breach records (the record of the breach stays, with its count)."""
    through = Breach.children.through
    removed, _counts = through.objects.filter(child_id=child.pk).delete()
    return {"privacy.Breach.children": removed}


def erase_person(user, *, now) -> dict[str, int]:
    """The person's copies go, files included; their requests stay, naming the erased account only."""
    removed = 0
    for export in Export.objects.filter(user=user):
        if export.file:
            export.file.delete(save=False)
        export.delete()
        removed += 1
    return {"privacy.Export": removed}


def _requests_purge(*, school, cutoff, now) -> int:
    closed = PrivacyRequest.objects.filter(school=school, completed_at__lt=cutoff).exclude(
        status__in=(RequestStatus.RECEIVED, RequestStatus.ACKNOWLEDGED, RequestStatus.WAITING)
    )
    deleted, _counts = closed.delete()
    return deleted


RETENTION = [
    {"key": "privacy.requests", "label": _("Closed privacy requests"), "days": 3 * 365, "purge": _requests_purge},
]
