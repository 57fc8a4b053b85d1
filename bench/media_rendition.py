"""Rendition cost benchmark: processing a 60-second 1080p clip against the bare ffmpeg command.

Run from the repository root with the project's Python (`make bench` runs it too):

    .venv/bin/python bench/media_rendition.py [--seconds 60] [--size 1920x1080] [--rounds 3]

1. Generates the clip with ffmpeg (a moving test pattern with a tone, H.264/AAC, 30 fps).
2. Baseline: the very command that mediafiles.ffmpeg.rendition_command builds (480p
   H.264/AAC, +faststart), run bare with subprocess.
3. The portal: `media_ingest` of the clip as a teacher, with tasks in-process: the copy into
   the upload area, the content check (ffprobe), SHA-256, storing the original, then the
   processing task: the same rendition, its length check (ffprobe), the poster, the
   thumbnail and storing them.
   Also `media_process` alone (the processing task without the upload side).
4. The two take turns, --rounds times, so that a change in the machine's load touches both
   alike; the medians are compared. The target: the portal takes at most 1.3x the bare command.

Everything runs in a temporary directory (SQLite database, media files) removed at the end.
It prints a Markdown table and writes the figures as JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
TARGET = 1.3


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60, help="length of the clip (60).")
    parser.add_argument("--size", default="1920x1080", help="picture size of the clip (1920x1080).")
    parser.add_argument("--rounds", type=int, default=3, help="turns of bare command and portal (3).")
    return parser.parse_args(argv)


def setup_django(tmp: Path):
    for key in [k for k in os.environ if k.startswith(("DATABASE_", "REDIS_", "CELERY_", "S3_", "MEDIA_"))]:
        del os.environ[key]
    os.environ.update(
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
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

    from accounts.models import User
    from schools.models import Authority, School, StaffMembership

    call_command("migrate", verbosity=0)
    ward = Authority.objects.create(name="Bench", slug="bench", level=Authority.Level.COMMUNE, needs_review=True)
    school = School.objects.create(authority=ward, name="Bench school", slug="bench-school")
    teacher = User.objects.create(email="teacher@bench.test", full_name="Bench teacher")
    StaffMembership.objects.create(school=school, user=teacher, role="teacher")
    return school, teacher


def make_clip(path: Path, *, seconds: int, size: str) -> float:
    ffmpeg = shutil.which("ffmpeg")
    if not ffmpeg:
        raise SystemExit("needs ffmpeg: apt-get install ffmpeg")
    began = time.monotonic()
    command = [ffmpeg, "-nostdin", "-v", "error", "-y"]
    command += ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate=30:duration={seconds}"]
    command += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    command += ["-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p"]
    command += ["-c:a", "aac", "-shortest", str(path)]
    subprocess.run(command, check=True)
    return time.monotonic() - began


def main(argv=None) -> int:
    args = parse_args(argv)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    with tempfile.TemporaryDirectory(prefix="media-rendition-bench-") as tmp:
        tmp_path = Path(tmp)
        school, teacher = setup_django(tmp_path)
        from mediafiles import ffmpeg, services
        from mediafiles.models import MediaFile, State

        clip = tmp_path / "lesson.mp4"
        made_in = make_clip(clip, seconds=args.seconds, size=args.size)
        print(f"clip: {args.seconds} s {args.size}, {clip.stat().st_size / 1e6:.1f} MB, made in {made_in:.1f} s")

        bare, portal, processing = [], [], []
        for round_number in range(1, args.rounds + 1):
            target = tmp_path / "bare.mp4"
            began = time.monotonic()
            subprocess.run(ffmpeg.rendition_command(clip, target), check=True)
            bare.append(time.monotonic() - began)
            target.unlink()

            began = time.monotonic()
            media = services.media_ingest(school=school, by=teacher, kind="video", path=clip)
            portal.append(time.monotonic() - began)
            if media.state != State.READY:
                raise SystemExit(f"the clip was refused: {media.failure_reason}")

            # The processing task alone, on the same stored original.
            derived = [field for field in services.STORED_FIELDS if field != "original"]
            names = [getattr(media, field).name for field in derived]
            MediaFile.objects.filter(pk=media.pk).update(
                state=State.PROCESSING, attempts=0, **dict.fromkeys(derived, "")
            )
            from mediafiles import files

            files.delete_stored(*names)
            began = time.monotonic()
            services.media_process(media_id=media.pk)
            processing.append(time.monotonic() - began)
            media.refresh_from_db()
            services.media_delete(media=media)
            print(
                f"round {round_number}: bare {bare[-1]:.2f} s, media_ingest {portal[-1]:.2f} s, "
                f"media_process {processing[-1]:.2f} s",
                flush=True,
            )

    figures = {
        "when": stamp,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "ffmpeg": subprocess.run(["ffmpeg", "-version"], capture_output=True, text=True).stdout.splitlines()[0],
        "clip": {"seconds": args.seconds, "size": args.size},
        "bare_seconds": [round(s, 2) for s in bare],
        "media_ingest_seconds": [round(s, 2) for s in portal],
        "media_process_seconds": [round(s, 2) for s in processing],
        "ratio_ingest": round(statistics.median(portal) / statistics.median(bare), 3),
        "ratio_process": round(statistics.median(processing) / statistics.median(bare), 3),
        "target": TARGET,
    }
    figures["passed"] = figures["ratio_ingest"] <= TARGET
    (RESULTS_DIR / f"media-rendition-{stamp}.json").write_text(json.dumps(figures, indent=2))
    print("| clip | bare ffmpeg (median) | media_process | ratio | media_ingest | ratio (target ≤ 1.3) |")
    print("|---|---|---|---|---|---|")
    print(
        f"| {args.seconds} s {args.size} | {statistics.median(bare):.2f} s | {statistics.median(processing):.2f} s "
        f"| {figures['ratio_process']} | {statistics.median(portal):.2f} s | **{figures['ratio_ingest']}** |"
    )
    return 0 if figures["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
