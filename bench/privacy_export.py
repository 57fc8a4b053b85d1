"""The family's copy of its data: one family with many rows, exported as the portal does it (keyset pages
streamed into the ZIP) against a baseline in the same run that reads the same rows whole (`list(queryset)`)
and serialises them with Django's JSON serialiser, the way `dumpdata` does, into the same kind of ZIP.

Run from the repository root with the project's Python:

    .venv/bin/python bench/privacy_export.py [--rows 50000] [--rounds 3]
        [--db postgres://postgres@127.0.0.1:5432/coord_privacy_bench]   (an empty --db: SQLite in a temp dir)

One school, one class, one child with one guardian, and --rows children's works of the child (bulk
inserted once, reused by later runs). Each round times both builds (without tracing), then builds each
again under tracemalloc for its peak of Python memory. Rounds take turns; medians. Prints a Markdown
table and writes the figures as JSON to bench/results/privacy_export-<time>.json.
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
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
BENCH_SLUG = "bench-privacy-export"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/coord_privacy_bench")
    parser.add_argument("--rows", type=int, default=50_000, help="works of the family's child (50000).")
    parser.add_argument("--rounds", type=int, default=3, help="turns of each case (3).")
    return parser.parse_args(argv)


def family_make(rows: int):
    """The bench family: made once, its works topped up to `rows`."""
    from parents.models import Guardianship
    from portfolio.models import Work
    from schools.models import Authority, Child, Classroom, School, SchoolYear

    province, _ = Authority.objects.get_or_create(slug="bench-tinh", defaults={"name": "Tỉnh", "level": "province"})
    ward, _ = Authority.objects.get_or_create(
        slug="bench-phuong", defaults={"name": "Phường", "level": "commune", "province": province}
    )
    school, _ = School.objects.get_or_create(slug=BENCH_SLUG, defaults={"name": "Bench", "authority": ward})
    year, _ = SchoolYear.objects.get_or_create(
        school=school,
        name="2026-2027",
        defaults={"starts_on": datetime.date(2026, 9, 1), "ends_on": datetime.date(2027, 5, 31), "is_current": True},
    )
    classroom, _ = Classroom.objects.get_or_create(
        school=school, name="Lá 1", defaults={"school_year": year, "age_group": "la"}
    )
    child, _ = Child.objects.get_or_create(
        school=school,
        full_name="Nguyễn Minh Khôi",
        defaults={"classroom": classroom, "date_of_birth": datetime.date(2021, 5, 4), "sex": "m"},
    )
    from accounts.models import User

    parent, _ = User.objects.get_or_create(email="bench-export@bench.test", defaults={"full_name": "Trần Thị Hoa"})
    Guardianship.objects.get_or_create(school=school, child=child, guardian=parent, defaults={"relationship": "mother"})
    have = Work.objects.filter(child=child).count()
    note = "Con vẽ cả nhà đi chơi công viên vào ngày chủ nhật, có ông bà và em bé. "
    for start in range(have, rows, 5000):
        Work.objects.bulk_create(
            [
                Work(
                    school=school,
                    child=child,
                    classroom=classroom,
                    title=f"Bức tranh số {n:06d}",
                    description=note * 3,
                    teacher_note="Con tô màu rất cẩn thận.",
                    domain="aesthetic",
                    made_on=datetime.date(2026, 9, 1) + datetime.timedelta(days=n % 250),
                )
                for n in range(start, min(rows, start + 5000))
            ]
        )
    return parent, child


def main(argv=None) -> None:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        sys.path.insert(0, str(ROOT))
        from bench.health import setup_django

        setup_django(Path(tmp), args.db)
        from django.core import serializers
        from django.utils import timezone

        from portfolio.models import Work
        from privacy import declarations as registry
        from privacy import exporting
        from privacy.declarations import AppDeclarations, Declaration

        works = Declaration(
            app_label="portfolio",
            model_label="portfolio.Work",
            holds="Children's works",
            purpose="bench",
            ground="public_task",
            retention="bench",
            child="child",
            actors=("created_by",),
            media=("voice",),
            exclude=("token", "qr_token"),
        )
        # Only the works: what is measured is the reading and writing of many rows, not the other apps.
        registry.app_declarations = lambda: (AppDeclarations(app_label="bench", declarations=(works,), order=0),)

        t0 = time.perf_counter()
        parent, child = family_make(args.rows)
        seed_s = time.perf_counter() - t0
        rows = Work.objects.filter(child=child).count()
        out = Path(tmp) / "out"
        out.mkdir()

        def ours():
            exporting.export_write(out / "ours.zip", user=parent, child_ids=[child.pk], now=timezone.now())
            return (out / "ours.zip").stat().st_size

        def baseline():
            objects = list(Work.objects.filter(child=child).order_by("pk"))
            data = serializers.serialize("json", objects)
            with zipfile.ZipFile(out / "baseline.zip", "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.writestr("data/portfolio/work.json", data)
            return (out / "baseline.zip").stat().st_size

        def timed(build):
            t = time.perf_counter()
            size = build()
            return time.perf_counter() - t, size

        def peak(build):
            tracemalloc.start()
            try:
                build()
                return tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()

        ours()  # warm-up: templates compiled, modules imported
        seconds = {"ours": [], "baseline": []}
        peaks = {"ours": [], "baseline": []}
        sizes = {}
        for _round in range(args.rounds):
            for key, build in (("baseline", baseline), ("ours", ours)):
                elapsed, sizes[key] = timed(build)
                seconds[key].append(elapsed)
                peaks[key].append(peak(build))

    s = {key: statistics.median(values) for key, values in seconds.items()}
    p = {key: statistics.median(values) for key, values in peaks.items()}
    figures = {
        "rows": rows,
        "page_size": exporting.PAGE_SIZE,
        "seed_seconds": seed_s,
        "database": "postgresql" if args.db else "sqlite",
        "seconds": seconds,
        "peak_bytes": peaks,
        "zip_bytes": sizes,
        "median_seconds": s,
        "median_peak_bytes": p,
        "time_ratio_ours_over_baseline": s["ours"] / s["baseline"],
        "peak_ratio_ours_over_baseline": p["ours"] / p["baseline"],
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    print(f"\n{rows} rows of one family ({figures['database']}, pages of {exporting.PAGE_SIZE})\n")
    print("| build | rounds (s) | median (s) | peak Python memory (MB) | ZIP (MB) |")
    print("|---|---|---:|---:|---:|")
    labels = (
        ("ours", "keyset pages streamed into the ZIP"),
        ("baseline", "baseline: list(queryset) + Django's JSON serialiser"),
    )
    for key, label in labels:
        print(
            f"| {label} | {', '.join(f'{v:.2f}' for v in seconds[key])} | {s[key]:.2f} "
            f"| {p[key] / 1e6:.1f} | {sizes[key] / 1e6:.1f} |"
        )
    print(
        f"\ntime ours / baseline: {figures['time_ratio_ours_over_baseline']:.2f}; "
        f"peak memory ours / baseline: {figures['peak_ratio_ours_over_baseline']:.3f}\n"
    )
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS_DIR / f"privacy_export-{stamp}.json").write_text(json.dumps(figures, indent=2, default=str))


if __name__ == "__main__":
    main()
