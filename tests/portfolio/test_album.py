"""A child's album: a guardian asks, a worker builds a PDF and a ZIP that opens offline, the guardian is
told. Consent decides the photos and voice notes; the family keeps it for a while after the child
leaves, and loses it after."""

from __future__ import annotations

import datetime
import html.parser
import io
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.utils import translation

from mediafiles.models import MediaFile
from notifications.models import Notice
from portfolio.models import Album, AlbumScope, PrintoutState, Work
from portfolio.printing import albums
from portfolio.printing.retention import printouts_expire
from tests import factories as f
from tests.conftest import requires_binary
from tests.portfolio.printing_makers import SCHOOL_NAME, work_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    """The pages' new messages are asserted in English (their Vietnamese comes with the catalogue)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


TITLE = "Vườn ươm của những bạn nhỏ"
NOTE = "Khôi tự chọn màu và kể cho cả lớp nghe về khu vườn."


@pytest.fixture
def sao_mai(world):
    world.school.name = SCHOOL_NAME
    world.school.save(update_fields=["name"])
    return world


def consent(world, child, guardian, purpose: str, granted: bool = True):
    return f.ConsentFactory(child=child, guardian=guardian, purpose=purpose, granted=granted)


def khoi_works(world, *, voice: bool = True) -> list[Work]:
    return [
        work_make(child=world.child, by=world.teacher, title=TITLE, teacher_note=NOTE, photos=2, voice=voice),
        work_make(
            child=world.child,
            by=world.teacher,
            title="Con thuyền giấy",
            domain="cognitive",
            made_on=datetime.date(2026, 10, 5),
            photos=1,
        ),
    ]


def ask_and_build(client, world, child, *, scope: str = "year", capture) -> Album:
    with capture(execute=True):
        response = client.post(f"/children/{child.pk}/albums/", {"scope": scope})
    album = Album.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/albums/{album.pk}/"
    album.refresh_from_db()
    return album


def pdf_text(content: bytes, tmp_path: Path) -> str:
    pdftotext = requires_binary("pdftotext", "apt-get install poppler-utils")
    path = tmp_path / "album.pdf"
    path.write_bytes(content)
    return " ".join(
        subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )


def pdf_images(content: bytes, tmp_path: Path) -> int:
    pdfimages = requires_binary("pdfimages", "apt-get install poppler-utils")
    path = tmp_path / "count.pdf"
    path.write_bytes(content)
    listing = subprocess.run([pdfimages, "-list", str(path)], capture_output=True, text=True, check=True).stdout
    return len(listing.splitlines()) - 2


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.images: list[dict] = []
        self.lang = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang", "")
        if tag == "img":
            self.images.append(attrs)
        for name in ("href", "src"):
            if attrs.get(name):
                self.links.append(attrs[name])


def download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment;")
    return b"".join(response.streaming_content)


def test_the_guardian_gets_the_album_with_photos_notes_and_voice(
    client, sao_mai, tmp_path, django_capture_on_commit_callbacks
):
    world = sao_mai
    works = khoi_works(world)
    consent(world, world.child, world.parent, "portfolio_photos")
    consent(world, world.child, world.parent, "voice_recordings")
    client.force_login(world.parent)
    album = ask_and_build(client, world, world.child, capture=django_capture_on_commit_callbacks)
    assert album.state == PrintoutState.READY and album.with_photos and album.with_voice
    assert album.period_name == "2026–2027" and album.total == 2

    # The guardian is told, naming the child by the given name only.
    notice = Notice.objects.get(recipient=world.parent, category="works")
    assert "Khôi" in notice.title and "Nguyễn Minh Khôi" not in notice.title + notice.body
    assert notice.url == f"/albums/{album.pk}/"

    page = client.get(f"/albums/{album.pk}/").content.decode()
    assert f"/albums/{album.pk}/album.pdf" in page and f"/albums/{album.pk}/album.zip" in page

    text = pdf_text(download(client, f"/albums/{album.pk}/album.pdf"), tmp_path)
    for expected in ("Nguyễn Minh Khôi", SCHOOL_NAME, TITLE, NOTE, "Con thuyền giấy", "20/11/2026", "05/10/2026"):
        assert expected in text, expected
    archive = zipfile.ZipFile(io.BytesIO(download(client, f"/albums/{album.pk}/album.zip")))
    names = archive.namelist()
    [index] = [n for n in names if n.endswith("/index.html")]
    folder = index.rsplit("/", 1)[0]
    page = archive.read(index).decode("utf-8")
    assert '<meta charset="utf-8">' in page and TITLE in page and NOTE in page
    parser = Links()
    parser.feed(page)
    assert parser.lang in ("vi", "en")
    # Every link and image opens a file inside the ZIP: relative, nothing from the network.
    for link in parser.links:
        assert "://" not in link and not link.startswith("/"), link
        assert f"{folder}/{unquote(link)}" in names, link
    assert parser.images and all(image.get("alt") for image in parser.images)
    # The files are the family's copies, byte for byte.
    photos = [p.media for w in works for p in w.photos.all()]
    voice = works[0].voice
    members = {n: archive.read(n) for n in names if not n.endswith((".html", ".css"))}
    assert len(members) == len(photos) + 1
    stored = [default_storage.open(m.rendition.name).read() for m in [*photos, voice]]
    assert sorted(members.values()) == sorted(stored)
    assert any(n.endswith("/voice.m4a") for n in members)


def test_without_consent_there_are_no_photos_and_no_voice_notes(
    client, sao_mai, tmp_path, django_capture_on_commit_callbacks
):
    world = sao_mai
    khoi_works(world)
    consent(world, world.child, world.parent, "portfolio_photos", granted=False)
    client.force_login(world.parent)
    album = ask_and_build(client, world, world.child, capture=django_capture_on_commit_callbacks)
    assert album.state == PrintoutState.READY and not album.with_photos and not album.with_voice
    content = download(client, f"/albums/{album.pk}/album.pdf")
    assert pdf_images(content, tmp_path) == 0
    with translation.override("en"):
        text = pdf_text(content, tmp_path)
    assert TITLE in text
    archive = zipfile.ZipFile(io.BytesIO(download(client, f"/albums/{album.pk}/album.zip")))
    assert [n.rsplit("/", 1)[1] for n in archive.namelist()] == ["index.html", "style.css"]


def test_voice_notes_are_named_in_the_pdf_and_only_the_photos_follow_their_consent(
    client, sao_mai, tmp_path, django_capture_on_commit_callbacks
):
    world = sao_mai
    world.parent.language = "en"
    world.parent.save(update_fields=["language"])
    khoi_works(world)
    consent(world, world.child, world.parent, "portfolio_photos")
    client.force_login(world.parent)
    album = ask_and_build(client, world, world.child, capture=django_capture_on_commit_callbacks)
    content = download(client, f"/albums/{album.pk}/album.pdf")
    assert pdf_images(content, tmp_path) == 3
    text = pdf_text(content, tmp_path)
    assert "Voice notes are not included: the consent to voice recordings is not given." in text
    assert "Khôi tells about this work in a voice note (in the portal)." in text
    archive = zipfile.ZipFile(io.BytesIO(download(client, f"/albums/{album.pk}/album.zip")))
    assert not [n for n in archive.namelist() if n.endswith(".m4a")]
    assert len([n for n in archive.namelist() if n.endswith(".jpg")]) == 3


def test_withdrawing_a_consent_withdraws_the_album(client, sao_mai, django_capture_on_commit_callbacks):
    world = sao_mai
    khoi_works(world, voice=False)
    consent(world, world.child, world.parent, "portfolio_photos")
    client.force_login(world.parent)
    album = ask_and_build(client, world, world.child, capture=django_capture_on_commit_callbacks)
    consent(world, world.child, world.parent, "portfolio_photos", granted=False)
    assert client.get(f"/albums/{album.pk}/album.zip")["Location"] == f"/albums/{album.pk}/"
    assert "no longer handed out" in client.get(f"/albums/{album.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert printouts_expire()["albums"] == 1
    assert not Album.objects.exists()
    assert not default_storage.exists(album.archive.name)


def test_asking_twice_makes_one_album_and_an_empty_period_none(client, sao_mai, django_capture_on_commit_callbacks):
    world = sao_mai
    client.force_login(world.parent)
    response = client.post(f"/children/{world.child.pk}/albums/", {"scope": "all"})
    assert response.status_code == 200 and "nothing to put in an album" in response.content.decode()
    assert not Album.objects.exists()

    khoi_works(world, voice=False)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(f"/children/{world.child.pk}/albums/", {"scope": "all"})
        client.post(f"/children/{world.child.pk}/albums/", {"scope": "all"})
    assert Album.objects.count() == 1 and len(queued) == 1
    response = client.post(f"/children/{world.child.pk}/albums/", {"scope": "whatever"})
    assert response.status_code == 200 and response.context["form"].errors["scope"]
    assert Album.objects.count() == 1


def test_building_twice_keeps_one_album_and_one_notice(sao_mai):
    world = sao_mai
    khoi_works(world, voice=False)
    album = Album.objects.create(
        school=world.school, child=world.child, scope=AlbumScope.ALL, requested_by=world.parent
    )
    assert albums.album_build(album_id=album.pk) == PrintoutState.READY
    first = Album.objects.get()
    Album.objects.filter(pk=album.pk).update(state=PrintoutState.BUILDING)
    albums.album_build(album_id=album.pk)
    again = Album.objects.get()
    assert (again.pdf.name, again.archive.name) == (first.pdf.name, first.archive.name)
    assert sorted(p.name for p in Path(default_storage.path(first.pdf.name)).parent.iterdir()) == sorted(
        Path(n).name for n in (first.pdf.name, first.archive.name)
    )
    assert Notice.objects.filter(recipient=world.parent, category="works").count() == 1


def test_the_former_guardian_keeps_the_album_for_the_school_s_period_and_not_after(
    client, sao_mai, django_capture_on_commit_callbacks
):
    world = sao_mai  # Huy left Sao Mai on 29/05/2026; the school keeps portfolios 12 months
    f.SchoolYearFactory(
        school=world.school,
        name="2025–2026",
        starts_on=datetime.date(2025, 9, 1),
        ends_on=datetime.date(2026, 5, 31),
        is_current=False,
    )
    work_make(child=world.left_child, by=world.teacher, classroom=world.classroom, made_on=datetime.date(2026, 3, 2))
    with time_machine.travel(datetime.datetime(2027, 5, 29, 12, tzinfo=datetime.UTC), tick=False):
        client.force_login(world.former_parent)
        page = client.get(f"/children/{world.left_child.pk}/albums/")
        assert page.status_code == 200 and "29/05/2027" in page.content.decode()
        album = ask_and_build(client, world, world.left_child, capture=django_capture_on_commit_callbacks)
        # The year he left in.
        assert album.state == PrintoutState.READY and album.period_name == "2025–2026"
        assert client.get(f"/albums/{album.pk}/album.pdf").status_code == 200
    with time_machine.travel(datetime.datetime(2027, 5, 31, 12, tzinfo=datetime.UTC), tick=False):
        client.force_login(world.former_parent)
        for url in (
            f"/children/{world.left_child.pk}/albums/",
            f"/albums/{album.pk}/",
            f"/albums/{album.pk}/album.pdf",
        ):
            assert client.get(url).status_code == 404, url
        with django_capture_on_commit_callbacks(execute=True):
            assert printouts_expire()["albums"] == 1
    world.school.portfolio_access_months = 3
    world.school.save(update_fields=["portfolio_access_months"])
    assert client.get(f"/children/{world.left_child.pk}/albums/").status_code == 404


def test_a_family_viewer_neither_asks_for_nor_downloads_albums(client, sao_mai):
    world = sao_mai
    khoi_works(world, voice=False)
    album = Album.objects.create(
        school=world.school, child=world.child, scope=AlbumScope.ALL, requested_by=world.parent
    )
    albums.album_build(album_id=album.pk)
    client.force_login(world.family_viewer)
    assert client.get(f"/children/{world.child.pk}/albums/").status_code == 404
    assert client.post(f"/children/{world.child.pk}/albums/", {"scope": "all"}).status_code == 404
    assert client.get(f"/albums/{album.pk}/album.zip").status_code == 404
    assert Album.objects.count() == 1


def test_approved_answers_come_from_the_apps_that_offer_them(sao_mai, monkeypatch, tmp_path):
    """An app's portfolio_entries module adds its entries (home-activity answers) after the works."""
    import sys
    import types

    world = sao_mai
    khoi_works(world, voice=False)
    consent(world, world.child, world.parent, "portfolio_photos")
    photo = MediaFile.objects.filter(kind="image").first()
    module = types.ModuleType("activities.portfolio_entries")
    module.entries_for_child = lambda *, child, start, end: [
        {
            "title": "Gấp thuyền giấy cùng bố",
            "date": datetime.date(2026, 11, 2),
            "text": "Bé rất thích!",
            "media": [photo],
        }
    ]
    monkeypatch.setitem(sys.modules, "activities.portfolio_entries", module)
    album = Album.objects.create(
        school=world.school, child=world.child, scope=AlbumScope.ALL, requested_by=world.parent
    )
    assert albums.album_build(album_id=album.pk) == PrintoutState.READY
    album.refresh_from_db()
    text = pdf_text(default_storage.open(album.pdf.name).read(), tmp_path)
    assert "Gấp thuyền giấy cùng bố" in text and "Bé rất thích!" in text
    archive = zipfile.ZipFile(default_storage.open(album.archive.name))
    assert any("/home-activities/" in n for n in archive.namelist())


def test_the_demo_has_a_label_sheet_for_la_1_and_an_album_for_khoi(db):
    """The step makes nothing without works, and both once the demo's works exist."""
    import random

    from coordination.lib import demo
    from portfolio import demo_printing
    from portfolio.models import LabelSheet
    from schools.models import Child

    steps = {step.name: step for step in demo.steps_in_order()}
    assert demo_printing.STEP in steps
    context = demo.DemoContext(rng=random.Random("test"), log=lambda message: None)
    for name in ("schools", "families"):
        steps[name].run(context)
    demo_printing.seed_printouts(context)
    assert not LabelSheet.objects.exists() and not Album.objects.exists()

    from accounts.models import User

    teacher = User.objects.get(email="teacher@saomai.test")
    khoi = Child.objects.get(school__slug="sao-mai", full_name="Nguyễn Minh Khôi")
    other = khoi.classroom.children.exclude(pk=khoi.pk).first()
    for child in (khoi, other):
        work_make(child=child, by=teacher, title=f"Tranh của {child.given_name}")
    demo_printing.seed_printouts(context)
    demo_printing.seed_printouts(context)
    sheet = LabelSheet.objects.get()
    album = Album.objects.get()
    assert sheet.state == PrintoutState.READY and sheet.total == 2 and sheet.classroom.name == "Lá 1"
    assert (
        album.state == PrintoutState.READY and album.child == khoi and album.requested_by.email == "parent@saomai.test"
    )
