"""QR label sheets: a teacher asks for a class and a period, a worker builds the A4 PDF, the teacher
follows it and downloads it. The labels sit where the shop's sheet has its stickers, read in
Vietnamese, and each code opens its own work."""

from __future__ import annotations

import datetime
import io
import re
import subprocess
from pathlib import Path

import pytest
import qrcode
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from portfolio.layouts import A4_HEIGHT_MM, A4_WIDTH_MM, LAYOUTS
from portfolio.models import LabelSheet, PrintoutState, work_url
from portfolio.printing import labels
from portfolio.printing.labels import LabelContent, render_label_sheet
from tests import factories as f
from tests.conftest import requires_binary
from tests.portfolio.printing_makers import SCHOOL_NAME, work_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    """The pages' new messages are asserted in English (their Vietnamese comes with the catalogue)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


MM = 72 / 25.4
DPI = 200
DAY = datetime.date(2026, 11, 20)
TITLE = "Vườn ươm của những bạn nhỏ"


def pdftotext():
    return requires_binary("pdftotext", "apt-get install poppler-utils")


def zbarimg():
    return requires_binary("zbarimg", "apt-get install zbar-tools")


def text_of(path: Path) -> str:
    out = subprocess.run([pdftotext(), str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def words_of(path: Path) -> list[tuple[int, str, float, float, float, float]]:
    """(page, word, xMin, yMin, xMax, yMax) in points from the page's top-left, as pdftotext reads them."""
    html = subprocess.run([pdftotext(), "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    found, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        match = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if match:
            x0, y0, x1, y1 = (float(v) for v in match.groups()[:4])
            found.append((page, match.group(5), x0, y0, x1, y1))
    return found


def codes_on(path: Path, tmp_path: Path, layout, *, page: int = 1) -> dict[int, str]:
    """What the QR code on each label of a rendered page holds, by the label's place on the sheet.

    Each label is cut out of the page at the layout's own numbers and decoded alone, so a code counts
    only if it lies whole inside its label."""
    requires_binary("pdftoppm", "apt-get install poppler-utils")
    stem = tmp_path / f"page{page}"
    command = ["pdftoppm", "-r", str(DPI), "-f", str(page), "-l", str(page), "-png", "-singlefile"]
    subprocess.run([*command, str(path), str(stem)], check=True)
    scale = DPI / 72
    found = {}
    with Image.open(f"{stem}.png") as rendered:
        for index in range(layout.per_sheet):
            left, top, right, bottom = box_of(layout, index)
            crop = tmp_path / f"label-{page}-{index}.png"
            rendered.crop((round(left * scale), round(top * scale), round(right * scale), round(bottom * scale))).save(
                crop
            )
            out = subprocess.run([zbarimg(), "--raw", "-q", str(crop)], capture_output=True, text=True).stdout.strip()
            if out:
                found[index] = out
    return found


def box_of(layout, index: int) -> tuple[float, float, float, float]:
    """The label's rectangle in points from the page's top-left, from the layout's own numbers."""
    left, top = layout.position(index)
    return left * MM, top * MM, (left + layout.width) * MM, (top + layout.height) * MM


def inside(inner, outer, slack: float = 0.6) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


@pytest.fixture
def sao_mai(world):
    world.school.name = SCHOOL_NAME
    world.school.save(update_fields=["name"])
    return world


# --- The layouts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(LAYOUTS))
def test_every_layout_fits_its_sheet_with_even_margins(key):
    layout = LAYOUTS[key]
    assert layout.right == pytest.approx(layout.left, abs=0.02)
    assert layout.bottom == pytest.approx(layout.top, abs=0.02)
    assert layout.right >= 0 and layout.bottom >= 0
    x, y = layout.position(layout.per_sheet - 1)
    assert x + layout.width <= A4_WIDTH_MM + 1e-6 and y + layout.height <= A4_HEIGHT_MM + 1e-6


def test_the_common_sheets_sold_in_shops_are_offered():
    grids = {(lay.columns, lay.rows, lay.width, lay.height) for lay in LAYOUTS.values()}
    for sheet in [
        (3, 7, 70, 42.3),
        (2, 7, 99.1, 38.1),
        (3, 8, 70, 37),
        (4, 10, 48.5, 25.4),
        (2, 4, 105, 74),
        (1, 1, 210, 297),
    ]:
        assert sheet in grids
    l7160 = LAYOUTS["63.5x38.1"]
    # The third label of the second row of an L7160 sheet: side margin, two pitches; top margin, one row.
    assert l7160.position(5) == pytest.approx((7.21 + 2 * 66.04, 15.15 + 38.1))
    assert LAYOUTS["48.5x25.4"].position(39) == pytest.approx((8 + 3 * 48.5, 21.5 + 9 * 25.4))


def _contents(count: int, *, title: str = TITLE) -> list[LabelContent]:
    return [
        LabelContent(
            url=f"https://portal.example.test/w/{n:043d}",
            given_name="Khôi",
            title=title,
            date="20/11/2026",
            school=SCHOOL_NAME,
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("key", ["70x42.3", "63.5x38.1", "99.1x38.1", "48.5x25.4", "105x74", "210x297"])
def test_each_label_is_drawn_where_the_layout_puts_it(key, tmp_path):
    layout = LAYOUTS[key]
    count = min(layout.per_sheet, 12)
    content, pages = render_label_sheet(_contents(count), layout=layout)
    path = tmp_path / "sheet.pdf"
    path.write_bytes(content)
    assert pages == 1

    # The code of label n holds its own address, and lies inside label n.
    assert codes_on(path, tmp_path, layout) == {n: c.url for n, c in enumerate(_contents(count))}
    for _page, word, *corners in words_of(path):
        assert any(inside(corners, box_of(layout, i)) for i in range(count)), (word, corners)


def test_a_long_title_wraps_or_shrinks_and_never_leaves_its_label(tmp_path):
    layout = LAYOUTS["48.5x25.4"]
    title = "Mô hình ngôi nhà bằng hộp giấy và những ống hút nhiều màu sắc " * 6 + "Siêuuuuuuuuuuuuuuuuuuuudài"
    content, _pages = render_label_sheet(_contents(4, title=title), layout=layout)
    path = tmp_path / "long.pdf"
    path.write_bytes(content)
    words = words_of(path)
    assert words
    for _page, word, *corners in words:
        assert any(inside(corners, box_of(layout, i), slack=0.3) for i in range(4)), (word, corners)
    assert "Khôi" in text_of(path)


def test_labels_start_after_those_already_used_on_the_first_sheet(tmp_path):
    layout = LAYOUTS["99.1x38.1"]
    content, pages = render_label_sheet(_contents(14), layout=layout, skip=10)
    path = tmp_path / "skip.pdf"
    path.write_bytes(content)
    assert pages == 2
    urls = [c.url for c in _contents(14)]
    assert codes_on(path, tmp_path, layout, page=1) == {10 + n: urls[n] for n in range(4)}
    assert codes_on(path, tmp_path, layout, page=2) == {n: urls[4 + n] for n in range(10)}


# --- Asking, building, following, downloading --------------------------------------------------------------


def _works(world, count_per_child: int = 2):
    other = f.ChildFactory(classroom=world.classroom, full_name="Trần Bảo Ngọc Ánh")
    works = []
    for child in (world.child, other):
        for n in range(count_per_child):
            works.append(
                work_make(child=child, by=world.teacher, title=TITLE if n == 0 else f"Bức tranh số {n}", made_on=DAY)
            )
    return works


def _ask(client, world, **data):
    form = {"layout": "99.1x38.1", "date_from": "2026-11-16", "date_to": "2026-11-22", "skip": "0", **data}
    return client.post(f"/classes/{world.classroom.pk}/labels/", form)


def test_the_teacher_asks_follows_and_downloads_the_sheet(
    client, sao_mai, tmp_path, django_capture_on_commit_callbacks
):
    world = sao_mai
    works = _works(world)
    client.force_login(world.teacher)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = _ask(client, world)
    sheet = LabelSheet.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/labels/{sheet.pk}/"
    assert sheet.state == PrintoutState.QUEUED and sheet.total == 4 and len(queued) == 1

    waiting = client.get(f"/labels/{sheet.pk}/")
    html = waiting.content.decode()
    assert waiting["Refresh"] and "<progress" in html and "js/printout-progress.js" in html
    assert f'data-status-url="/labels/{sheet.pk}/status/"' in html
    status = client.get(f"/labels/{sheet.pk}/status/").json()
    assert status["state"] == "queued" and status["finished"] is False and status["download_url"] == ""

    queued[0]()  # the commit: the worker (in-process here) builds it
    sheet.refresh_from_db()
    assert sheet.state == PrintoutState.READY and sheet.done == 4 and sheet.pages == 1
    status = client.get(f"/labels/{sheet.pk}/status/").json()
    assert status == status | {
        "state": "ready",
        "percent": 100,
        "finished": True,
        "download_url": f"/labels/{sheet.pk}/labels.pdf",
    }
    page = client.get(f"/labels/{sheet.pk}/")
    assert "Refresh" not in page and f"/labels/{sheet.pk}/labels.pdf" in page.content.decode()

    download = client.get(f"/labels/{sheet.pk}/labels.pdf")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "private, no-store"
    path = tmp_path / "labels.pdf"
    path.write_bytes(b"".join(download.streaming_content))

    text = text_of(path)
    assert "Khôi" in text and "Ánh" in text and TITLE in text and SCHOOL_NAME in text and "20/11/2026" in text
    assert "Nguyễn Minh Khôi" not in text  # the given name only
    # Child by child (by given name: Ánh, then Khôi), each code in its own label.
    anh, khoi = [w for w in works if w.child.given_name == "Ánh"], [w for w in works if w.child.given_name == "Khôi"]
    ordered = anh + khoi
    assert codes_on(path, tmp_path, LAYOUTS["99.1x38.1"]) == {n: work_url(w) for n, w in enumerate(ordered)}


def test_a_qr_image_the_work_has_is_used_and_a_replaced_one_is_not(sao_mai, tmp_path):
    world = sao_mai
    ready, replaced = _works(world, count_per_child=1)

    def png_of(url: str) -> ContentFile:
        buffer = io.BytesIO()
        qrcode.make(url, error_correction=qrcode.constants.ERROR_CORRECT_M).save(buffer, format="PNG")
        return ContentFile(buffer.getvalue(), name="qr.png")

    ready.qr_png.save("qr.png", png_of(work_url(ready)), save=False)
    ready.qr_token = ready.token
    ready.save()
    # The label of this one was replaced after its image was made: the image holds the old code.
    old_url = work_url(replaced)
    replaced.qr_png.save("qr.png", png_of(old_url), save=False)
    replaced.qr_token = replaced.token
    replaced.token = "N" * 43
    replaced.save()

    sheet = LabelSheet.objects.create(
        school=world.school,
        classroom=world.classroom,
        layout="70x42.3",
        date_from=DAY,
        date_to=DAY,
        requested_by=world.teacher,
    )
    assert labels.label_sheet_build(sheet_id=sheet.pk) == PrintoutState.READY
    sheet.refresh_from_db()
    path = tmp_path / "sheet.pdf"
    path.write_bytes(default_storage.open(sheet.pdf.name).read())
    codes = codes_on(path, tmp_path, LAYOUTS["70x42.3"])
    assert sorted(codes.values()) == sorted([work_url(ready), work_url(replaced)])
    assert old_url not in codes.values()


def test_a_period_without_works_says_so_and_makes_no_pdf(client, sao_mai):
    world = sao_mai
    _works(world)
    client.force_login(world.teacher)
    response = _ask(client, world, date_from="2026-10-01", date_to="2026-10-31")
    assert response.status_code == 200
    assert "there is nothing to print" in response.content.decode()
    assert not LabelSheet.objects.exists()


def test_works_deleted_before_the_build_leave_an_empty_sheet_without_pdf(client, sao_mai):
    world = sao_mai
    works = _works(world)
    sheet = LabelSheet.objects.create(
        school=world.school,
        classroom=world.classroom,
        layout="70x42.3",
        date_from=DAY,
        date_to=DAY,
        requested_by=world.teacher,
        total=4,
    )
    for work in works:
        work.delete()
    assert labels.label_sheet_build(sheet_id=sheet.pk) == PrintoutState.EMPTY
    sheet.refresh_from_db()
    assert sheet.pdf.name == ""
    client.force_login(world.teacher)
    assert "nothing to print" in client.get(f"/labels/{sheet.pk}/").content.decode()
    assert client.get(f"/labels/{sheet.pk}/labels.pdf")["Location"] == f"/labels/{sheet.pk}/"


@pytest.mark.parametrize(
    "data, field",
    [
        ({"layout": "A5-wrong"}, "layout"),
        ({"date_from": "2026-11-22", "date_to": "2026-11-16"}, "date_to"),
        ({"date_from": "2025-01-01", "date_to": "2026-11-22"}, "date_to"),
        ({"skip": "14"}, "skip"),
        ({"date_from": "20/13/2026"}, "date_from"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_asked(client, sao_mai, data, field):
    _works(sao_mai)
    client.force_login(sao_mai.teacher)
    response = _ask(client, sao_mai, **data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not LabelSheet.objects.exists()


def test_building_twice_keeps_one_pdf(sao_mai):
    world = sao_mai
    _works(world)
    sheet = LabelSheet.objects.create(
        school=world.school,
        classroom=world.classroom,
        layout="70x42.3",
        date_from=DAY,
        date_to=DAY,
        requested_by=world.teacher,
    )
    assert labels.label_sheet_build(sheet_id=sheet.pk) == PrintoutState.READY
    first = LabelSheet.objects.get().pdf.name
    assert labels.label_sheet_build(sheet_id=sheet.pk) == PrintoutState.READY
    # A second run that started before the first finished throws its own PDF away.
    LabelSheet.objects.filter(pk=sheet.pk).update(state=PrintoutState.BUILDING)
    labels.label_sheet_build(sheet_id=sheet.pk)
    assert LabelSheet.objects.get().pdf.name == first
    folder = Path(default_storage.path(first)).parent
    assert [p.name for p in folder.iterdir()] == [Path(first).name]


def test_the_build_runs_on_the_media_queue():
    from coordination.celery import app

    for name in (
        "portfolio.tasks.media_label_sheet_build",
        "portfolio.tasks.media_album_build",
        "portfolio.tasks.media_printouts_expire",
    ):
        assert name in app.tasks
        assert app.amqp.router.route({}, name)["queue"].name == "media"
    assert app.conf.beat_schedule["portfolio-printouts-expire"]["task"] == "portfolio.tasks.media_printouts_expire"


def test_old_sheets_are_deleted_with_their_pdf(sao_mai, settings, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from portfolio.printing.retention import printouts_expire

    world = sao_mai
    _works(world)
    sheet = LabelSheet.objects.create(
        school=world.school,
        classroom=world.classroom,
        layout="70x42.3",
        date_from=DAY,
        date_to=DAY,
        requested_by=world.teacher,
    )
    labels.label_sheet_build(sheet_id=sheet.pk)
    name = LabelSheet.objects.get().pdf.name
    assert printouts_expire()["label_sheets"] == 0
    later = timezone.now() + datetime.timedelta(days=settings.PORTFOLIO_PRINTOUTS_KEEP_DAYS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert printouts_expire(now=later)["label_sheets"] == 1
    assert not LabelSheet.objects.exists()
    assert not default_storage.exists(name)


def test_a_sheet_that_cannot_be_made_says_so_at_once(client, sao_mai, monkeypatch):
    from portfolio import tasks

    world = sao_mai
    _works(world)
    sheet = LabelSheet.objects.create(
        school=world.school,
        classroom=world.classroom,
        layout="70x42.3",
        date_from=DAY,
        date_to=DAY,
        requested_by=world.teacher,
    )

    def broken(*args, **kwargs):
        raise RuntimeError("no font")

    monkeypatch.setattr(labels, "render_label_sheet", broken)
    with pytest.raises(RuntimeError):
        tasks.media_label_sheet_build.delay(sheet.pk)
    sheet.refresh_from_db()
    assert sheet.state == PrintoutState.FAILED and sheet.pdf.name == ""
    client.force_login(world.teacher)
    page = client.get(f"/labels/{sheet.pk}/")
    assert "Refresh" not in page and sheet.failure_reason in page.content.decode()
