"""The published ledger: pages of entries in canonical form, the latest hash, a download of the whole
chain, and the README's few lines of Python that recompute it and catch a changed row."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from donations.models import ContributionKind, LedgerEntry
from tests.donations import makers_public as m

pytestmark = pytest.mark.django_db

LEDGER = "/schools/sao-mai/transparency/ledger"


def readme_check() -> str:
    """The Python block of the README's transparency section, exactly as readers copy it."""
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The transparency board", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def run_check(tmp_path, lines: list[str]) -> subprocess.CompletedProcess:
    (tmp_path / "ledger.jsonl").write_text("".join(lines), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-c", readme_check()], cwd=tmp_path, capture_output=True, text=True, timeout=30
    )


def download(client, suffix: str) -> str:
    response = client.get(LEDGER + suffix)
    assert response.status_code == 200
    assert response.streaming and "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content).decode("utf-8")


def test_the_readme_lines_verify_a_real_download_and_catch_a_changed_row(world, client, tmp_path):
    made = m.board_make(world)
    m.gift_make(made.open, made.named, kind=ContributionKind.IN_KIND, items="Tủ lạnh", estimated_value=6_000_000)
    latest = LedgerEntry.objects.filter(school=world.school).order_by("-seq").first()
    lines = download(client, ".jsonl").splitlines(keepends=True)
    assert len(lines) == latest.seq == 7  # Sao Mai's entries only: Hoa Sen keeps its own chain

    good = run_check(tmp_path, lines)
    assert good.returncode == 0, good.stderr
    assert good.stdout.strip() == f"7 entries, chain intact; latest hash {latest.hash}"

    # A changed amount, its hash left as it was.
    row = json.loads(lines[2])
    row["canonical"] = row["canonical"].replace('"cash":2000000', '"cash":200000')
    assert row["canonical"] != json.loads(lines[2])["canonical"]
    changed = run_check(tmp_path, [*lines[:2], json.dumps(row, ensure_ascii=False) + "\n", *lines[3:]])
    assert changed.returncode != 0 and "entry 3: changed after it was written" in changed.stderr

    # The same row with its hash recomputed: the next entry no longer follows it.
    row["hash"] = hashlib.sha256(row["canonical"].encode("utf-8")).hexdigest()
    rehashed = run_check(tmp_path, [*lines[:2], json.dumps(row, ensure_ascii=False) + "\n", *lines[3:]])
    assert rehashed.returncode != 0 and "entry 4: does not follow" in rehashed.stderr

    # A row taken out.
    removed = run_check(tmp_path, [*lines[:2], *lines[3:]])
    assert removed.returncode != 0 and "entry 3: missing or out of order" in removed.stderr


def test_the_csv_download_holds_seq_canonical_and_hash(world, client):
    m.board_make(world)
    rows = list(csv.reader(io.StringIO(download(client, ".csv"))))
    assert rows[0] == ["seq", "canonical", "hash"]
    stored = list(
        LedgerEntry.objects.filter(school=world.school).order_by("seq").values_list("seq", "canonical", "hash")
    )
    assert [(int(seq), text, digest) for seq, text, digest in rows[1:]] == stored
    for _seq, text, digest in rows[1:]:
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == digest


def test_the_ledger_page_shows_canonical_entries_and_the_latest_hash_first(world, client):
    campaign = m.campaign_make(world.school)
    donor = m.donor_make(world.school)
    for amount in range(1, 56):
        m.gift_make(campaign, donor, amount=amount * 1000)
    latest = LedgerEntry.objects.filter(school=world.school).order_by("-seq").first()
    first = html.unescape(client.get(LEDGER + "/").content.decode())
    assert first.count(latest.hash) == 2  # prominent, and in the table
    assert first.index(latest.hash) < first.index("<table")
    assert '"cash":55000' in first and '"seq":6,' in first and '"seq":5,' not in first
    second = html.unescape(client.get(LEDGER + "/?page=2").content.decode())
    assert '"seq":5,' in second and '"seq":1,' in second and '"seq":6,' not in second
    assert client.get(LEDGER + "/?page=99").status_code == 200


def test_an_empty_ledger_shows_the_starting_hash(world, client):
    html = client.get(LEDGER + "/").content.decode()
    assert "0" * 64 in html
    assert client.get(LEDGER + ".jsonl").status_code == 200


def test_one_campaigns_entries(world, client):
    made = m.board_make(world)
    text = html.unescape(client.get(f"{LEDGER}/?campaign={made.closed.pk}").content.decode())
    assert '"cash":5000000' in text and '"cash":-4000000' in text and '"cash":1200000' not in text
    assert client.get(f"{LEDGER}/?campaign={made.draft.pk}").status_code == 404
    assert client.get(f"{LEDGER}/?campaign={made.foreign.pk}").status_code == 404
    assert client.get(f"{LEDGER}/?campaign=x").status_code == 404
