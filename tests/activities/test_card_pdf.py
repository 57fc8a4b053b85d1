"""Each activity prints as a one-page card with its instructions and a QR code to its page."""

from __future__ import annotations

import re
import subprocess

import pytest
import qrcode
from django.conf import settings
from PIL import Image

from tests.activities.makers import activity_make, photo_make
from tests.conftest import requires_binary

pytestmark = pytest.mark.django_db

INSTRUCTIONS = (
    "Cùng bé đếm những hạt đậu đỏ và đậu xanh, xếp thành từng nhóm năm hạt.\n"
    "Hỏi bé: nhóm nào nhiều hơn? Nhóm nào ít hơn?"
)


@pytest.fixture
def card(client, world, tmp_path):
    activity = activity_make(
        school=world.school,
        by=world.teacher,
        classrooms=[world.classroom],
        title="Đếm hạt đậu cùng bé",
        instructions=INSTRUCTIONS,
        materials="Một nắm đậu đỏ, đậu xanh và hai chiếc bát",
        domain="cognitive",
        photos=[photo_make(school=world.school, by=world.teacher)],
    )
    client.force_login(world.parent)
    response = client.get(f"/activities/{activity.pk}/card.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    path = tmp_path / "card.pdf"
    path.write_bytes(response.content)
    return activity, path


def test_the_card_is_one_page_with_the_instructions_in_vietnamese(card):
    pdftotext = requires_binary("pdftotext", "apt-get install poppler-utils")
    pdfinfo = requires_binary("pdfinfo", "apt-get install poppler-utils")
    activity, path = card
    info = subprocess.run([pdfinfo, str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    text = subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for expected in ("Đếm hạt đậu cùng bé", "Một nắm đậu đỏ, đậu xanh", "Hỏi bé: nhóm nào nhiều hơn?", "Sao Mai"):
        assert expected in flat, expected
    assert f"{settings.SITE_URL}/activities/{activity.pk}/" in flat


def test_the_qr_code_holds_the_address_of_the_activity(card, tmp_path):
    pdfimages = requires_binary("pdfimages", "apt-get install poppler-utils")
    activity, path = card
    subprocess.run([pdfimages, "-png", str(path), str(tmp_path / "img")], check=True)
    [png] = sorted(tmp_path.glob("img-*.png"))
    image = Image.open(png).convert("1")

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(f"{settings.SITE_URL}/activities/{activity.pk}/")
    code.make(fit=True)
    matrix = code.get_matrix()
    modules = len(matrix) + 4  # with the 2-module quiet zone on each side
    box = image.width / modules
    assert image.width == image.height and box == int(box)
    read = [
        [image.getpixel((int((2 + x + 0.5) * box), int((2 + y + 0.5) * box))) == 0 for x in range(len(matrix))]
        for y in range(len(matrix))
    ]
    assert read == matrix


def test_a_long_text_still_fits_on_one_page(client, world, tmp_path):
    pdfinfo = requires_binary("pdfinfo", "apt-get install poppler-utils")
    activity = activity_make(
        school=world.school, by=world.teacher, classrooms=[world.classroom], instructions="Một bước nữa. " * 900
    )
    client.force_login(world.teacher)
    path = tmp_path / "long.pdf"
    path.write_bytes(client.get(f"/activities/{activity.pk}/card.pdf").content)
    info = subprocess.run([pdfinfo, str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
