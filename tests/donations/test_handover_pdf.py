"""The handover record of goods: a PDF on the school's letterhead, its Vietnamese text readable by pdftotext."""

from __future__ import annotations

import datetime
import subprocess

import pytest
from django.utils import translation
from django.utils.translation import gettext

from donations.handover import handover_pdf
from donations.models import Campaign, CampaignState, Contribution, ContributionKind, Donor, DonorKind, Handover
from tests.conftest import requires_binary


def pdf_text(content: bytes, tmp_path) -> str:
    pdftotext = requires_binary("pdftotext", "apt-get install poppler-utils")
    path = tmp_path / "bien-ban.pdf"
    path.write_bytes(content)
    done = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())


def goods_handover(world, *, language="vi", notes="Máy còn nguyên hộp, bảo hành 24 tháng.") -> Handover:
    campaign = Campaign.objects.create(
        school=world.school,
        title="Bếp ăn cho bé",
        purpose="Trang bị bếp",
        beneficiaries="Các lớp",
        use_plan="Mua lò nướng",
        uses=["equipment"],
        state=CampaignState.OPEN,
    )
    donor = Donor.objects.create(
        school=world.school, kind=DonorKind.BUSINESS, name="Công ty TNHH Điện máy Hồng Phúc", language=language
    )
    contribution = Contribution.objects.create(
        school=world.school,
        campaign=campaign,
        donor=donor,
        kind=ContributionKind.IN_KIND,
        items="Lò nướng điện Sanaky 50 lít",
        quantity=1,
        estimated_value=3_450_000,
        condition="Mới 100%",
    )
    return Handover.objects.create(
        contribution=contribution,
        handed_over_on=datetime.date(2026, 12, 3),
        giver_name="Trần Quốc Hưng",
        receiver_name="Phạm Thị Thu Hằng",
        receiver_title="Hiệu trưởng",
        notes=notes,
    )


def test_the_record_names_the_goods_and_both_sides_in_vietnamese(world, tmp_path):
    world.school.address = "Số 12 đường Lạch Tray, Hải Phòng"
    world.school.save()
    handover = goods_handover(world)
    content = handover_pdf(handover=handover)
    assert content.startswith(b"%PDF")
    text = pdf_text(content, tmp_path)
    with translation.override("vi"):
        for heading in (gettext("HANDOVER RECORD"), gettext("FOR THE GIVER"), gettext("FOR THE RECEIVER")):
            assert heading in text
    for shown in (
        "SAO MAI",  # the letterhead
        "Số 12 đường Lạch Tray, Hải Phòng",
        "03/12/2026",
        "Lò nướng điện Sanaky 50 lít",
        "Mới 100%",
        "3.450.000 đ",
        "Trần Quốc Hưng",
        "Phạm Thị Thu Hằng, Hiệu trưởng",
        "Máy còn nguyên hộp, bảo hành 24 tháng.",
        "Bếp ăn cho bé",
    ):
        assert shown in text, shown
    # Each side's name under its signature line.
    assert text.count("Trần Quốc Hưng") >= 2 and text.count("Phạm Thị Thu Hằng") >= 2


def test_the_record_follows_the_donors_language(world, tmp_path):
    text = pdf_text(handover_pdf(handover=goods_handover(world, language="en")), tmp_path)
    assert "HANDOVER RECORD" in text and "FOR THE RECEIVER" in text
    assert "Lò nướng điện Sanaky 50 lít" in text


def test_long_notes_wrap_onto_a_second_page_without_losing_words(world, tmp_path):
    notes = " ".join(f"ghi-chú-{n}" for n in range(900))
    text = pdf_text(handover_pdf(handover=goods_handover(world, notes=notes)), tmp_path)
    assert "ghi-chú-0" in text and "ghi-chú-899" in text
    assert "Phạm Thị Thu Hằng" in text


@pytest.mark.parametrize("value", [None, 0])
def test_goods_without_an_estimate(world, tmp_path, value):
    handover = goods_handover(world)
    Contribution.objects.filter(pk=handover.contribution_id).update(estimated_value=value, condition="")
    handover.refresh_from_db()
    text = pdf_text(handover_pdf(handover=handover), tmp_path)
    assert ("—" in text) if value is None else ("0 đ" in text)
