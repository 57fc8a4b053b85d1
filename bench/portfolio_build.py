"""Build-throughput benchmark: the QR-and-thumbnail build of 500 children's works against a bare loop.

Run from the repository root with the project's Python (`make bench` runs it too):

    .venv/bin/python bench/portfolio_build.py [--works 500] [--rounds 2] [--photo 3024x4032]
        [--db postgres://postgres@127.0.0.1:5432/coord_bench_build]

1. The database named by --db (PostgreSQL; dropped and made afresh: give it a database of its own)
   and a temporary MEDIA_ROOT. A school, a class of 35 children and their teacher; --photos distinct
   phone-sized JPEG photos (noise and shapes, so that they compress like photos, with EXIF
   orientation 6 as a phone writes it), used in turn by the works.
2. Before each round, untimed: --works works, each with one photo whose upload has just finished
   (the file in the upload area, the row PROCESSING), as a teacher's sitting leaves them.
3. The portal, timed: for each work, in this process (no worker, no broker: the tasks' own code),
   the media task `mediafiles.tasks.media_process` of its photo (the content check, SHA-256, storing
   the original, the re-encoded copy and the small sizes: thumb, thumb-webp, preview, preview-webp)
   and the portfolio task `portfolio.tasks.media_work_build` (the QR images: SVG and PNG), with their
   database reads and writes and the stored files.
4. The bare loop, timed: the same outputs with `qrcode` and Pillow directly, in one process, written
   to files: the photo's re-encoded copy (upright, 1600 px, the same JPEG settings), its thumbnail
   and preview in JPEG and WebP (the same sizes and settings), and the QR code of the same address
   as SVG and PNG (the same error correction, box and border).
5. Both take turns by blocks of --block works (bare loop then portal, then the other way round), so
   that a change in the machine's load touches both alike; a round's time is the sum of its blocks.
   --rounds rounds, medians compared. The target: the portal reaches at least 70 % of the bare
   loop's works per second in the same run. The CPU time of this process is reported beside the
   clock (the portal's also runs in PostgreSQL, which it does not count).

It prints a Markdown table and writes the figures as JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import platform
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
TARGET = 0.70
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/coord_bench_build"
CHILDREN = 35
TITLES = ["Con thuyền giấy", "Bức tranh gia đình em", "Những chú cá bằng đất nặn", "Mô hình ngôi nhà"]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--works", type=int, default=500, help="works built in each round (500).")
    parser.add_argument("--rounds", type=int, default=2, help="turns of bare loop and portal (2).")
    parser.add_argument("--photo", default="3024x4032", help="size of the photos, as a phone takes them (3024x4032).")
    parser.add_argument("--photos", type=int, default=20, help="distinct photos, used in turn (20).")
    parser.add_argument("--block", type=int, default=25, help="works per turn within a round (25).")
    parser.add_argument(
        "--db", default=DEFAULT_DB, help=f"PostgreSQL database, dropped and made afresh ({DEFAULT_DB})."
    )
    return parser.parse_args(argv)


def fresh_database(url: str) -> None:
    """Drop and create the bench's own database (it holds nothing else)."""
    from urllib.parse import urlsplit

    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.replace("_", "").isalnum() or "bench" not in name:
        raise SystemExit(f"--db: it is dropped first, so its name must be plain and contain 'bench', not {name!r}")
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("--db must point at the loopback interface")
    admin_url = parts._replace(path="/postgres").geturl()
    connection = psycopg2.connect(admin_url)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def setup_django(tmp: Path, db: str) -> None:
    for key in [k for k in os.environ if k.startswith(("DATABASE_", "REDIS_", "CELERY_", "S3_", "MEDIA_"))]:
        del os.environ[key]
    os.environ.update(
        DATABASE_URL=db,
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


def make_photos(folder: Path, *, count: int, size: tuple[int, int]) -> list[Path]:
    """Phone-like JPEGs: stored landscape with EXIF orientation 6 (shown portrait), quality 90."""
    from PIL import Image, ImageDraw, ImageFilter

    folder.mkdir(parents=True, exist_ok=True)
    width, height = size[1], size[0]  # stored turned, as the camera's sensor reads it
    made = []
    rng = random.Random(10)
    for n in range(count):
        small = Image.effect_noise((width // 8, height // 8), 60).convert("RGB")
        picture = small.resize((width, height), Image.Resampling.BILINEAR)
        draw = ImageDraw.Draw(picture)
        for _ in range(30):
            x, y = rng.randrange(width), rng.randrange(height)
            r = rng.randrange(40, width // 4)
            colour = tuple(rng.randrange(256) for _ in range(3))
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        picture = picture.filter(ImageFilter.GaussianBlur(2))
        exif = Image.Exif()
        exif[0x0112] = 6
        path = folder / f"tranh-{n:02d}.jpg"
        picture.save(path, "JPEG", quality=90, exif=exif)
        made.append(path)
    return made


def make_class():
    from accounts.models import User
    from schools.models import Authority, Child, Classroom, School, SchoolYear, StaffMembership

    ward = Authority.objects.create(name="Bench", slug="bench", level=Authority.Level.COMMUNE, needs_review=True)
    school = School.objects.create(authority=ward, name="Trường Mầm non Sao Mai", slug="bench-sao-mai")
    year = SchoolYear.objects.create(
        school=school, name="2026–2027", starts_on=datetime.date(2026, 9, 1), ends_on=datetime.date(2027, 5, 31)
    )
    classroom = Classroom.objects.create(school=school, school_year=year, name="Lá 1", age_group="la")
    teacher = User.objects.create(email="teacher@bench.test", full_name="Phạm Thị Lan")
    StaffMembership.objects.create(school=school, user=teacher, role="teacher").classrooms.set([classroom])
    children = [
        Child.objects.create(
            school=school,
            classroom=classroom,
            full_name=f"Nguyễn Minh Khôi {n + 1}",
            date_of_birth=datetime.date(2021, 3, 1),
            sex="m",
        )
        for n in range(CHILDREN)
    ]
    return school, classroom, teacher, children


def sitting(*, school, classroom, teacher, children, photos: list[Path], works: int) -> list[tuple[str, int, Path]]:
    """Works whose photos have just been uploaded: (media id, work id, source photo) for each."""
    from django.utils import timezone

    from mediafiles import files
    from mediafiles.models import MediaFile, State
    from portfolio.models import Work, WorkPhoto

    now = timezone.now()
    sources = [photos[n % len(photos)] for n in range(works)]
    media = MediaFile.objects.bulk_create(
        MediaFile(
            school=school,
            uploaded_by=teacher,
            audience="staff",
            kind="image",
            state=State.PROCESSING,
            original_name=source.name,
            size=source.stat().st_size,
            received=source.stat().st_size,
            last_activity_at=now,
        )
        for source in sources
    )
    for row, source in zip(media, sources, strict=True):
        shutil.copyfile(source, files.partial_path(row.pk))
    made = Work.objects.bulk_create(
        Work(
            school=school,
            child=children[n % len(children)],
            classroom=classroom,
            title=TITLES[n % len(TITLES)],
            domain="aesthetic",
            made_on=datetime.date(2026, 11, 20),
            created_by=teacher,
        )
        for n in range(works)
    )
    WorkPhoto.objects.bulk_create(
        WorkPhoto(school=school, work=work, media=row) for work, row in zip(made, media, strict=True)
    )
    return [(str(row.pk), work.pk, source) for row, work, source in zip(media, made, sources, strict=True)]


def portal_block(jobs) -> tuple[float, float]:
    from mediafiles.tasks import media_process
    from portfolio.tasks import media_work_build

    began, cpu = time.perf_counter(), time.process_time()
    for media_id, work_id, _source in jobs:
        state = media_process(media_id)
        built = media_work_build(work_id)
        if state != "ready" or built != "ready":
            raise SystemExit(f"work {work_id}: photo {state}, QR {built}")
    return time.perf_counter() - began, time.process_time() - cpu


def bare_block(items: list[tuple[Path, str]], out: Path) -> tuple[float, float]:
    """The same images with Pillow and qrcode directly, one process, each written to a file."""
    import qrcode
    from PIL import Image, ImageOps
    from qrcode.image.svg import SvgPathImage

    from mediafiles.models import MediaFile
    from mediafiles.renditions import JPEG_QUALITY, PHOTO_LONG_SIDE, SMALL_JPEG_QUALITY, WEBP_QUALITY

    sizes = (("thumb", MediaFile.THUMB_LONG_SIDE), ("preview", MediaFile.PREVIEW_LONG_SIDE))
    began, cpu = time.perf_counter(), time.process_time()
    for source, url in items:
        folder = out / url.rsplit("/", 1)[-1]
        folder.mkdir()
        with Image.open(source) as original:
            original.draft("RGB", (PHOTO_LONG_SIDE, PHOTO_LONG_SIDE))
            picture = ImageOps.exif_transpose(original).convert("RGB")
        picture.thumbnail((PHOTO_LONG_SIDE, PHOTO_LONG_SIDE), Image.Resampling.LANCZOS)
        picture.save(folder / "photo.jpg", "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        for stem, long_side in sizes:
            small = picture.copy()
            small.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
            small.save(folder / f"{stem}.jpg", "JPEG", quality=SMALL_JPEG_QUALITY, optimize=True, progressive=True)
            small.save(folder / f"{stem}.webp", "WEBP", quality=WEBP_QUALITY, method=4)
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=2)
        code.add_data(url)
        code.make(fit=True)
        code.make_image(fill_color="black", back_color="white").save(folder / "qr.png")
        buffer = io.BytesIO()
        code.make_image(image_factory=SvgPathImage).save(buffer)
        (folder / "qr.svg").write_bytes(buffer.getvalue())
    return time.perf_counter() - began, time.process_time() - cpu


def check_outputs(jobs) -> dict:
    """What the portal made, as a page would show it: every work ready, every size present."""
    from mediafiles.models import MediaFile
    from portfolio.models import Work

    works = Work.objects.filter(pk__in=[work_id for _m, work_id, _s in jobs])
    ready = sum(1 for work in works if work.qr_ready and work.qr_svg)
    media = MediaFile.objects.filter(pk__in=[media_id for media_id, _w, _s in jobs])
    variants = ("thumb", "thumb-webp", "preview", "preview-webp")
    complete = sum(1 for row in media if row.state == "ready" and all(row.has_variant(v) for v in variants))
    if ready != len(jobs) or complete != len(jobs):
        raise SystemExit(f"only {ready} QR codes and {complete} photos of {len(jobs)} works are ready")
    return {"works_ready": ready, "photos_with_all_sizes": complete}


def main(argv=None) -> int:
    args = parse_args(argv)
    size = tuple(int(v) for v in args.photo.lower().split("x"))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    fresh_database(args.db)
    with tempfile.TemporaryDirectory(prefix="portfolio-build-bench-") as tmp:
        tmp_path = Path(tmp)
        setup_django(tmp_path, args.db)
        from portfolio.models import work_url

        photos = make_photos(tmp_path / "photos", count=args.photos, size=size)
        school, classroom, teacher, children = make_class()
        photo_bytes = statistics.mean(path.stat().st_size for path in photos)
        print(f"{args.works} works, photos {args.photo} ({photo_bytes / 1e6:.1f} MB each), {args.rounds} rounds")

        from portfolio.models import Work

        bare, portal, bare_cpu, portal_cpu, checked = [], [], [], [], {}
        for round_number in range(1, args.rounds + 1):
            jobs = sitting(
                school=school, classroom=classroom, teacher=teacher, children=children, photos=photos, works=args.works
            )
            urls = {work.pk: work_url(work) for work in Work.objects.filter(pk__in=[j[1] for j in jobs])}
            out = tmp_path / f"bare-{round_number}"
            out.mkdir()
            times = {"bare": [0.0, 0.0], "portal": [0.0, 0.0]}
            for n, start in enumerate(range(0, len(jobs), args.block)):
                block = jobs[start : start + args.block]
                for side in ("bare", "portal") if n % 2 == 0 else ("portal", "bare"):
                    if side == "bare":
                        wall, cpu = bare_block([(source, urls[work]) for _m, work, source in block], out)
                    else:
                        wall, cpu = portal_block(block)
                    times[side][0] += wall
                    times[side][1] += cpu
            shutil.rmtree(out)
            bare.append(times["bare"][0])
            bare_cpu.append(times["bare"][1])
            portal.append(times["portal"][0])
            portal_cpu.append(times["portal"][1])
            checked = check_outputs(jobs)
            print(
                f"round {round_number}: bare loop {bare[-1]:.1f} s ({args.works / bare[-1]:.1f} works/s), "
                f"portal {portal[-1]:.1f} s ({args.works / portal[-1]:.1f} works/s)",
                flush=True,
            )

    bare_rate = args.works / statistics.median(bare)
    portal_rate = args.works / statistics.median(portal)
    ratio = round(portal_rate / bare_rate, 3)
    figures = {
        "when": stamp,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load": os.getloadavg()},
        "works": args.works,
        "photo": args.photo,
        "photo_bytes_mean": round(photo_bytes),
        "database": "postgresql",
        "bare_seconds": [round(s, 2) for s in bare],
        "portal_seconds": [round(s, 2) for s in portal],
        "bare_cpu_seconds": [round(s, 2) for s in bare_cpu],
        "portal_cpu_seconds": [round(s, 2) for s in portal_cpu],
        "block": args.block,
        "bare_works_per_second": round(bare_rate, 2),
        "portal_works_per_second": round(portal_rate, 2),
        "ratio": ratio,
        "ratio_cpu": round(statistics.median(bare_cpu) / statistics.median(portal_cpu), 3),
        "target": TARGET,
        "passed": ratio >= TARGET,
        **checked,
    }
    (RESULTS_DIR / f"portfolio-build-{stamp}.json").write_text(json.dumps(figures, indent=2))
    print()
    print(f"{args.works} works, photos {args.photo} ({photo_bytes / 1e6:.1f} MB), medians of {args.rounds} rounds")
    print()
    print("| | time (s) | works/s | CPU of this process (s) |")
    print("|---|---|---:|---|")
    for name, wall, cpu in (
        ("bare loop (Pillow + qrcode)", bare, bare_cpu),
        ("portal: media_process + media_work_build", portal, portal_cpu),
    ):
        print(
            f"| {name} | {', '.join(f'{v:.1f}' for v in wall)} | {args.works / statistics.median(wall):.2f} "
            f"| {', '.join(f'{v:.1f}' for v in cpu)} |"
        )
    print()
    print(f"portal / bare works per second: **{ratio}** (target ≥ {TARGET}); by CPU time {figures['ratio_cpu']}")
    return 0 if figures["passed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
