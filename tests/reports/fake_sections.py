"""A report section for the tests, put in place of `reports.report_sections` by the `fake_section` fixture.

Its figures are whatever the test puts in FIGURES: (school_id, month's first day, group, metric, value)."""

from __future__ import annotations

ORDER = 1  # first, so the dashboard opens on it
TITLE = "Home activities"
METRICS = [
    {"key": "posted", "label": "Activities posted", "kind": "count"},
    {"key": "answered", "label": "Answers given", "kind": "count"},
    {"key": "expected", "label": "Answers expected", "kind": "count"},
    {"key": "on_portal", "label": "Children on the portal", "kind": "stock"},
    {"key": "received", "label": "Money received", "kind": "money"},
]
RATES = [{"key": "answer_rate", "label": "Answer rate", "numerator": "answered", "denominator": "expected"}]
BREAKDOWN = "Class"

FIGURES: list[tuple] = []


def figures(*, school_ids, start, end):
    for school_id, month, group, metric, value in FIGURES:
        if school_id in school_ids and start <= month <= end:
            yield school_id, group, metric, value
