"""The settlement report: a public page and a PDF with the figures, the summary, the principal who
prepared it and the parents' board's co-signature, which a board member gives on the page."""

from __future__ import annotations

import pytest

from donations.models import Settlement
from tests.donations import makers_public as m
from tests.donations.test_transparency_anonymity import pdf_text

pytestmark = pytest.mark.django_db


def settlement_url(made, suffix="settlement/") -> str:
    return f"/schools/sao-mai/transparency/campaigns/{made.closed.pk}/{suffix}"


def test_the_report_shows_figures_summary_and_who_prepared_it(world, client):
    made = m.board_make(world)
    html = client.get(settlement_url(made)).content.decode()
    assert "Đã mua lò nướng; số dư chuyển sang năm sau." in html
    assert world.principal.full_name in html
    assert "5.000.000\u00a0₫" in html and "4.000.000\u00a0₫" in html and "1.000.000\u00a0₫" in html
    assert 'action="' + settlement_url(made, "cosign/") not in html  # no form for a visitor
    assert client.get(f"/schools/sao-mai/transparency/campaigns/{made.open.pk}/settlement/").status_code == 404
    assert client.get(f"/schools/sao-mai/transparency/campaigns/{made.open.pk}/settlement.pdf").status_code == 404


def test_the_pdf_writes_vietnamese_that_can_be_extracted(world, client, tmp_path):
    made = m.board_make(world)
    response = client.get(settlement_url(made, "settlement.pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "Trang phục Trung thu" in text
    assert "Đã mua lò nướng; số dư chuyển sang năm sau." in text
    assert "Bếp ăn của trường cần một lò nướng và dụng cụ mới." in text
    assert "5.000.000 ₫" in text.replace("\u00a0", " ") and "1.000.000 ₫" in text.replace("\u00a0", " ")
    assert world.principal.full_name in text


def test_a_board_member_co_signs_and_the_report_then_carries_the_name_and_date(world, client, tmp_path):
    made = m.board_make(world)
    m.board_member_make(world.school, world.other_parent)
    client.force_login(world.other_parent)
    html = client.get(settlement_url(made)).content.decode()
    assert 'action="' + settlement_url(made, "cosign/") + '"' in html

    refused = client.post(settlement_url(made, "cosign/"), {})  # the box not ticked
    assert refused.status_code == 302
    assert Settlement.objects.get(pk=made.settlement.pk).cosigned_at is None

    signed = client.post(settlement_url(made, "cosign/"), {"confirm": "on"})
    assert signed.status_code == 302 and signed["Location"] == settlement_url(made)
    report = Settlement.objects.get(pk=made.settlement.pk)
    assert report.cosigned_by == world.other_parent and report.cosigned_at is not None

    client.logout()
    html = client.get(settlement_url(made)).content.decode()
    assert report.cosigner_name in html and "cosign/" not in html
    text = pdf_text(client.get(settlement_url(made, "settlement.pdf")).content, tmp_path)
    assert report.cosigner_name in " ".join(text.split())


@pytest.mark.parametrize("persona", ["parent", "principal", "accountant", "foreign_parent"])
def test_only_a_board_member_may_co_sign(world, client, persona):
    made = m.board_make(world)
    m.board_member_make(world.school, world.other_parent)
    client.force_login(getattr(world, persona))
    assert "cosign/" not in client.get(settlement_url(made)).content.decode()
    assert client.post(settlement_url(made, "cosign/"), {"confirm": "on"}).status_code == 403
    assert Settlement.objects.get(pk=made.settlement.pk).cosigned_at is None


def test_a_visitor_is_sent_to_sign_in_to_co_sign(world, client):
    made = m.board_make(world)
    response = client.post(settlement_url(made, "cosign/"), {"confirm": "on"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
