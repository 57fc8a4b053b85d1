"""Label-sheet benchmark: a class of 35 children with 3 works each, asked for and ready.

Run from the repository root with the project's Python:

    .venv/bin/python bench/portfolio_labels.py [--children 35] [--works 3] [--rounds 3] [--layout 70x42.3]

1. A temporary directory gets a SQLite database and the media files; a school, a class, its
   teacher and the children (Vietnamese names), each with --works works of the same week.
2. "asked to ready": in one transaction, `label_sheet_request` as the teacher; at its commit the
   task runs in this process (tasks in-process), as a media worker would run it: the works are
   read, each label's QR code is drawn (the works have no QR images yet: the worst case, every
   code made on the spot), the A4 PDF is laid out and stored. The clock stops when the sheet is
   READY.
3. The same with every work's QR image already made (stored PNG, error correction M, as the
   portfolio's QR job stores them): the sheet reads the stored images instead.
4. --rounds of each, in turns; medians. The target: under 10 seconds.

It prints a Markdown table and writes the figures as JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
TARGET_SECONDS = 10.0
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Minh", "Ngọc", "Gia", "Bảo", "Khánh", "Thanh", "Hoài", "Đức"]
GIVEN = ["Khôi", "An", "Linh", "Huy", "Ánh", "Phúc", "Như", "Quân", "Trâm", "Dũng", "Hương", "Tú"]
TITLES = [
    "Vườn ươm của những bạn nhỏ",
    "Mô hình ngôi nhà bằng hộp giấy và ống hút",
    "Con thuyền giấy",
    "Bức tranh gia đình em",
    "Những chú cá bằng đất nặn",
]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=35, help="children in the class (35).")
    parser.add_argument("--works", type=int, default=3, help="works of each child (3).")
    parser.add_argument("--rounds", type=int, default=3, help="turns of each case (3).")
    parser.add_argument("--layout", default="70x42.3", help="label sheet (70x42.3: 3 x 7).")
    return parser.parse_args(argv)


def setup_django(tmp: Path) -> None:
    for key in [k for k in os.environ if k.startswith(("DATABASE_", "REDIS_", "CELERY_", "S3_", "MEDIA_"))]:
        del os.environ[key]
    os.environ.update(
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp / "media"),
        SECRET_KEY="bench-only-" + secrets.token_hex(16),
        CELERY_TASK_ALWAYS_EAGER="1",
        LOG_LEVEL="WARNING",
        SITE_URL="https://truong-sao-mai.example.vn",
        DJANGO_SETTINGS_MODULE="coordination.settings",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_class(*, children: int, works: int):
    from accounts.models import User
    from portfolio.models import Work
    from schools.models import Authority, Child, Classroom, School, SchoolYear, StaffMembership

    ward = Authority.objects.create(name="Bench", slug="bench", level=Authority.Level.COMMUNE, needs_review=True)
    school = School.objects.create(authority=ward, name="Trường Mầm non Sao Mai", slug="bench-sao-mai")
    year = SchoolYear.objects.create(
        school=school, name="2026–2027", starts_on=datetime.date(2026, 9, 1), ends_on=datetime.date(2027, 5, 31)
    )
    classroom = Classroom.objects.create(school=school, school_year=year, name="Lá 1", age_group="la")
    teacher = User.objects.create(email="teacher@bench.test", full_name="Phạm Thị Lan")
    StaffMembership.objects.create(school=school, user=teacher, role="teacher").classrooms.set([classroom])
    week = datetime.date(2026, 11, 16)
    made = []
    for n in range(children):
        name = f"{FAMILY[n % len(FAMILY)]} {MIDDLE[n % len(MIDDLE)]} {GIVEN[n % len(GIVEN)]}"
        child = Child.objects.create(
            school=school, classroom=classroom, full_name=name, date_of_birth=datetime.date(2021, 3, 1), sex="f"
        )
        for k in range(works):
            made.append(
                Work(
                    school=school,
                    child=child,
                    classroom=classroom,
                    title=TITLES[(n + k) % len(TITLES)],
                    domain="aesthetic",
                    made_on=week + datetime.timedelta(days=k),
                    created_by=teacher,
                )
            )
    Work.objects.bulk_create(made)
    return classroom, teacher, week, week + datetime.timedelta(days=works)


def store_qr_images(classroom) -> float:
    """Each work's QR image as the portfolio's QR job keeps it: a PNG of the full address, level M."""
    import qrcode
    from django.core.files.base import ContentFile

    from portfolio.models import Work, work_url

    began = time.monotonic()
    for work in Work.objects.filter(classroom=classroom):
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=2)
        code.add_data(work_url(work))
        buffer = io.BytesIO()
        code.make_image().save(buffer, format="PNG")
        work.qr_png.save("qr.png", ContentFile(buffer.getvalue()), save=False)
        work.qr_token = work.token
        work.save(update_fields=["qr_png", "qr_token"])
    return time.monotonic() - began


def ask_until_ready(classroom, teacher, date_from, date_to, layout) -> tuple[float, object]:
    from django.db import transaction

    from portfolio.models import LabelSheet, PrintoutState
    from portfolio.printing.labels import label_sheet_request

    began = time.monotonic()
    with transaction.atomic():
        sheet = label_sheet_request(
            classroom=classroom, by=teacher, layout=layout, date_from=date_from, date_to=date_to
        )
    # The commit ran the media task in this process.
    sheet = LabelSheet.objects.get(pk=sheet.pk)
    elapsed = time.monotonic() - began
    if sheet.state != PrintoutState.READY:
        raise SystemExit(f"the sheet ended {sheet.state}: {sheet.failure_reason}")
    return elapsed, sheet


def main(argv=None) -> int:
    args = parse_args(argv)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    with tempfile.TemporaryDirectory(prefix="portfolio-labels-bench-") as tmp:
        tmp_path = Path(tmp)
        setup_django(tmp_path)
        from django.core.files.storage import default_storage

        classroom, teacher, date_from, date_to = make_class(children=args.children, works=args.works)
        labels = args.children * args.works
        drawn, stored, sheet, drawn_size = [], [], None, 0
        qr_seconds = None
        for round_number in range(1, args.rounds + 1):
            seconds, sheet = ask_until_ready(classroom, teacher, date_from, date_to, args.layout)
            drawn.append(seconds)
            drawn_size = default_storage.size(sheet.pdf.name)
            print(f"round {round_number}: QR codes drawn on the spot {seconds:.2f} s", flush=True)
        qr_seconds = store_qr_images(classroom)
        for round_number in range(1, args.rounds + 1):
            seconds, sheet = ask_until_ready(classroom, teacher, date_from, date_to, args.layout)
            stored.append(seconds)
            print(f"round {round_number}: stored QR images {seconds:.2f} s", flush=True)
        size = default_storage.size(sheet.pdf.name)
        pages = sheet.pages

    figures = {
        "when": stamp,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load": os.getloadavg()},
        "children": args.children,
        "works_each": args.works,
        "labels": labels,
        "layout": args.layout,
        "pages": pages,
        "pdf_bytes_drawn": drawn_size,
        "pdf_bytes_stored": size,
        "qr_drawn_seconds": drawn,
        "qr_stored_seconds": stored,
        "qr_images_made_seconds": qr_seconds,
        "target_seconds": TARGET_SECONDS,
    }
    (RESULTS_DIR / f"portfolio-labels-{stamp}.json").write_text(json.dumps(figures, indent=2))
    worst = max(statistics.median(drawn), statistics.median(stored))

    def row(name, values):
        median = statistics.median(values)
        return f"| {name} | {', '.join(f'{v:.2f}' for v in values)} | **{median:.2f} s** |"

    print()
    print(
        f"{args.children} children x {args.works} works = {labels} labels, layout {args.layout}: "
        f"{pages} pages, {drawn_size / 1024:.0f} KiB with codes drawn, {size / 1024:.0f} KiB with stored images"
    )
    print()
    print("| asked to ready | rounds (s) | median (target < 10 s) |")
    print("|---|---|---:|")
    print(row("QR codes drawn on the spot (no QR image made yet)", drawn))
    print(row("QR images already made by the QR job", stored))
    print()
    print(f"(making the {labels} stored QR images took {qr_seconds:.2f} s, outside the sheet)")
    return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
