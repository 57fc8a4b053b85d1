"""The school's report and the submitted term reports: URLs and admin models (merged into
tests/test_authorization_matrix.py).

The objects: Sao Mai's report (its leaders only), and Sao Mai's report for term I submitted to its ward.
The ward's officer reads, acknowledges and comments on it; the province's officer reads it; the school's
leaders read it and comment. Hoa Sen's officer lists the reports of their own ward (none of Sao Mai's)
and opens none; teachers, staff, families and Hoa Sen's people see nothing.

Submitting answers the leaders 400 here: the matrix's school has no summary figures, and a term without
figures is not submitted (tests/reports/test_submissions.py submits one that has them).
"""

from __future__ import annotations

from tests.conftest import World
from tests.matrix_kit import READ_ONLY, Entry, expect

LEADERS = expect(leaders=200)
SNAPSHOT = {
    "version": 1,
    "school": "Sao Mai",
    "period": "2026-t1",
    "computed_at": None,
    "sections": [
        {
            "key": "matrix",
            "title": "Home activities",
            "metrics": [{"key": "answered", "label": "Answers given", "kind": "count", "value": 3}],
            "rates": [],
            "groups": {
                "heading": "Class",
                "columns": [["answered", "Answers given", "count"]],
                "rows": [["Lá 1", [3]]],
            },
        }
    ],
}


def _submitted(w: World):
    from django.utils import timezone

    from reports.models import Submission, SubmissionEvent

    submission = Submission.objects.create(
        school=w.school,
        authority=w.school.authority,
        year_start=2026,
        term=1,
        cover_note="Term I figures.",
        snapshot=SNAPSHOT,
        submitted_by=w.principal,
        submitted_at=timezone.now(),
    )
    SubmissionEvent.objects.create(
        school=w.school, submission=submission, kind="submitted", by=w.principal, at=submission.submitted_at
    )
    return submission


def _submissions(w: World):
    from reports.models import Submission

    return sorted(Submission.objects.values_list("pk", "cover_note", "submitted_at"))


def _statuses(w: World):
    from reports.models import Submission

    return sorted(Submission.objects.values_list("pk", "status"))


def _comments(w: World):
    from reports.models import SubmissionEvent

    return sorted(SubmissionEvent.objects.filter(kind="commented").values_list("pk", "text"))


def _submission_url(suffix: str = ""):
    return lambda w: f"/reports/submissions/{w.made.pk}/{suffix}"


MATRIX: dict[str, Entry | list[Entry]] = {
    "reports/schools/<slug:slug>/": Entry("/reports/schools/sao-mai/?period=2026-t1", LEADERS, shows="Sao Mai"),
    "reports/schools/<slug:slug>/pdf/": Entry("/reports/schools/sao-mai/pdf/?period=2026-t1", LEADERS),
    "reports/schools/<slug:slug>/xlsx/": Entry("/reports/schools/sao-mai/xlsx/?period=2026-t1", LEADERS),
    "reports/schools/<slug:slug>/submit/": [
        Entry("/reports/schools/sao-mai/submit/?period=2026-t1", LEADERS, shows="Sao Mai"),
        Entry(
            "/reports/schools/sao-mai/submit/",
            expect(leaders=400),
            method="post",
            data=lambda w: {"period": "2026-t1", "cover_note": "Term I."},
            effect=_submissions,
        ),
    ],
    "reports/schools/<slug:slug>/submissions/": Entry(
        "/reports/schools/sao-mai/submissions/", LEADERS, setup=_submitted, shows="Sao Mai"
    ),
    # Every officer has the list: of their own area (Hoa Sen's officer sees no report of Sao Mai).
    "reports/submitted/": Entry(
        "/reports/submitted/",
        expect(officers=200, foreign_officer=200),
        setup=_submitted,
        shows={"officer": "Sao Mai", "province_officer": "Sao Mai"},
    ),
    "reports/submissions/<int:submission_id>/": Entry(
        _submission_url(), expect(leaders=200, officers=200), setup=_submitted, shows="Term I figures."
    ),
    "reports/submissions/<int:submission_id>/acknowledge/": Entry(
        _submission_url("acknowledge/"),
        expect(officer="redirect"),
        method="post",
        setup=_submitted,
        effect=_statuses,
    ),
    "reports/submissions/<int:submission_id>/comment/": Entry(
        _submission_url("comment/"),
        expect(leaders="redirect", officer="redirect"),
        method="post",
        setup=_submitted,
        data=lambda w: {"text": "Received, thank you."},
        effect=_comments,
    ),
}

ADMIN_MODELS: dict = {
    "reports/submission": (READ_ONLY, _submitted),
}
