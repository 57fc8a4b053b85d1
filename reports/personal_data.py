"""Reports hold figures only, never a child or a family: what they hold of people is who sent and received them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DECLARATIONS = [
    {
        "model": "reports.Submission",
        "holds": _("The school's reports to the authority, with who sent and who acknowledged them"),
        "purpose": _("To report to the authority as the law requires"),
        "ground": "legal_obligation",
        "recipients": [_("the authority")],
        "retention": _("As long as the law requires the school to keep its reports"),
        "actors": ("submitted_by", "acknowledged_by"),
        "erase": "keep",
    },
    {
        "model": "reports.SubmissionEvent",
        "holds": _("Each step of a report's submission and who took it"),
        "purpose": _("To report to the authority as the law requires"),
        "ground": "legal_obligation",
        "recipients": [_("the authority")],
        "retention": _("As long as the law requires the school to keep its reports"),
        "actors": ("by",),
        "erase": "keep",
    },
]
