"""Weekly menus benchmark: the nutrition and cost of a month of menus for 500 schools, computed in one
pass (`community.selectors_menus.menus_month_totals`), against reading the same rows with no arithmetic.

Run from the repository root with the project's Python:

    .venv/bin/python bench/community_menus.py [--schools 500] [--dishes 4] [--rounds 3] [--seed 13]
        [--db postgres://postgres@127.0.0.1:5432/coord_bench_menus]

1. The menus: --schools bench schools, each with a nhà trẻ and a mẫu giáo menu for four weeks from
   Monday 2/11/2026 (20 school days), --dishes dishes a day, each of three ingredients drawn from the
   food table's foods that have every value (grams 5–80), and a price per kg for one food in three
   at each school. The schools' targets are the defaults, with a daily fee for half of them.
2. Ours: `menus_month_totals(school_ids=…, start, end)`: every school's, band's and day's energy,
   protein, fat, carbohydrate (edible part from the inedible share), the out-of-range flags and the
   cost per child. Its queries are counted: they must not grow with schools or dishes (asked for the
   first tenth of the schools and for one week too).
3. The baseline, in the same run: the same ingredient rows, foods and school values read with the
   same queries and nothing computed (the floor any computation in Python pays). The ratio is ours
   over the baseline.

Without --db the database is a temporary SQLite file; with --db, a PostgreSQL database on the loopback
whose name contains "bench" (made if missing, migrated; the benchmark's schools are removed at the
end). Rounds take turns; medians. Prints a Markdown table and writes the figures as JSON to
bench/results/community_menus-<time>.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
START = datetime.date(2026, 11, 2)  # a Monday
WEEKS = 4
SLUG = "bench-menus-"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, default=500, help="bench schools (500).")
    parser.add_argument("--dishes", type=int, default=4, help="dishes a day and age group (4).")
    parser.add_argument("--rounds", type=int, default=3, help="turns of each case (3).")
    parser.add_argument("--seed", type=int, default=13, help="random seed (13).")
    parser.add_argument("--db", default="", help="a PostgreSQL URL on the loopback (its name contains 'bench').")
    return parser.parse_args(argv)


def setup_django(tmp: Path, db: str) -> None:
    sys.path.insert(0, str(ROOT))
    from bench.health import setup_django as health_setup

    health_setup(tmp, db)


def _remove() -> None:
    from schools.models import Authority, School

    School.objects.filter(slug__startswith=SLUG).delete()
    Authority.objects.filter(slug="bench-menus-ward").delete()


def make_menus(schools: int, dishes: int, seed: int) -> list[int]:
    from django.db import transaction

    from community.models.menus import Dish, Food, Ingredient, Menu, MenuTargets, SchoolFood
    from schools.models import Authority, School

    _remove()
    rng = random.Random(seed)
    foods = list(
        Food.objects.filter(
            school__isnull=True,
            kcal__isnull=False,
            protein_g__isnull=False,
            fat_g__isnull=False,
            carbohydrate_g__isnull=False,
        ).values_list("pk", flat=True)
    )
    with transaction.atomic():
        ward = Authority.objects.create(
            slug="bench-menus-ward", name="Bench", level=Authority.Level.COMMUNE, needs_review=True
        )
        made = School.objects.bulk_create(
            [School(authority=ward, name=f"Bench {n:05d}", slug=f"{SLUG}{n:05d}") for n in range(schools)]
        )
        ids = [s.pk for s in made]
        SchoolFood.objects.bulk_create(
            [
                SchoolFood(school_id=pk, food_id=food, price_per_kg=rng.randrange(10_000, 300_000, 1000))
                for pk in ids
                for food in foods[::3]
            ],
            batch_size=5000,
        )
        MenuTargets.objects.bulk_create(
            [MenuTargets(school_id=pk, band="mau_giao", daily_fee=30_000) for pk in ids[::2]]
        )
        menus = Menu.objects.bulk_create(
            [
                Menu(school_id=pk, band=band, week_start=START + datetime.timedelta(days=7 * w))
                for pk in ids
                for band in ("nha_tre", "mau_giao")
                for w in range(WEEKS)
            ],
            batch_size=5000,
        )
        all_dishes = Dish.objects.bulk_create(
            [
                Dish(
                    school_id=m.school_id,
                    menu=m,
                    day=m.week_start + datetime.timedelta(days=d),
                    meal="lunch",
                    name=f"Món {n}",
                    position=n,
                )
                for m in menus
                for d in range(5)
                for n in range(dishes)
            ],
            batch_size=5000,
        )
        Ingredient.objects.bulk_create(
            [
                Ingredient(
                    school_id=dish.school_id, dish=dish, food_id=rng.choice(foods), grams=Decimal(rng.randint(5, 80))
                )
                for dish in all_dishes
                for _ in range(3)
            ],
            batch_size=5000,
        )
    return ids


def ours(ids, end):
    from community.selectors_menus import menus_month_totals

    started = time.perf_counter()
    result = menus_month_totals(school_ids=ids, start=START, end=end)
    return time.perf_counter() - started, result


def baseline(ids, end):
    """The same reads, nothing computed."""
    from community.models.menus import Food, Ingredient, MenuTargets, SchoolFood

    started = time.perf_counter()
    rows = list(
        Ingredient.objects.filter(dish__menu__school_id__in=ids, dish__day__gte=START, dish__day__lte=end).values_list(
            "dish__menu__school_id", "dish__menu__band", "dish__day", "food_id", "grams"
        )
    )
    food_ids = {row[3] for row in rows}
    Food.objects.in_bulk(food_ids)
    list(SchoolFood.objects.filter(school_id__in=ids, food_id__in=food_ids))
    list(MenuTargets.objects.filter(school_id__in=ids))
    return time.perf_counter() - started, len(rows)


def queries(ids, end) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from community.selectors_menus import menus_month_totals

    with CaptureQueriesContext(connection) as context:
        menus_month_totals(school_ids=ids, start=START, end=end)
    return len(context)


def main(argv=None) -> None:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp), args.db)
        from django.db import connection

        t0 = time.perf_counter()
        ids = make_menus(args.schools, args.dishes, args.seed)
        made_s = time.perf_counter() - t0
        end = START + datetime.timedelta(days=7 * WEEKS - 1)
        counts = {
            "all schools, 4 weeks": queries(ids, end),
            "a tenth of the schools, 4 weeks": queries(ids[: max(1, len(ids) // 10)], end),
            "all schools, 1 week": queries(ids, START + datetime.timedelta(days=6)),
        }
        ours(ids[:10], end)
        baseline(ids[:10], end)  # warm up
        timings = {"ours": [], "baseline": []}
        result, rows = None, 0
        for _round in range(args.rounds):
            seconds, result = ours(ids, end)
            timings["ours"].append(seconds)
            seconds, rows = baseline(ids, end)
            timings["baseline"].append(seconds)
        days = len(result)
        flagged = sum(1 for day in result.values() if day["flags"])
        vendor = connection.vendor
        _remove()

    m = {k: statistics.median(v) for k, v in timings.items()}
    figures = {
        "schools": args.schools,
        "dishes_per_day": args.dishes,
        "ingredient_rows": rows,
        "school_days": days,
        "days_out_of_range": flagged,
        "database": vendor,
        "made_seconds": made_s,
        "rounds": timings,
        "medians": m,
        "ratio_ours_over_baseline": m["ours"] / m["baseline"],
        "queries": counts,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    print(
        f"\n{args.schools} schools, {days} school days (both age groups), {rows} ingredient rows; "
        f"database {vendor}; made in {made_s:.0f} s\n"
    )
    print("| step | rounds (s) | median (s) | school days/s |")
    print("|---|---|---:|---:|")
    for key, label in (("ours", "nutrition, flags and cost"), ("baseline", "baseline: the same reads only")):
        values = ", ".join(f"{v:.2f}" for v in timings[key])
        print(f"| {label} | {values} | {m[key]:.2f} | {days / m[key]:,.0f} |")
    print(f"\nratio ours / baseline: {figures['ratio_ours_over_baseline']:.2f}; days out of range: {flagged}\n")
    print("| asked for | queries |")
    print("|---|---:|")
    for label, n in counts.items():
        print(f"| {label} | {n} |")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS_DIR / f"community_menus-{stamp}.json").write_text(json.dumps(figures, indent=2, default=str))


if __name__ == "__main__":
    main()
