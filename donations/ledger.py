"""The school's append-only ledger, chained by SHA-256 so that anyone can check it was not rewritten.

Each entry's canonical content is a compact JSON object with sorted keys, which holds the previous
entry's hash under "prev"; the entry's hash is the SHA-256 of that text in UTF-8. The canonical
content names no person: a donor is kept beside it as a random reference, outside the hash, so a
donor who later becomes anonymous or is erased leaves the chain valid. The transparency board
publishes exactly these texts and hashes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from donations.models import EntryKind, LedgerEntry

GENESIS = "0" * 64
VERSION = 1
_LOCK_NAMESPACE = 11_0001  # advisory-lock namespace of the ledgers (one lock per school)


def canonical(content: dict) -> str:
    """The exact text that is hashed and published."""
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _lock(school_id: int) -> None:
    """One writer per school's ledger at a time (SQLite serialises writes by itself)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, school_id])


@transaction.atomic
def ledger_append(
    *,
    school,
    kind: str,
    campaign,
    by=None,
    amount: int = 0,
    value_in_kind: int = 0,
    contribution=None,
    spending=None,
    reverses: LedgerEntry | None = None,
    details: dict | None = None,
    on=None,
) -> LedgerEntry:
    """Add one entry at the end of the school's chain."""
    _lock(school.pk)
    last = LedgerEntry.objects.filter(school=school).order_by("-seq").values("seq", "hash").first()
    seq = last["seq"] + 1 if last else 1
    prev = last["hash"] if last else GENESIS
    now = timezone.now()
    content = {
        "v": VERSION,
        "school": school.slug,
        "seq": seq,
        "kind": kind,
        "campaign": campaign.pk,
        "date": (on or timezone.localdate(now)).isoformat(),
        "cash": amount,
        "goods": value_in_kind,
        "reverses": reverses.seq if reverses else None,
        "prev": prev,
        **(details or {}),
    }
    text = canonical(content)
    return LedgerEntry.objects.create(
        school=school,
        seq=seq,
        kind=kind,
        campaign=campaign,
        contribution=contribution,
        spending=spending,
        reverses=reverses,
        amount=amount,
        value_in_kind=value_in_kind,
        donor_reference=contribution.donor.reference if contribution is not None else "",
        canonical=text,
        prev_hash=prev,
        hash=digest(text),
        recorded_at=now,
        recorded_by=by,
    )


@dataclass(frozen=True)
class Problem:
    seq: int
    reason: str


def check_chain(rows: Iterable[tuple]) -> tuple[int, Problem | None]:
    """Check rows in order; return how many were read and the first problem.

    A row is (seq, canonical, prev_hash, hash), optionally followed by the stored columns
    (kind, cash, goods, campaign id), which must say what the canonical content says.
    """
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    for row in rows:
        seq, text, prev_hash, stored_hash = row[:4]
        count += 1
        if seq != expected_seq:
            return count, Problem(seq, f"entry number {seq} where {expected_seq} was expected")
        try:
            content = json.loads(text)
        except ValueError:
            return count, Problem(seq, "its canonical content is not JSON")
        if content.get("seq") != seq:
            return count, Problem(seq, "its canonical content names another number")
        if content.get("prev") != expected_prev or prev_hash != expected_prev:
            return count, Problem(seq, "it does not follow the previous entry's hash")
        if digest(text) != stored_hash:
            return count, Problem(seq, "its content does not match its hash")
        if len(row) > 4 and tuple(row[4:8]) != (
            content.get("kind"),
            content.get("cash"),
            content.get("goods"),
            content.get("campaign"),
        ):
            return count, Problem(seq, "its stored figures differ from its hashed content")
        expected_prev = stored_hash
        expected_seq += 1
    return count, None


@dataclass(frozen=True)
class Verification:
    school: str
    entries: int
    problem: Problem | None
    latest_hash: str

    @property
    def ok(self) -> bool:
        return self.problem is None


def _rows(school_id: int, batch: int = 5000) -> Iterator[tuple]:
    """The school's entries in order, read in keyset batches (bounded memory at millions of rows)."""
    after = 0
    while True:
        chunk = list(
            LedgerEntry.objects.filter(school_id=school_id, seq__gt=after)
            .order_by("seq")
            .values_list("seq", "canonical", "prev_hash", "hash", "kind", "amount", "value_in_kind", "campaign_id")[
                :batch
            ]
        )
        if not chunk:
            return
        yield from chunk
        after = chunk[-1][0]


def ledger_verify(*, school) -> Verification:
    """Check a school's whole chain, naming the first broken entry."""
    latest = {"hash": GENESIS}

    def remember(rows):
        for row in rows:
            latest["hash"] = row[3]
            yield row

    count, problem = check_chain(remember(_rows(school.pk)))
    return Verification(school=school.slug, entries=count, problem=problem, latest_hash=latest["hash"])


def latest_hash(*, school) -> str:
    last = LedgerEntry.objects.filter(school=school).order_by("-seq").values_list("hash", flat=True).first()
    return last or GENESIS


__all__ = [
    "GENESIS",
    "EntryKind",
    "canonical",
    "check_chain",
    "digest",
    "latest_hash",
    "ledger_append",
    "ledger_verify",
]
