"""Who may use the donations' public URLs (merged into tests/test_authorization_matrix.py).

The transparency board and its downloads are for everyone, signed in or not. The books are for the
school's managers, the sponsorship team and the parents' board: the matrix seats the other parent on
Sao Mai's board (there is no board persona). Co-signing a settlement is for a board member only:
everyone else signed in is refused (403), as the report itself is public.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.conftest import World
from tests.donations import makers_public as m
from tests.matrix_kit import EVERYONE_200, Entry, expect

BOARD = "/schools/sao-mai/transparency/"
BOOKS = expect(leaders=200, accountant=200, superuser=200, other_parent=200)
NOBODY = expect(anonymous=404, others=404)


def _board(w: World):
    made = m.board_make(w)
    m.board_member_make(w.school, w.other_parent)
    return made


def _evidence(w: World):
    campaign = m.campaign_make(w.school)
    with tempfile.TemporaryDirectory() as folder:
        invoice = m.photo_make(w.school, w.accountant, Path(folder), "hoa-don.jpg")
        private = m.photo_make(w.school, w.accountant, Path(folder), "bien-nhan.jpg")
    spending = m.spending_make(campaign, evidence=[(invoice, False), (private, True)])
    m.board_member_make(w.school, w.other_parent)
    public, personal = spending.evidence.order_by("pk")
    return {"public": public, "personal": personal}


def _campaign(suffix: str = ""):
    return lambda w: f"{BOARD}campaigns/{w.made.open.pk}/{suffix}"


def _closed(suffix: str):
    return lambda w: f"{BOARD}campaigns/{w.made.closed.pk}/{suffix}"


def _cosigned(w: World):
    from donations.models import Settlement

    return Settlement.objects.get(campaign=w.made.closed).cosigned_at


def _evidence_url(which: str, books: bool = False):
    return lambda w: f"{BOARD}{'books/' if books else ''}evidence/{w.made[which].pk}/thumb"


MATRIX: dict[str, Entry | list[Entry]] = {
    "schools/<slug:slug>/transparency/": Entry(BOARD, EVERYONE_200, shows="Lò nướng và dụng cụ nhà bếp", setup=_board),
    "schools/<slug:slug>/transparency/campaigns/<int:pk>/": [
        Entry(_campaign(), EVERYONE_200, shows="Công ty Sữa Bình Minh", setup=_board),
        Entry(lambda w: f"{BOARD}campaigns/{w.made.draft.pk}/", NOBODY, setup=_board),
    ],
    "schools/<slug:slug>/transparency/campaigns/<int:pk>/contributions.csv": Entry(
        _campaign("contributions.csv"), EVERYONE_200, setup=_board
    ),
    "schools/<slug:slug>/transparency/campaigns/<int:pk>/spending.csv": Entry(
        _closed("spending.csv"), EVERYONE_200, setup=_board
    ),
    "schools/<slug:slug>/transparency/campaigns/<int:pk>/settlement/": Entry(
        _closed("settlement/"), EVERYONE_200, shows="Đã mua lò nướng", setup=_board
    ),
    "schools/<slug:slug>/transparency/campaigns/<int:pk>/settlement.pdf": Entry(
        _closed("settlement.pdf"), EVERYONE_200, setup=_board
    ),
    "schools/<slug:slug>/transparency/campaigns/<int:pk>/cosign/": Entry(
        _closed("cosign/"),
        expect(others=403, other_parent="redirect"),
        method="post",
        data=lambda w: {"confirm": "on"},
        effect=_cosigned,
        setup=_board,
    ),
    "schools/<slug:slug>/transparency/evidence/<int:pk>/<slug:variant>": [
        Entry(_evidence_url("public"), EVERYONE_200, setup=_evidence),
        Entry(_evidence_url("personal"), NOBODY, setup=_evidence),
    ],
    "schools/<slug:slug>/transparency/ledger/": Entry(f"{BOARD}ledger/", EVERYONE_200, setup=_board),
    "schools/<slug:slug>/transparency/ledger.jsonl": Entry(f"{BOARD}ledger.jsonl", EVERYONE_200, setup=_board),
    "schools/<slug:slug>/transparency/ledger.csv": Entry(f"{BOARD}ledger.csv", EVERYONE_200, setup=_board),
    "schools/<slug:slug>/transparency/books/": Entry(f"{BOARD}books/", BOOKS, shows="Khay nướng", setup=_board),
    "schools/<slug:slug>/transparency/books/evidence/<int:pk>/<slug:variant>": Entry(
        _evidence_url("personal", books=True), BOOKS, setup=_evidence
    ),
}
ADMIN_MODELS: dict = {}
