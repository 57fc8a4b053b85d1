"""The "ready for school" summary: a guardian chooses works, downloads a short PDF and hands it to the
primary school. It names the child, shows the chosen works by domain with photos and notes, and the
portal sends it nowhere."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.core import mail

from notifications.models import Notice
from tests import factories as f
from tests.conftest import requires_binary
from tests.portfolio.printing_makers import SCHOOL_NAME, work_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    """The pages' new messages are asserted in English (their Vietnamese comes with the catalogue)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


TITLE = "Vườn ươm của những bạn nhỏ"
NOTE = "Bé đếm được những hạt giống và giữ gìn chậu cây rất cẩn thận."


@pytest.fixture
def works(world):
    world.school.name = SCHOOL_NAME
    world.school.save(update_fields=["name"])
    return {
        "garden": work_make(
            child=world.child, by=world.teacher, title=TITLE, teacher_note=NOTE, domain="cognitive", photos=2
        ),
        "boat": work_make(child=world.child, by=world.teacher, title="Con thuyền giấy", domain="physical", photos=1),
        "left_out": work_make(child=world.child, by=world.teacher, title="Bức tranh không chọn", domain="aesthetic"),
        "other_child": work_make(child=world.other_class_child, by=world.other_teacher, title="Tranh của Linh"),
    }


def read(content: bytes, tmp_path: Path, tool: str, *args) -> str:
    program = requires_binary(tool, "apt-get install poppler-utils")
    path = tmp_path / "summary.pdf"
    path.write_bytes(content)
    out = ["-"] if tool == "pdftotext" else []
    return subprocess.run([program, *args, str(path), *out], capture_output=True, text=True, check=True).stdout


def summary_of(client, world, *works):
    query = "&".join(f"work={w.pk}" for w in works)
    return client.get(f"/children/{world.child.pk}/ready-for-school.pdf?{query}")


def test_the_summary_names_the_child_and_shows_the_chosen_works_by_domain(client, world, works, tmp_path):
    f.ConsentFactory(child=world.child, guardian=world.parent, purpose="portfolio_photos")
    client.force_login(world.parent)
    page = client.get(f"/children/{world.child.pk}/ready-for-school/").content.decode()
    assert TITLE in page and "Bức tranh không chọn" in page and "Tranh của Linh" not in page

    response = summary_of(client, world, works["boat"], works["garden"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    text = " ".join(read(response.content, tmp_path, "pdftotext").split())
    for expected in ("Khôi", "Nguyễn Minh Khôi", SCHOOL_NAME, TITLE, NOTE, "Con thuyền giấy", "20/11/2026"):
        assert expected in text, expected
    assert "Bức tranh không chọn" not in text and "Tranh của Linh" not in text
    # By domain, in the programme's order: physical before cognitive.
    assert text.index("Con thuyền giấy") < text.index(TITLE)
    images = read(response.content, tmp_path, "pdfimages", "-list").splitlines()[2:]
    assert len(images) == 3
    # Made for the family, sent to nobody.
    assert mail.outbox == [] and not Notice.objects.exists()


def test_without_the_photo_consent_the_summary_has_no_photo(client, world, works, tmp_path):
    client.force_login(world.parent)
    response = summary_of(client, world, works["garden"])
    assert response.status_code == 200
    assert read(response.content, tmp_path, "pdfimages", "-list").splitlines()[2:] == []
    assert TITLE in " ".join(read(response.content, tmp_path, "pdftotext").split())


@pytest.mark.parametrize(
    "query, message",
    [
        ("", "Choose at least one work"),
        ("work=abc", "Choose works of this child only"),
        ("other", "Choose works of this child only"),
        ("many", "Choose at most 12 works"),
    ],
)
def test_a_wrong_choice_is_refused_with_a_message(client, world, works, query, message):
    if query == "other":
        query = f"work={works['garden'].pk}&work={works['other_child'].pk}"
    elif query == "many":
        more = [work_make(child=world.child, by=world.teacher, title=f"Tranh {n}") for n in range(12)]
        query = "&".join(f"work={w.pk}" for w in [works["garden"], *more])
    client.force_login(world.parent)
    response = client.get(f"/children/{world.child.pk}/ready-for-school.pdf?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()


def test_only_the_guardians_make_it(client, world, works):
    url = f"/children/{world.child.pk}/ready-for-school.pdf?work={works['garden'].pk}"
    for person in (world.family_viewer, world.teacher, world.principal, world.other_parent):
        client.force_login(person)
        assert client.get(url).status_code == 404
