"""Anonymity on the transparency board: an anonymous donor's name, and any donor's e-mail or phone,
never appear in a public page, a CSV, the settlement PDF's text or the ledger's downloads."""

from __future__ import annotations

import subprocess

import pytest

from tests.conftest import requires_binary
from tests.donations import makers_public as m

pytestmark = pytest.mark.django_db

NEVER_SHOWN = (
    m.SECRET_NAME,
    m.SECRET_EMAIL,
    m.SECRET_PHONE,
    "0912000111",
    "Lý Văn Kín",  # shown by the name they chose, "Gia đình bé Na"
    "lienhe@binhminh.test",  # a donor shown by name still keeps their e-mail
)


def pdf_text(data: bytes, tmp_path) -> str:
    pdftotext = requires_binary("pdftotext", "apt-get install poppler-utils")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout


def body(response) -> str:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return data.decode("utf-8", errors="replace")


def test_no_public_page_or_download_names_an_anonymous_donor_or_shows_a_contact(world, client, tmp_path):
    made = m.board_make(world)
    for gift in made.gifts:
        assert gift.donor.reference  # the pseudonymous reference stays outside what is published
    base = "/schools/sao-mai/transparency/"
    urls = [
        base,
        f"{base}ledger/",
        f"{base}ledger.jsonl",
        f"{base}ledger.csv",
        "/schools/sao-mai/",
    ]
    for campaign in (made.open, made.closed):
        urls += [
            f"{base}campaigns/{campaign.pk}/",
            f"{base}campaigns/{campaign.pk}/contributions.csv",
            f"{base}campaigns/{campaign.pk}/spending.csv",
        ]
    urls.append(f"{base}campaigns/{made.closed.pk}/settlement/")
    shown = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        shown.append((url, body(response)))
    pdf = client.get(f"{base}campaigns/{made.closed.pk}/settlement.pdf")
    shown.append(("pdf", pdf_text(pdf.content, tmp_path)))
    for url, text in shown:
        for secret in NEVER_SHOWN:
            assert secret not in text, f"{url} shows {secret!r}"
        for gift in made.gifts:
            assert gift.donor.reference not in text, f"{url} shows a donor's ledger reference"
    everything = "".join(text for _url, text in shown)
    assert "Gia đình bé Na" in everything and "Công ty Sữa Bình Minh" in everything


def test_a_donor_who_becomes_anonymous_disappears_from_the_board(world, client):
    made = m.board_make(world)
    url = f"/schools/sao-mai/transparency/campaigns/{made.open.pk}/"
    assert "Công ty Sữa Bình Minh" in body(client.get(url))
    made.named.display = "anonymous"
    made.named.save(update_fields=["display"])
    assert "Công ty Sữa Bình Minh" not in body(client.get(url))
    assert "Công ty Sữa Bình Minh" not in body(client.get(url + "contributions.csv"))
