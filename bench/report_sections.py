"""A synthetic report section for the benchmarks only (bench/reports_nightly.py, bench/run_http.py).

Reports find this module in every run (bench is an installed app), but it has `figures` only when the
environment variable BENCH_REPORT_SECTION is set, so the portal's reports never show it. Its figures
depend only on the school and the month, shaped like a kindergarten of about 150 children: a few large
counts, a stock, money, and two counts that are often 1 to 4 (so that suppression has work to do)."""

from __future__ import annotations

import os
import random

from django.utils.translation import gettext_lazy as _

ORDER = 999
TITLE = _("Benchmark figures")
METRICS = [
    {"key": "posted", "label": _("Activities posted"), "kind": "count"},
    {"key": "answered", "label": _("Answers given"), "kind": "count"},
    {"key": "expected", "label": _("Answers expected"), "kind": "count"},
    {"key": "on_portal", "label": _("Children on the portal"), "kind": "stock"},
    {"key": "follow_ups", "label": _("Children followed up"), "kind": "count"},
    {"key": "volunteers", "label": _("Volunteers"), "kind": "count"},
    {"key": "loans", "label": _("Toys lent"), "kind": "count"},
    {"key": "received", "label": _("Money received"), "kind": "money"},
]
RATES = [{"key": "answer_rate", "label": _("Answer rate"), "numerator": "answered", "denominator": "expected"}]

RANGES = {
    "posted": (5, 40),
    "answered": (50, 600),
    "expected": (600, 900),
    "on_portal": (90, 150),
    "follow_ups": (0, 6),
    "volunteers": (0, 12),
    "loans": (0, 30),
    "received": (0, 5_000_000),
}

if os.environ.get("BENCH_REPORT_SECTION"):

    def figures(*, school_ids, start, end):
        for school_id in school_ids:
            rng = random.Random(school_id * 1_000_003 + start.toordinal())
            for key, (low, high) in RANGES.items():
                yield school_id, "", key, rng.randint(low, high)
