"""The QR images of a work's label, made by a worker: an SVG for the screen and a PNG for print, each
decoding to the work's address; queued on commit, harmless run twice, and right when the code is
replaced meanwhile."""

from __future__ import annotations

import datetime
import re
import subprocess
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw

from portfolio import build
from portfolio.build import work_qr_build
from portfolio.models import Work, work_url
from portfolio.services import work_code_replace, works_record
from portfolio.tasks import media_work_build
from tests.conftest import requires_binary
from tests.portfolio.printing_makers import work_make

pytestmark = pytest.mark.django_db

_SQUARE = re.compile(r"M(\d+(?:\.\d+)?),(\d+(?:\.\d+)?)H(\d+(?:\.\d+)?)V(\d+(?:\.\d+)?)")


def decode(path: Path) -> list[str]:
    zbarimg = requires_binary("zbarimg", "apt-get install zbar-tools")
    result = subprocess.run([zbarimg, "--quiet", "--raw", str(path)], capture_output=True, text=True, check=False)
    return result.stdout.split()


def svg_to_png(svg: bytes, path: Path, scale: int = 8) -> Path:
    """Draw the SVG's modules (one path of squares) on white, for the decoder: no SVG library needed."""
    text = svg.decode()
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', text).group(1))
    image = Image.new("L", (int(width * scale), int(width * scale)), 255)
    draw = ImageDraw.Draw(image)
    squares = _SQUARE.findall(text)
    assert squares, text[:200]
    for x0, y0, x1, y1 in squares:
        draw.rectangle([float(x0) * scale, float(y0) * scale, float(x1) * scale - 1, float(y1) * scale - 1], fill=0)
    image.save(path)
    return path


def decoded(work: Work, tmp_path: Path) -> tuple[list[str], list[str]]:
    png = tmp_path / "qr.png"
    png.write_bytes(default_storage.open(work.qr_png.name).read())
    svg = svg_to_png(default_storage.open(work.qr_svg.name).read(), tmp_path / "qr-svg.png")
    return decode(png), decode(svg)


def test_the_job_makes_an_svg_and_a_png_decoding_to_the_works_address(world, tmp_path):
    work = work_make(child=world.child, by=world.teacher)
    assert not work.qr_ready
    assert media_work_build.delay(work.pk).get() == "ready"
    work.refresh_from_db()
    assert work.qr_ready and work.qr_token == work.token
    assert work.qr_svg.name.endswith(".svg") and work.qr_png.name.endswith(".png")
    assert decoded(work, tmp_path) == ([work_url(work)], [work_url(work)])
    with default_storage.open(work.qr_png.name) as png, Image.open(png) as image:
        assert image.width >= 290  # 10 pixels a module: sharp on a 3 cm label


def test_running_twice_is_harmless(world, tmp_path):
    work = work_make(child=world.child, by=world.teacher)
    assert work_qr_build(work_id=work.pk) == "ready"
    work.refresh_from_db()
    names = (work.qr_svg.name, work.qr_png.name)
    assert work_qr_build(work_id=work.pk) == "done"
    work.refresh_from_db()
    assert (work.qr_svg.name, work.qr_png.name) == names
    stored = sorted(p.name for p in Path(default_storage.path(names[0])).parent.iterdir())
    assert len(stored) == 2  # nothing left over
    assert work_qr_build(work_id=999_999) == "gone"


def test_recording_a_sitting_queues_each_works_build_on_commit(world, django_capture_on_commit_callbacks, tmp_path):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sitting = works_record(
            classroom=world.classroom,
            by=world.teacher,
            title="Ngôi nhà của em",
            domain="aesthetic",
            made_on=datetime.date(2026, 11, 20),
            children_without_photo=[world.child.pk],
        )
    (work,) = sitting.works
    # (The other callbacks renew the school's kept pages: coordination/lib/fragments.py.)
    builds = [callback for callback in callbacks if callback.__module__ != "coordination.lib.fragments"]
    assert len(builds) == 1 and not Work.objects.get(pk=work.pk).qr_ready  # not before the commit
    builds[0]()
    work.refresh_from_db()
    assert work.qr_ready and decoded(work, tmp_path) == ([work_url(work)], [work_url(work)])


def test_a_code_replaced_meanwhile_throws_the_old_images_away_and_the_new_run_makes_them(
    world, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    work = work_make(child=world.child, by=world.teacher)
    old = work.token
    made = build.qr_svg_and_png

    def replaced_while_drawing(address, **kwargs):
        images = made(address, **kwargs)
        Work.objects.filter(pk=work.pk).update(token="z" * 43)  # the teacher replaced the code
        return images

    monkeypatch.setattr(build, "qr_svg_and_png", replaced_while_drawing)
    assert work_qr_build(work_id=work.pk) == "done"
    work.refresh_from_db()
    assert not work.qr_ready and not work.qr_png and not work.qr_svg
    folder = Path(default_storage.path(f"portfolio/{work.school_id}/qr/{work.pk}"))
    assert not folder.exists() or not list(folder.iterdir())  # the images of the old code were deleted
    monkeypatch.setattr(build, "qr_svg_and_png", made)
    assert work_qr_build(work_id=work.pk) == "ready"
    work.refresh_from_db()
    assert work.token != old and decoded(work, tmp_path) == ([work_url(work)], [work_url(work)])


def test_replacing_a_code_rebuilds_the_images_for_the_new_one(world, tmp_path, django_capture_on_commit_callbacks):
    work = work_make(child=world.child, by=world.teacher)
    work_qr_build(work_id=work.pk)
    work.refresh_from_db()
    old_png = work.qr_png.name
    with django_capture_on_commit_callbacks(execute=True):
        work = work_code_replace(work=work, by=world.teacher)
    work.refresh_from_db()
    assert work.qr_ready and work.qr_png.name != old_png
    assert not default_storage.exists(old_png)
    assert decoded(work, tmp_path) == ([work_url(work)], [work_url(work)])
