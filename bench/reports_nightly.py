"""The reports' nightly job for every bench school: the apps' figures of the month, then the authorities'
published tables (one protected pattern per province and school year), against the same job with the
protection left out.

Run from the repository root with the project's Python, after `seed_scale` (bench/run_http.py seeds it):

    .venv/bin/python bench/reports_nightly.py [--rounds 3] [--today 2026-12-04]
        [--db postgres://postgres@127.0.0.1:5432/coord_area_bench]

1. The figures: the synthetic bench section (bench/report_sections.py, switched on here) for every
   school of the database, for every month of the school year up to --today (built once, untimed), so
   that the year's table has the months a real December has.
2. Ours: `reports.area.nightly_build(today=…)`: `figures_build` for the months still moving, then
   `areas_build` for their school year: for each province and metric the hierarchical table (province >
   wards > schools, year > terms > months), primary and secondary suppression checked by linear
   programming, and every published cell stored.
3. The baseline, in the same run: the same job with `disclosure.protect` asked not to suppress (what
   the job costs without the protection: the same reads, tables and writes).

Rounds take turns; medians. Prints a Markdown table and writes the figures as JSON to
bench/results/reports_nightly-<time>.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/coord_area_bench")
    parser.add_argument("--rounds", type=int, default=3, help="turns of each case (3).")
    parser.add_argument("--today", default="2026-12-04", help="the night's date (2026-12-04).")
    args = parser.parse_args(argv)
    url = urlparse(args.db)
    if url.hostname not in ("127.0.0.1", "localhost", "::1") or "bench" not in url.path:
        parser.error("--db must be a PostgreSQL database on the loopback whose name contains 'bench'")
    args.today = datetime.date.fromisoformat(args.today)
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    os.environ["BENCH_REPORT_SECTION"] = "1"
    with tempfile.TemporaryDirectory() as tmp:
        sys.path.insert(0, str(ROOT))
        from bench.health import setup_django

        setup_django(Path(tmp), args.db)
        from coordination.lib import disclosure
        from reports import area, periods
        from reports.building import figures_build
        from reports.models import AreaFigure
        from schools.models import School

        schools = School.objects.count()
        year = periods.year_period(periods.year_start_of(args.today))
        months = [m for m in year.months() if m <= args.today]
        t0 = time.perf_counter()
        figures_build(months=months)
        backfill_s = time.perf_counter() - t0

        protect = disclosure.protect

        def unprotected(values, equations, *, suppress=True):
            return protect(values, equations, suppress=False)

        def ours():
            t = time.perf_counter()
            area.nightly_build(today=args.today)
            return time.perf_counter() - t

        def baseline():
            disclosure.protect = unprotected
            try:
                return ours()
            finally:
                disclosure.protect = protect

        timings = {"ours": [], "baseline": []}
        for _round in range(args.rounds):
            timings["baseline"].append(baseline())
            timings["ours"].append(ours())
        cells = AreaFigure.objects.count()
        hidden = AreaFigure.objects.exclude(shown="").count()
        small = AreaFigure.objects.filter(shown=disclosure.SUPPRESSED).count()

    m = {key: statistics.median(values) for key, values in timings.items()}
    figures = {
        "schools": schools,
        "today": args.today,
        "months_in_year": len(months),
        "backfill_seconds": backfill_s,
        "published_cells": cells,
        "hidden_cells": hidden,
        "small_cells": small,
        "rounds": timings,
        "medians": m,
        "ratio_ours_over_baseline": m["ours"] / m["baseline"],
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    print(
        f"\n{schools} schools; {len(months)} months of figures in {year.year_name} (built in {backfill_s:.0f} s); "
        f"{cells} published cells stored, {hidden} hidden ({small} of them 1 to 4)\n"
    )
    print("| job | rounds (s) | median (s) |")
    print("|---|---|---:|")
    for key, label in (("ours", "nightly job, protected"), ("baseline", "baseline: the same job, nothing suppressed")):
        print(f"| {label} | {', '.join(f'{v:.1f}' for v in timings[key])} | {m[key]:.1f} |")
    print(f"\nratio ours / baseline: {figures['ratio_ours_over_baseline']:.2f}\n")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS_DIR / f"reports_nightly-{stamp}.json").write_text(json.dumps(figures, indent=2, default=str))


if __name__ == "__main__":
    main()
