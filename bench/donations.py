"""Donations benchmark: the ledger check over 1,000,000 entries against a bare SHA-256 loop, the public
transparency board against /healthz, and the admin's contributions list against the admin's index.

Run from the repository root with the project's Python:

    .venv/bin/python bench/donations.py [--fresh] [--schools 100] [--contributions 1000000]
        [--parts ledger,board,admin] [--db postgres://postgres@127.0.0.1:5432/coord_bench_don]

1. The data. The database named by --db (loopback only; --fresh drops and makes it again, so its name
   must contain "bench"); `seed_scale` makes --schools scale schools (small: --children-per-school 30,
   2 activities a class: the donations do not read them). Then each school gets four campaigns (one
   settled in 2025 with its co-signed settlement, one closed, one open, one published for comment),
   three wish-list items each, 300 donors (half anonymous, whose real names carry a marker that no
   public page may show, and every one with an e-mail and a phone), approved spending, and its share
   of --contributions received contributions (cash, goods and work; cash with gapless receipt numbers
   per school and year), each with its ledger entry, in order of receipt, chained with
   `donations.ledger.canonical` and `digest` exactly as `ledger_append` chains them. Rows go in with
   COPY, a few schools per transaction. A reused database keeps what it holds (only schools without
   campaigns are filled).
2. Ledger check: `manage.py verify_ledger` (in this process, every school's chain) against a bare loop
   of `hashlib.sha256(...).hexdigest()` over the same canonical bytes, read once into memory. They take
   turns, --verify-rounds times; medians compared. --profile prints where verify_ledger's time goes.
3. The board: gunicorn as `bench/run_http.py` starts it (production settings, 2 sync workers), then
   `/healthz`, the board `/schools/scale-00001/transparency/`, the board's page of the sample school's
   open campaign (`.../transparency/campaigns/<pk>/`) and its ledger page (`.../transparency/ledger/`)
   take turns, round after round, with the same connections; each page's req/s against the `/healthz`
   round just before it. Target: at least 0.25. Every response must be 200 and show the school's name
   (and the board and ledger pages the latest hash, the campaign page its title); the in-process render
   must show no donor's e-mail or phone and no anonymous donor's real name.
4. The admin, in the same server run: the admin's index and the contributions list filtered by state,
   kind, campaign and month, as the principal of scale-00001. Target: the list's time per request at
   most 3 times the index's (index req/s over list req/s, per round).

A page that the portal does not have yet (404) is reported as pending, not measured. The script
prints Markdown tables and writes the figures as JSON to bench/results/donations-<time>.json.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import hashlib
import io
import json
import os
import pstats
import random
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import run_http as http  # noqa: E402
from bench import scale  # noqa: E402
from bench.loadgen import LOOPBACK  # noqa: E402

RESULTS_DIR = ROOT / "bench" / "results"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/coord_bench_don"
BOARD_TARGET = 0.25
ADMIN_TARGET = 3.0
DONORS_PER_SCHOOL = 300
SCHOOLS_PER_TRANSACTION = 5
# The real name of a donor who chose not to be named carries this marker: no public page may show it.
HIDDEN_MARK = "KIN"
DONOR_EMAIL_DOMAIN = "donor.scale.test"
AMOUNTS = [50_000, 100_000, 200_000, 300_000, 500_000, 1_000_000, 2_000_000, 5_000_000]
FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
GIVEN_NAMES = ["Minh Anh", "Thu Hà", "Quốc Bảo", "Ngọc Lan", "Hoài Nam", "Thanh Tâm", "Gia Huy", "Bảo Ngọc"]
BUSINESSES = ["Công ty TNHH Bánh Mì Vàng", "Nhà sách Hoa Sen", "Cửa hàng Điện máy Sao Việt", "Hợp tác xã Rau Sạch"]
ORGANISATIONS = ["Hội Phụ nữ phường", "Đoàn Thanh niên phường", "Câu lạc bộ Hưu trí", "Hội Khuyến học"]
WORK = ["Dựng sân khấu lễ hội", "Sơn lại hàng rào", "Trang trí lớp học", "Làm vườn rau cho bé"]
TZ = "+07"

# The four campaigns of every school: (key, state, title, first and last day of receipts, share of gifts).
CAMPAIGNS = [
    ("settled", "settled", "Sân chơi vận động ngoài trời", datetime.date(2025, 9, 3), datetime.date(2025, 12, 20), 0.3),
    ("closed", "closed", "Thư viện sách tranh cho các lớp", datetime.date(2026, 1, 5), datetime.date(2026, 6, 30), 0.3),
    ("open", "open", "Lò nướng và dụng cụ nhà bếp", datetime.date(2026, 9, 7), datetime.date(2026, 11, 30), 0.4),
    ("comment", "comment", "Trang phục biểu diễn văn nghệ", None, None, 0.0),
]
WISHES = [("Lò nướng", 2, True), ("Bộ dao thớt inox", 10, True), ("Bộ trang phục biểu diễn", 40, False)]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=DEFAULT_DB, help=f"PostgreSQL database on the loopback ({DEFAULT_DB}).")
    parser.add_argument("--fresh", action="store_true", help="Drop and make the database again first.")
    parser.add_argument("--schools", type=int, default=100, help="Scale schools sharing the contributions (100).")
    parser.add_argument("--contributions", type=int, default=1_000_000, help="Received contributions (1000000).")
    parser.add_argument("--children-per-school", type=int, default=30, help="Passed to seed_scale (30).")
    parser.add_argument("--parts", default="ledger,board,admin", help="What to measure (ledger,board,admin).")
    parser.add_argument("--verify-rounds", type=int, default=3, help="Turns of verify_ledger and the bare loop (3).")
    parser.add_argument("--profile", action="store_true", help="Profile one verify_ledger run with cProfile.")
    parser.add_argument("--concurrency", type=int, default=8, help="Connections per page (8).")
    parser.add_argument("--seconds", type=float, default=20, help="Measuring time per page, over all rounds (20 s).")
    parser.add_argument("--requests", type=int, default=50000, help="Measured requests per page, at most (50000).")
    parser.add_argument("--rounds", type=int, default=5, help="The pages take turns this many times (5).")
    parser.add_argument("--warmup", type=int, default=100, help="Unmeasured requests per page first (100).")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (2).")
    args = parser.parse_args(argv)
    parts = urlparse(args.db)
    if parts.hostname not in LOOPBACK:
        parser.error("--db must point at the loopback interface")
    args.database = parts.path.lstrip("/")
    args.server = parts._replace(path="").geturl()
    if not args.database.replace("_", "").isalnum() or "bench" not in args.database:
        parser.error("--db: its name must be plain and contain 'bench'")
    args.parts = {p.strip() for p in args.parts.split(",") if p.strip()}
    return args


# --- the data ----------------------------------------------------------------------


def _line(row: tuple) -> str:
    """One row in COPY's text format. Only the texts made here go through it: no tab, newline or backslash
    (the canonical JSON of these entries escapes nothing: no quotes or control characters in the data)."""
    return "\t".join("\\N" if value is None else str(value) for value in row) + "\n"


def _copy(table: str, columns: list[str], lines: list[str]) -> None:
    """COPY the lines in. Foreign keys are not checked row by row (session_replication_role = replica, as
    pg_restore does): the rows are made here from the ids just read, and the load takes half the time."""
    from django.db import connection

    buffer = io.StringIO("".join(lines))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
        cursor.execute("SET LOCAL session_replication_role = origin")


def _payment_reference(n: int) -> str:
    """A unique reference per contribution, in the alphabet of `new_payment_reference` (UH + 8 letters)."""
    alphabet = "ACDEFGHJKMNPQRTUVWXY34679"
    letters = []
    for _ in range(8):
        n, digit = divmod(n, len(alphabet))
        letters.append(alphabet[digit])
    return "UH" + "".join(reversed(letters))


def _day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def seed_donations(*, total: int, schools: int) -> dict:
    """Fill the scale schools that have no campaign yet with their share of `total` contributions."""
    from django.db import connection, transaction

    from donations.ledger import GENESIS, VERSION, canonical, digest
    from donations.models import Campaign, Contribution, LedgerEntry
    from schools.models import School, StaffMembership

    rows = list(School.objects.filter(slug__startswith=scale.SLUG_PREFIX).order_by("pk").values_list("pk", "slug"))
    rows = [(pk, slug) for pk, slug in rows if (scale.school_number(slug) or 0) <= schools]
    if len(rows) < schools:
        raise SystemExit(f"only {len(rows)} scale schools; seed_scale should have made {schools}")
    done = set(Campaign.objects.filter(school_id__in=[pk for pk, _ in rows]).values_list("school_id", flat=True))
    todo = [(pk, slug) for pk, slug in rows if pk not in done]
    if not todo:
        return {"seconds": 0.0, "schools": 0}
    share, extra = divmod(total, schools)
    staff = {}
    for school_id, role, user_id in StaffMembership.objects.filter(
        school_id__in=[pk for pk, _ in todo], role__in=["principal", "accountant"]
    ).values_list("school_id", "role", "user_id"):
        staff[(school_id, role)] = user_id
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM donations_contribution")
        next_id = cursor.fetchone()[0] + 1
    started = time.monotonic()
    for start in range(0, len(todo), SCHOOLS_PER_TRANSACTION):
        part = todo[start : start + SCHOOLS_PER_TRANSACTION]
        contributions, entries = [], []
        with transaction.atomic():
            for school_id, slug in part:
                number = scale.school_number(slug)
                count = share + (1 if number <= extra else 0)
                next_id = _school(
                    school_id=school_id,
                    slug=slug,
                    number=number,
                    count=count,
                    principal=staff[(school_id, "principal")],
                    accountant=staff[(school_id, "accountant")],
                    next_id=next_id,
                    contributions=contributions,
                    entries=entries,
                    helpers=(GENESIS, VERSION, canonical, digest),
                )
            _copy(Contribution._meta.db_table, CONTRIBUTION_COLUMNS, contributions)
            _copy(LedgerEntry._meta.db_table, LEDGER_COLUMNS, entries)
        print(
            f"  {start + len(part)}/{len(todo)} schools, {len(contributions)} contributions in the last "
            f"{len(part)}, {time.monotonic() - started:.0f} s",
            flush=True,
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('donations_contribution', 'id'), "
            "(SELECT max(id) FROM donations_contribution))"
        )
    return {"seconds": round(time.monotonic() - started, 1), "schools": len(todo)}


CONTRIBUTION_COLUMNS = [
    "id",
    "school_id",
    "campaign_id",
    "donor_id",
    "kind",
    "state",
    "amount",
    "wish_id",
    "items",
    "quantity",
    "estimated_value",
    "condition",
    "hours",
    "work_description",
    "note",
    "payment_reference",
    "bank_reference",
    "receipt_year",
    "receipt_number",
    "pledged_at",
    "received_on",
    "received_at",
    "received_by_id",
    "end_reason",
    "created_by_id",
]
LEDGER_COLUMNS = [
    "school_id",
    "seq",
    "kind",
    "campaign_id",
    "contribution_id",
    "spending_id",
    "amount",
    "value_in_kind",
    "donor_reference",
    "canonical",
    "prev_hash",
    "hash",
    "recorded_at",
    "recorded_by_id",
]


def _school(*, school_id, slug, number, count, principal, accountant, next_id, contributions, entries, helpers) -> int:
    """One school's campaigns, donors, spending and `count` received contributions with their ledger.

    The ORM makes the few rows of the school (campaigns, wishes, donors, spending, the settlement);
    the contributions and ledger entries are appended to the lists for COPY. Returns the next free id.
    """
    from django.utils import timezone

    from donations.models import (
        ALLOWED_USES,
        Campaign,
        Donor,
        ReceiptCounter,
        Settlement,
        Spending,
        WishItem,
    )

    genesis, version, canonical, digest = helpers
    rng = random.Random(scale.SEED * 100_003 + number)
    now = timezone.now()

    def moment(day: datetime.date, hour: int = 9) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_default_timezone())

    campaigns = {}
    for key, state, title, first, last, _share in CAMPAIGNS:
        opened = moment(first) if first else None
        campaigns[key] = Campaign(
            school_id=school_id,
            title=title,
            purpose=f"{title}: để các bé vui chơi và học tập tốt hơn.",
            beneficiaries="Tất cả các lớp của trường.",
            use_plan="Mua sắm theo danh sách mong muốn; báo cáo công khai từng khoản chi.",
            uses=sorted(str(use) for use in ALLOWED_USES),
            target_amount=rng.choice([30_000_000, 50_000_000, 80_000_000]),
            state=state,
            collect_from=first,
            collect_until=last,
            published_at=(opened or now) - datetime.timedelta(days=30),
            published_by_id=principal,
            comment_until=((opened or now) - datetime.timedelta(days=2)).date(),
            checklist_confirmed_at=(opened or now) - datetime.timedelta(days=30),
            opened_at=opened,
            closed_at=moment(last, 17) if state in ("closed", "settled") else None,
            settled_at=moment(last + datetime.timedelta(days=20)) if state == "settled" else None,
            created_by_id=principal,
            created_at=(opened or now) - datetime.timedelta(days=40),
        )
    Campaign.objects.bulk_create(campaigns.values())
    wishes = {
        key: WishItem.objects.bulk_create(
            WishItem(
                campaign=campaign,
                school_id=campaign.school_id,
                name=name,
                quantity=quantity,
                is_equipment=equipment,
                position=n,
            )
            for n, (name, quantity, equipment) in enumerate(WISHES)
        )
        for key, campaign in campaigns.items()
    }

    donors = []
    for n in range(DONORS_PER_SCHOOL):
        kind = rng.choices(["person", "business", "organisation"], weights=[8, 1, 1])[0]
        if kind == "person":
            name = f"{rng.choice(FAMILY_NAMES)} {rng.choice(GIVEN_NAMES)}"
        else:
            name = rng.choice(BUSINESSES if kind == "business" else ORGANISATIONS)
        display = rng.choices(["anonymous", "name", "chosen"], weights=[5, 3, 2])[0]
        if display != "name":
            name = f"{name} {HIDDEN_MARK}{number:05d}{n:03d}"  # never shown in public
        donors.append(
            Donor(
                school_id=school_id,
                kind=kind,
                name=name,
                email=f"donor-{number:05d}-{n:03d}@{DONOR_EMAIL_DOMAIN}",
                phone=f"09{number % 100:02d}{n:06d}",
                display=display,
                display_name=f"Gia đình bé {rng.choice(GIVEN_NAMES)}" if display == "chosen" else "",
                created_by_id=accountant,
                created_at=now - datetime.timedelta(days=500),
            )
        )
    Donor.objects.bulk_create(donors)

    # The timeline of the school's ledger: every receipt and every approved spending, by date.
    events = []
    for key, _state, _title, first, last, gift_share in CAMPAIGNS:
        if not first:
            continue
        for _ in range(round(count * gift_share) if key != "open" else 0):
            events.append((_day(rng, first, last), 0, key))
    events.extend((_day(rng, CAMPAIGNS[2][3], CAMPAIGNS[2][4]), 0, "open") for _ in range(count - len(events)))
    spendings = []
    for key, _state, _title, first, last, _share in CAMPAIGNS:
        if not first:
            continue
        for n in range(4):
            spent_on = _day(rng, first + datetime.timedelta(days=14), last)
            spendings.append(
                Spending(
                    campaign=campaigns[key],
                    school_id=campaigns[key].school_id,
                    use=rng.choice(sorted(ALLOWED_USES)),
                    description=["Mua lò nướng", "Mua sách tranh", "Thuê thợ lắp đặt", "Mua vật liệu"][n],
                    amount=rng.choice([2_000_000, 5_000_000, 8_000_000]),
                    spent_on=spent_on,
                    state="approved",
                    recorded_by_id=accountant,
                    recorded_at=moment(spent_on),
                    decided_by_id=principal,
                    decided_at=moment(spent_on, 15),
                )
            )
    Spending.objects.bulk_create(spendings)
    events.extend((spending.spent_on, 1, spending) for spending in spendings)
    events.sort(key=lambda event: (event[0], event[1]))

    prev, seq, receipts = genesis, 0, {}
    cash_in = dict.fromkeys(campaigns, 0)
    spent = dict.fromkeys(campaigns, 0)
    goods = dict.fromkeys(campaigns, 0)
    for day, is_spending, what in events:
        seq += 1
        recorded = f"{day.isoformat()} {rng.randrange(8, 17):02d}:{rng.randrange(60):02d}:00{TZ}"
        if is_spending:
            key = next(k for k, c in campaigns.items() if c is what.campaign)
            content = {
                "v": version,
                "school": slug,
                "seq": seq,
                "kind": "spending",
                "campaign": what.campaign.pk,
                "date": day.isoformat(),
                "cash": -what.amount,
                "goods": 0,
                "reverses": None,
                "prev": prev,
                "use": what.use,
                "what": what.description,
            }
            text = canonical(content)
            hashed = digest(text)
            entries.append(
                _line(
                    (school_id, seq, "spending", what.campaign.pk, None, what.pk, -what.amount, 0, "")
                    + (text, prev, hashed, recorded, principal)
                )
            )
            spent[key] += what.amount
            prev = hashed
            continue
        key = what
        campaign = campaigns[key]
        donor = donors[rng.randrange(len(donors))]
        kind = rng.choices(["cash", "in_kind", "work"], weights=[85, 10, 5])[0]
        amount = value = wish = hours = quantity = None
        items = work = ""
        receipt_year = receipt_number = None
        details = {"gift": kind}
        if kind == "cash":
            amount = rng.choice(AMOUNTS)
            receipt_year = day.year
            receipt_number = receipts[day.year] = receipts.get(day.year, 0) + 1
            details["receipt"] = f"{receipt_year}-{receipt_number:06d}"
            cash_in[key] += amount
        elif kind == "in_kind":
            wish = rng.choice(wishes[key])
            quantity = 1
            items = wish.name
            value = rng.choice([300_000, 1_500_000, 6_000_000])
            details.update(receipt=None, items=items, quantity=quantity)
            goods[key] += value
        else:
            hours = rng.choice(["2.0", "3.5", "4.0", "8.0"])
            work = rng.choice(WORK)
            details.update(receipt=None, hours=hours, work=work)
        content = {
            "v": version,
            "school": slug,
            "seq": seq,
            "kind": "receipt",
            "campaign": campaign.pk,
            "date": day.isoformat(),
            "cash": amount or 0,
            "goods": value or 0,
            "reverses": None,
            "prev": prev,
            **details,
        }
        text = canonical(content)
        hashed = digest(text)
        pledged = f"{(day - datetime.timedelta(days=rng.randrange(0, 5))).isoformat()} 07:30:00{TZ}"
        contributions.append(
            _line(
                (
                    next_id,
                    school_id,
                    campaign.pk,
                    donor.pk,
                    kind,
                    "received",
                    amount,
                    wish.pk if wish else None,
                    items,
                    quantity,
                    value,
                    "mới" if kind == "in_kind" else "",
                    hours,
                    work,
                    "",
                    _payment_reference(next_id),
                    "",
                    receipt_year,
                    receipt_number,
                    pledged,
                    day.isoformat(),
                    recorded,
                    accountant,
                    "",
                    accountant,
                )
            )
        )
        entries.append(
            _line(
                (
                    school_id,
                    seq,
                    "receipt",
                    campaign.pk,
                    next_id,
                    None,
                    amount or 0,
                    value or 0,
                    donor.reference,
                    text,
                    prev,
                    hashed,
                    recorded,
                    accountant,
                )
            )
        )
        prev = hashed
        next_id += 1
    ReceiptCounter.objects.bulk_create(
        ReceiptCounter(school_id=school_id, year=year, last_number=last) for year, last in receipts.items()
    )
    settled = campaigns["settled"]
    Settlement.objects.create(
        campaign=settled,
        summary="Sân chơi đã lắp xong; số dư chuyển sang quỹ mua đồ chơi theo kế hoạch đã công khai.",
        figures={
            "cash_received": cash_in["settled"],
            "goods_value": goods["settled"],
            "spent": spent["settled"],
            "balance": cash_in["settled"] - spent["settled"],
        },
        prepared_by_id=principal,
        prepared_at=settled.settled_at - datetime.timedelta(days=3),
        cosigner_name="Trưởng ban đại diện cha mẹ học sinh",
        cosigned_at=settled.settled_at,
    )
    return next_id


def data_size() -> dict[str, int]:
    from django.db import connection

    sizes = {}
    with connection.cursor() as cursor:
        for name, table in [
            ("schools", "schools_school"),
            ("campaigns", "donations_campaign"),
            ("donors", "donations_donor"),
            ("contributions", "donations_contribution"),
            ("ledger_entries", "donations_ledgerentry"),
            ("spending", "donations_spending"),
        ]:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (fixed names)
            sizes[name] = cursor.fetchone()[0]
    return sizes


# --- 1. the ledger check -------------------------------------------------------------


def canonical_bytes() -> list[bytes]:
    """Every entry's canonical text as UTF-8, in the chains' order, read once (a server-side cursor)."""
    from django.db import connection, transaction

    blobs = []
    with transaction.atomic(), connection.connection.cursor(name="bench_canonical") as cursor:
        cursor.itersize = 20_000
        cursor.execute("SELECT canonical FROM donations_ledgerentry ORDER BY school_id, seq")
        for (text,) in cursor:
            blobs.append(text.encode("utf-8"))
    return blobs


def bare_loop(blobs: list[bytes]) -> float:
    sha256 = hashlib.sha256
    t0 = time.perf_counter()
    for blob in blobs:
        sha256(blob).hexdigest()
    return time.perf_counter() - t0


def verify_command() -> tuple[float, str]:
    from django.core.management import call_command

    out = io.StringIO()
    t0 = time.perf_counter()
    call_command("verify_ledger", stdout=out)
    return time.perf_counter() - t0, out.getvalue()


def ledger_part(args, expected: int) -> dict:
    print("\n== ledger check ==", flush=True)
    t0 = time.perf_counter()
    blobs = canonical_bytes()
    read_seconds = time.perf_counter() - t0
    megabytes = sum(map(len, blobs)) / 1e6
    print(f"  read {len(blobs)} canonical texts ({megabytes:.0f} MB) in {read_seconds:.1f} s", flush=True)
    verify_times, bare_times = [], []
    for n in range(args.verify_rounds):
        seconds, output = verify_command()
        lines = output.strip().splitlines()
        entries = sum(int(line.split(": ", 1)[1].split(" ", 1)[0]) for line in lines)
        if "BROKEN" in output or entries != len(blobs) or entries != expected:
            raise SystemExit(f"verify_ledger did not find {expected} intact entries: {output[-500:]}")
        verify_times.append(seconds)
        bare_times.append(bare_loop(blobs))
        print(
            f"  round {n + 1}: verify_ledger {seconds:.2f} s ({len(lines)} schools), bare loop {bare_times[-1]:.2f} s",
            flush=True,
        )
    result = {
        "entries": len(blobs),
        "schools": len(lines),
        "canonical_mb": round(megabytes, 1),
        "read_seconds": round(read_seconds, 2),
        "verify_seconds": [round(s, 2) for s in verify_times],
        "bare_seconds": [round(s, 3) for s in bare_times],
        "verify_median": round(statistics.median(verify_times), 2),
        "bare_median": round(statistics.median(bare_times), 3),
    }
    result["ratio"] = round(result["verify_median"] / result["bare_median"], 1)
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        verify_command()
        profiler.disable()
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(15)
        result["profile"] = text.getvalue()
        print(text.getvalue(), flush=True)
    return result


# --- 2. and 3. the pages ------------------------------------------------------------------


def _exists(path: str) -> bool:
    from django.contrib import admin
    from django.urls import Resolver404, resolve

    from donations.models import Contribution

    if path.startswith("/admin/"):
        # Every address under /admin/ resolves (the admin's catch-all view): ask the admin instead.
        return admin.site.is_registered(Contribution)
    try:
        resolve(path.split("?", 1)[0])
    except Resolver404:
        return False
    return True


def pages() -> tuple[list[dict], list[dict]]:
    """The board's pages and the admin's, with what each response must show; and the pending ones."""
    from django.contrib.auth import get_user_model
    from django.utils.html import escape

    from donations.models import Campaign, LedgerEntry
    from schools.models import School

    school = School.objects.get(slug=scale.school_slug(scale.SAMPLE_SCHOOL))
    principal = get_user_model().objects.get(email=scale.SAMPLE_PRINCIPAL)
    open_campaign = Campaign.objects.get(school=school, state="open")
    name = escape(school.name).encode()
    cookie = http.session_cookie(principal)
    latest = LedgerEntry.objects.filter(school=school).order_by("-seq").values_list("hash", flat=True).first()
    wanted = [
        {"name": "healthz", "path": "/healthz", "cookie": "", "expect": [b'"status": "ok"'], "group": "base"},
        {
            "name": "transparency board",
            "path": f"/schools/{school.slug}/transparency/",
            "cookie": "",
            "expect": [name, latest.encode()],
            "group": "board",
            "public": True,
        },
        # The sample school's open campaign on the board: its figures, gifts and spending, paged.
        {
            "name": "board: campaign",
            "path": f"/schools/{school.slug}/transparency/campaigns/{open_campaign.pk}/",
            "cookie": "",
            "expect": [name, escape(open_campaign.title).encode()],
            "group": "board",
            "public": True,
        },
        # The ledger's newest entries in their canonical form, paged, with the latest hash.
        {
            "name": "board: ledger",
            "path": f"/schools/{school.slug}/transparency/ledger/",
            "cookie": "",
            "expect": [name, latest.encode()],
            "group": "board",
            "public": True,
        },
        {
            "name": "admin index",
            "path": "/admin/",
            "cookie": cookie,
            "expect": [b"/admin/donations/contribution/"],
            "group": "admin",
        },
        {
            "name": "admin: contributions, filtered",
            "path": (
                f"/admin/donations/contribution/?campaign__id__exact={open_campaign.pk}"
                "&kind__exact=cash&month=2026-10&state__exact=received"
            ),
            "cookie": cookie,
            "expect": [b'id="result_list"'],
            "group": "admin",
        },
    ]
    missing = {page["group"] for page in wanted if not _exists(page["path"])}
    # The admin's index alone says nothing: without the contributions list the admin part is pending.
    present = [
        page for page in wanted if page["group"] not in missing or (page["group"] == "board" and _exists(page["path"]))
    ]
    pending = [page for page in wanted if page not in present]
    return present, pending


def leaks(body: bytes) -> list[str]:
    """What a public page must never show: a donor's e-mail or phone, an anonymous donor's real name."""
    found = []
    if DONOR_EMAIL_DOMAIN.encode() in body:
        found.append("a donor's e-mail")
    if f" {HIDDEN_MARK}0".encode() in body:
        found.append("the real name of a donor who chose not to be named")
    if b"0901000" in body:  # the sample school's donors: 0901000000…0901000299
        found.append("a donor's phone")
    return found


def pages_part(args, env: dict, stamp: str) -> dict:
    from django.db import connection

    targets, pending = pages()
    wanted = (
        {"base"} | ({"board"} if "board" in args.parts else set()) | ({"admin"} if "admin" in args.parts else set())
    )
    targets = [page for page in targets if page["group"] in wanted]
    pending = [page for page in pending if page["group"] in wanted]
    for page in pending:
        print(f"  pending (not in the portal's URLs yet): {page['path']}", flush=True)
    profiles = []
    for page in targets:
        profiles.append(http.profile(page))
        if page.get("public"):
            from django.test import Client

            found = leaks(Client().get(page["path"]).content)
            if found:
                raise SystemExit(f"{page['path']} shows {', '.join(found)}")
    connection.close()
    result = {"pending": [page["path"] for page in pending], "pages": []}
    if len(targets) < 2:
        return result
    log_path = RESULTS_DIR / f"gunicorn-donations-{stamp}.log"
    with http.gunicorn(env, args.workers, log_path) as (port, pid):
        print(f"gunicorn pid {pid} on 127.0.0.1:{port}", flush=True)
        result["loadavg_before"] = [round(x, 2) for x in os.getloadavg()]
        loads = http.measure(port, targets, args)
        result["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    base = loads[0]["rounds_req_per_s"]
    by_name = {}
    for page, page_profile, load in zip(targets, profiles, loads, strict=True):
        ratios = [round(m / b, 3) if b else 0.0 for m, b in zip(load["rounds_req_per_s"], base, strict=True)]
        entry = {
            "name": page["name"],
            "path": page["path"],
            "load": load,
            "ratio_to_healthz": round(statistics.median(ratios), 3),
            "rounds_ratio_to_healthz": ratios,
            **page_profile,
        }
        by_name[page["name"]] = entry
        result["pages"].append(entry)
        print(
            f"  {page['path'][:60]:60} {load['req_per_s']:7.1f} req/s  p95 {load['p95_ms']:6.1f} ms  "
            f"{load['requests']} ok, {load['failures']} failed",
            flush=True,
        )
    index, changelist = by_name.get("admin index"), by_name.get("admin: contributions, filtered")
    if index and changelist:
        # Time per request of the list against the index's, round by round (req/s of the index over the list's).
        times = [
            round(i / c, 2) if c else float("inf")
            for i, c in zip(index["load"]["rounds_req_per_s"], changelist["load"]["rounds_req_per_s"], strict=True)
        ]
        result["admin_list_to_index_time"] = {"median": statistics.median(times), "rounds": times}
        print(f"  admin list / admin index, time per request: {statistics.median(times):.2f} (rounds {times})")
    return result


# --- the report ---------------------------------------------------------------------------


def tables(report: dict) -> str:
    out = []
    ledger = report.get("ledger")
    if ledger:
        out += [
            f"Ledger check: {ledger['entries']} entries in {ledger['schools']} schools' chains "
            f"({ledger['canonical_mb']} MB of canonical text).",
            "",
            "| check | rounds (s) | median (s) | ratio to the bare loop |",
            "|---|---|---:|---:|",
            f"| bare `hashlib.sha256(...).hexdigest()` loop, bytes in memory | "
            f"{', '.join(f'{s:.2f}' for s in ledger['bare_seconds'])} | {ledger['bare_median']:.2f} | 1 |",
            f"| `manage.py verify_ledger` (every school) | {', '.join(f'{s:.2f}' for s in ledger['verify_seconds'])} "
            f"| {ledger['verify_median']:.2f} | **{ledger['ratio']:.1f}** |",
            "",
        ]
    run = report.get("pages")
    if run and run["pages"]:
        out += [
            "| page | requests | req/s | p50 ms | p95 ms | ratio to /healthz: median (range) | queries | DB ms "
            "| render ms | HTML KB |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for page in run["pages"]:
            load, ratios = page["load"], page["rounds_ratio_to_healthz"]
            out.append(
                f"| `{page['path']}` | {load['requests']} | {load['req_per_s']:.0f} | {load['p50_ms']:.1f} "
                f"| {load['p95_ms']:.1f} | {page['ratio_to_healthz']:.2f} ({min(ratios):.2f}–{max(ratios):.2f}) "
                f"| {page['queries']} | {page['db_ms']:.1f} | {page['render_ms']:.1f} "
                f"| {page['html_bytes'] / 1024:.1f} |"
            )
        admin = run.get("admin_list_to_index_time")
        if admin:
            out += [
                "",
                f"Admin: the filtered contributions list takes {admin['median']:.2f} times the index's time per "
                f"request (rounds {', '.join(map(str, admin['rounds']))}; target ≤ {ADMIN_TARGET:g}).",
            ]
    if run and run["pending"]:
        out += ["", "Pending (not in the portal yet): " + ", ".join(f"`{p}`" for p in run["pending"])]
    return "\n".join(out)


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    started = time.monotonic()
    http.ensure_database(args.server, args.database, fresh=args.fresh)
    scratch = tempfile.mkdtemp(prefix="coordination-bench-")
    (Path(scratch) / "static").mkdir()
    env = http.environment(args.db, scratch)
    try:
        os.environ.update(env, ALLOWED_HOSTS="127.0.0.1,testserver")
        import django

        django.setup()
        from django.db import connection

        report = {
            "started_at": now.isoformat(timespec="seconds"),
            "command": " ".join([".venv/bin/python", "bench/donations.py", *sys.argv[1:]]),
            "machine": http.machine(),
            "settings": {k: v for k, v in vars(args).items() if k != "parts"} | {"parts": sorted(args.parts)},
        }
        http.manage(env, "migrate", "--noinput", "-v", "0")
        t0 = time.monotonic()
        http.manage(
            env,
            "seed_scale",
            "--schools",
            str(args.schools),
            "--children-per-school",
            str(args.children_per_school),
            "--activities-per-class",
            "2",
            "-v",
            "0",
        )
        report["seed_scale_seconds"] = round(time.monotonic() - t0, 1)
        print(f"seed_scale: {report['seed_scale_seconds']} s", flush=True)
        report["seed_donations"] = seed_donations(total=args.contributions, schools=args.schools)
        print(f"donations seeded in {report['seed_donations']['seconds']} s", flush=True)
        t0 = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        report["vacuum_seconds"] = round(time.monotonic() - t0, 1)
        report["rows"] = data_size()
        print(f"rows: {report['rows']}", flush=True)
        if "ledger" in args.parts:
            report["ledger"] = ledger_part(args, expected=report["rows"]["ledger_entries"])
        if args.parts & {"board", "admin"}:
            print("\n== pages ==", flush=True)
            report["pages"] = pages_part(args, env, stamp)
        report["seconds"] = round(time.monotonic() - started, 1)
        out = RESULTS_DIR / f"donations-{stamp}.json"
        out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\n{tables(report)}\n\nWritten to {out.relative_to(ROOT)} in {report['seconds']:.0f} s.")
        failed = any(page["load"]["failures"] for page in report.get("pages", {}).get("pages", []))
        return 1 if failed else 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
