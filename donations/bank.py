"""Bank statements: reading the bank's CSV or XLSX export, and importing it all or nothing.

A statement row is an incoming transfer (date, amount, message, the bank's reference). Its message
may hold a pledge's transfer reference ("UH" and 8 letters) or a campaign's reference ("CD" and 6
digits, services.campaign_reference): the first receives that pledge (with the amount the bank
received: the bank's figure is the truth, and the change is in the pledge's history), the second
becomes a new gift from an anonymous donor; any other row is kept as an unmatched line for the
accountant to assign. Outgoing rows (a negative amount) are the school's own payments: they are
skipped, and counted. A bad row anywhere, or a bank reference seen before, and nothing is saved.

Nothing a bank message says about the sender is ever shown in public: a donor made from a transfer
is anonymous, and is named after the bank's reference, not after the message.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from donations import services
from donations.models import (
    MAX_AMOUNT,
    BankImport,
    BankLine,
    Campaign,
    CampaignState,
    Contribution,
    ContributionEvent,
    ContributionKind,
    ContributionState,
    Donor,
    DonorDisplay,
    DonorKind,
)
from schools.models import School

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
REFERENCE_MAX = 64  # BankLine.bank_reference and Contribution.bank_reference
MESSAGE_MAX = 300
HEADER_SEARCH_ROWS = 30  # banks put the account's details above the table

# Headers, compared without accents, case or what is in brackets ("Số tiền (VND)").
COLUMNS: dict[str, frozenset[str]] = {
    "date": frozenset({"ngay", "ngay giao dich", "ngay gd", "date", "transaction date", "value date"}),
    "amount": frozenset({"so tien", "so tien gd", "so tien giao dich", "amount", "transaction amount"}),
    "message": frozenset(
        {
            "noi dung",
            "noi dung chuyen khoan",
            "noi dung ck",
            "noi dung giao dich",
            "dien giai",
            "mo ta",
            "message",
            "description",
        }
    ),
    "reference": frozenset(
        {"ma giao dich", "ma gd", "so tham chieu", "ma tham chieu", "reference", "transaction reference", "ref"}
    ),
}


@dataclass(frozen=True)
class StatementRow:
    """One incoming transfer; `row` is its row number in the file as a spreadsheet shows it."""

    row: int
    date: datetime.date
    amount: int
    message: str
    reference: str


@dataclass
class Statement:
    rows: list[StatementRow] = field(default_factory=list)
    outgoing: int = 0  # rows with a negative amount: skipped
    errors: list[ValidationError] = field(default_factory=list)


def row_error(row: int | None, message, **params) -> ValidationError:
    """An error about one row (or the whole file when `row` is None), in the reader's language when shown."""
    if row is None:
        return ValidationError(message, params=params or None)
    return ValidationError(_("Row %(row)s: %(problem)s"), params={"row": row, "problem": _Problem(message, params)})


class _Problem:
    """A row's problem, formatted in the active language when the error is shown."""

    def __init__(self, message, params):
        self.message, self.params = message, params

    def __str__(self):
        return str(self.message) % self.params if self.params else str(self.message)


# --- Reading the file


def _fold(text: str) -> str:
    """Lower case without accents ("Số tiền (VND)" -> "so tien"), for comparing headers."""
    text = re.sub(r"[\(\[].*?[\)\]]", " ", unicodedata.normalize("NFC", str(text or "")))
    text = text.casefold().replace("đ", "d")
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def _column_map(cells: list) -> dict[str, int] | None:
    """Which column holds what, when this row is the table's header."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        folded = _fold(cell)
        for name, headers in COLUMNS.items():
            if folded in headers and name not in found:
                found[name] = index
    return found if found.keys() == COLUMNS.keys() else None


def _is_xlsx(name: str, head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04") or name.lower().endswith((".xlsx", ".xlsm"))


def _xlsx_rows(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise row_error(None, _("This is not an XLSX file that can be read.")) from exc
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(min_row=1, values_only=True)  # from the first row, so row numbers are the sheet's
        return [list(row) for row in itertools.islice(rows, MAX_ROWS + HEADER_SEARCH_ROWS + 1)]
    finally:
        book.close()


def _delimiter(text: str) -> str:
    """The separator that makes a header row appear (a message full of commas does not fool it)."""
    head = "\n".join(text.splitlines()[:HEADER_SEARCH_ROWS])
    for delimiter in (";", ",", "\t"):
        try:
            rows = list(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter))
        except csv.Error:
            continue
        if any(_column_map(row) for row in rows):
            return delimiter
    return ";" if head.count(";") > head.count(",") else ","


def _csv_rows(data: bytes) -> list[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise row_error(None, _("The file is not UTF-8 text: export the statement as UTF-8 CSV, or as XLSX.")) from exc
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(itertools.islice(reader, MAX_ROWS + HEADER_SEARCH_ROWS + 1))
    except csv.Error as exc:
        raise row_error(None, _("The CSV file cannot be read: %(problem)s"), problem=str(exc)) from exc


def _blank(cells: Iterable) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in cells)


# --- Reading one cell

_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$")


def parse_date(value) -> datetime.date | None:
    """A statement's date: dd/mm/yyyy (with an optional time) or ISO yyyy-mm-dd; None when it is not one."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    if match := _DAY_MONTH_YEAR.match(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


_CURRENCY = re.compile(r"(vnd|vnđ|đồng|dong|đ|₫)", re.IGNORECASE)
_GROUPED = re.compile(r"^\d{1,3}(?:(?P<sep>[.,])\d{3})(?:(?P=sep)\d{3})*$")


class AmountError(ValueError):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "not_a_number" or "fractional"


def parse_amount(value) -> int:
    """Whole đồng, signed, from "1.500.000", "1,500,000", "1500000", "+1 500 000 đ" or a spreadsheet number.

    A fraction of zeros ("1.500.000,00") is whole; any other fraction raises AmountError("fractional").
    """
    if isinstance(value, bool):
        raise AmountError("not_a_number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise AmountError("not_a_number")
        if not value.is_integer():
            raise AmountError("fractional")
        return int(value)
    text = _CURRENCY.sub("", str(value or ""))
    text = "".join(text.split()).replace("\u00a0", "")
    sign = 1
    if text.startswith("(") and text.endswith(")"):  # accountants' negative
        sign, text = -1, text[1:-1]
    if text[:1] in "+-" and text:
        sign, text = (-1 if text[0] == "-" else 1) * sign, text[1:]
    if text.endswith("-"):  # some banks write the debit sign after the figure
        sign, text = -sign, text[:-1]
    if not text or not text[0].isdigit():
        raise AmountError("not_a_number")
    if text.isdigit():
        return sign * int(text)
    if _GROUPED.match(text):
        return sign * int(re.sub(r"[.,]", "", text))
    # A decimal part after a separator that differs from the grouping one: "1.500.000,00", "1500000.5".
    match = re.match(r"^(?P<whole>[\d.,]*\d)(?P<sep>[.,])(?P<fraction>\d{1,2})$", text)
    if match:
        whole = match["whole"]
        if not whole.isdigit():
            grouped = _GROUPED.match(whole)
            if not grouped or grouped["sep"] == match["sep"]:
                raise AmountError("not_a_number")
        if set(match["fraction"]) != {"0"}:
            raise AmountError("fractional")
        return sign * int(re.sub(r"[.,]", "", whole))
    raise AmountError("not_a_number")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a reference made only of digits, read by a spreadsheet as a number
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


# --- The whole statement


def statement_read(uploaded_file) -> Statement:
    """Read every row of a bank statement, collecting every problem with its row number.

    A file-level problem (not CSV or XLSX, no header row) is the only error when it happens.
    """
    statement = Statement()
    data = uploaded_file.read(MAX_FILE_BYTES + 1)
    name = getattr(uploaded_file, "name", "") or ""
    if len(data) > MAX_FILE_BYTES:
        statement.errors.append(row_error(None, _("The file is larger than 5 MB: import the statement in parts.")))
        return statement
    if not data.strip():
        statement.errors.append(row_error(None, _("The file is empty.")))
        return statement
    try:
        table = _xlsx_rows(data) if _is_xlsx(name, data[:4]) else _csv_rows(data)
    except ValidationError as exc:
        statement.errors.append(exc)
        return statement

    columns, header_index = None, 0
    for index, cells in enumerate(table[:HEADER_SEARCH_ROWS]):
        columns, header_index = _column_map(cells), index
        if columns:
            break
    if not columns:
        statement.errors.append(
            row_error(
                None,
                _(
                    "No header row was found. The statement needs the columns “Ngày” (date), “Số tiền” (amount), "
                    "“Nội dung” (message) and “Mã giao dịch” (the bank's reference)."
                ),
            )
        )
        return statement
    if len(table) > MAX_ROWS + header_index + 1:
        statement.errors.append(
            row_error(
                None,
                ngettext_lazy(
                    "The file has more than %(max)s row: import it in parts.",
                    "The file has more than %(max)s rows: import it in parts.",
                    "max",
                ),
                max=MAX_ROWS,
            )
        )
        return statement

    first_row_of: dict[str, int] = {}
    for index in range(header_index + 1, len(table)):
        cells = table[index]
        number = index + 1  # as the spreadsheet numbers it (the header row included)
        if _blank(cells):
            continue

        def cell(name, cells=cells):
            position = columns.get(name)
            return cells[position] if position is not None and position < len(cells) else None

        problems: list[ValidationError] = []
        amount = None
        raw_amount = cell("amount")
        try:
            amount = parse_amount(raw_amount)
        except AmountError as exc:
            if exc.reason == "fractional":
                problems.append(
                    row_error(
                        number, _("the amount “%(value)s” is not a whole number of đồng."), value=_text(raw_amount)
                    )
                )
            else:
                problems.append(
                    row_error(number, _("the amount “%(value)s” is not a number."), value=_text(raw_amount))
                )
        if amount is not None and amount < 0:
            statement.outgoing += 1  # the school's own payment: not a gift
            continue
        if amount == 0:
            problems.append(row_error(number, _("the amount is zero.")))
        elif amount is not None and amount > MAX_AMOUNT:
            problems.append(
                row_error(
                    number,
                    _("the amount %(value)s đ is more than 10 billion đồng."),
                    value=f"{amount:,}".replace(",", "."),
                )
            )

        raw_date = cell("date")
        date = parse_date(raw_date)
        if date is None:
            problems.append(
                row_error(
                    number,
                    _("the date “%(value)s” is not a date (write it as dd/mm/yyyy or yyyy-mm-dd)."),
                    value=_text(raw_date),
                )
            )

        reference = _text(cell("reference"))
        if not reference:
            problems.append(row_error(number, _("the bank's reference (“Mã giao dịch”) is missing.")))
        elif len(reference) > REFERENCE_MAX:
            problems.append(
                row_error(
                    number,
                    ngettext_lazy(
                        "the bank's reference is longer than %(max)s character.",
                        "the bank's reference is longer than %(max)s characters.",
                        "max",
                    ),
                    max=REFERENCE_MAX,
                )
            )
        else:
            key = reference.upper()
            if key in first_row_of:
                problems.append(
                    row_error(
                        number,
                        _("the bank's reference %(reference)s is also on row %(first)s."),
                        reference=reference,
                        first=first_row_of[key],
                    )
                )
            else:
                first_row_of[key] = number

        if problems:
            statement.errors += problems
            continue
        message = _text(cell("message"))[:MESSAGE_MAX]
        statement.rows.append(StatementRow(row=number, date=date, amount=amount, message=message, reference=reference))
    if not statement.rows and not statement.errors and not statement.outgoing:
        statement.errors.append(row_error(None, _("The statement has no rows under its header.")))
    return statement


# --- References in a message

PAYMENT_REFERENCE = re.compile(services.PAYMENT_REFERENCE.pattern)  # upper case: messages are compacted first


def _ascii_upper(message: str) -> str:
    folded = unicodedata.normalize("NFKD", message.upper().replace("Đ", "D"))
    return "".join(ch for ch in folded if ch.isascii())


def compact(message: str) -> str:
    """A message as banks pass it on: upper case, without spaces or punctuation, without accents."""
    return "".join(ch for ch in _ascii_upper(message) if ch.isalnum())


def payment_references_in(message: str) -> list[str]:
    """Every pledge reference the message may hold (overlapping candidates included)."""
    text = compact(message)
    found = []
    for start in range(len(text) - 9):
        match = PAYMENT_REFERENCE.match(text, start)
        if match:
            found.append(match.group())
    return found


def holds_reference(message: str, reference: str) -> bool:
    """Whether a campaign's reference is in the message, and not as the start of a longer number ("CD1" in "CD12").

    The words as written are looked at first ("CD1 500K"), then the message without spaces, as
    some banks pass it on ("UNGHOCD1").
    """
    wanted = compact(reference)
    if not wanted:
        return False
    words = re.sub(r"[^0-9A-Z]+", " ", _ascii_upper(message))
    if re.search(rf"(?<![0-9A-Z]){re.escape(wanted)}(?![0-9])", words):
        return True
    text = compact(message)
    start = text.find(wanted)
    while start != -1:
        after = text[start + len(wanted) : start + len(wanted) + 1]
        if not (wanted[-1].isdigit() and after.isdigit()):
            return True
        start = text.find(wanted, start + 1)
    return False


# --- Importing a statement


class StatementRejected(ValidationError):
    """The statement was not imported: every problem, each with its row number, in the order of the rows."""

    def __init__(self, errors: list[ValidationError]):
        super().__init__(sorted(errors, key=lambda error: (getattr(error, "params", None) or {}).get("row", 0)))


_lower = lazy(lambda text: str(text).lower(), str)


# A pledge made while its campaign was open may still be paid after it closed (as the services allow).
RECEIVING = frozenset({CampaignState.OPEN, CampaignState.CLOSED})


@dataclass(frozen=True)
class _Step:
    row: StatementRow
    action: str  # "match", "create" or "keep"
    contribution: object = None
    campaign: object = None


def _campaign_reference(campaign) -> str:
    return services.campaign_reference(campaign)


def _already_imported(school, references: set[str]) -> set[str]:
    upper = {reference.upper() for reference in references}
    seen = set(
        Contribution.objects.filter(school=school)
        .annotate(key=Upper("bank_reference"))
        .filter(key__in=upper)
        .values_list("key", flat=True)
    )
    seen |= set(
        BankLine.objects.filter(school=school)
        .annotate(key=Upper("bank_reference"))
        .filter(key__in=upper)
        .values_list("key", flat=True)
    )
    return seen


def _plan(school, rows: list[StatementRow], errors: list[ValidationError]) -> list[_Step]:
    """What each row will do, and every problem found before anything is written."""
    seen = _already_imported(school, {row.reference for row in rows})
    candidates = {reference for row in rows for reference in payment_references_in(row.message)}
    pledges = {
        contribution.payment_reference: contribution
        for contribution in Contribution.objects.filter(school=school, payment_reference__in=candidates)
        .select_related("campaign")
        .select_for_update(of=("self",))
    }
    campaigns = [(campaign, _campaign_reference(campaign)) for campaign in Campaign.objects.filter(school=school)]
    steps, matched_on = [], {}
    today = timezone.localdate()
    for row in rows:
        if row.date > today:
            errors.append(row_error(row.row, _("the date %(date)s is in the future."), date=f"{row.date:%d/%m/%Y}"))
            continue
        if row.reference.upper() in seen:
            errors.append(
                row_error(
                    row.row, _("the bank's reference %(reference)s was imported before."), reference=row.reference
                )
            )
            continue
        found = {pledges[ref].pk: pledges[ref] for ref in payment_references_in(row.message) if ref in pledges}
        if len(found) == 1:
            (contribution,) = found.values()
            problem = None
            if contribution.pk in matched_on:
                problem = row_error(
                    row.row,
                    _("the pledge %(reference)s is also paid on row %(first)s."),
                    reference=contribution.payment_reference,
                    first=matched_on[contribution.pk],
                )
            elif contribution.kind != ContributionKind.CASH:
                problem = row_error(
                    row.row,
                    _("%(reference)s is a pledge of goods or work, not of cash."),
                    reference=contribution.payment_reference,
                )
            elif contribution.state != ContributionState.PLEDGED:
                problem = row_error(
                    row.row,
                    _("the pledge %(reference)s is %(state)s, not waiting for the money."),
                    reference=contribution.payment_reference,
                    state=_lower(ContributionState(contribution.state).label),
                )
            elif contribution.campaign.state not in RECEIVING:
                problem = row_error(
                    row.row,
                    _("the pledge %(reference)s is for “%(campaign)s”, which does not take contributions now."),
                    reference=contribution.payment_reference,
                    campaign=contribution.campaign.title,
                )
            if problem is not None:
                errors.append(problem)
                continue
            matched_on[contribution.pk] = row.row
            steps.append(_Step(row, "match", contribution=contribution))
            continue
        named = [campaign for campaign, reference in campaigns if holds_reference(row.message, reference)]
        if not found and len(named) == 1:
            campaign = named[0]
            if campaign.state != CampaignState.OPEN:
                errors.append(
                    row_error(
                        row.row,
                        _("the transfer is for “%(campaign)s”, which is not open for contributions."),
                        campaign=campaign.title,
                    )
                )
                continue
            steps.append(_Step(row, "create", campaign=campaign))
            continue
        # No reference, or one that names two pledges or campaigns: the accountant decides.
        steps.append(_Step(row, "keep"))
    return steps


def bank_transfer_donor(*, school, by, reference: str):
    """An anonymous donor for a transfer that names no pledge: named after the bank's reference, never the message."""
    return Donor.objects.create(
        school=school,
        kind=DonorKind.PERSON,
        name=gettext("Bank transfer %(reference)s") % {"reference": reference},
        display=DonorDisplay.ANONYMOUS,
        created_by=by,
    )


def _transfer_event(contribution, *, by, message: str) -> None:
    """The bank's message, kept in the contribution's history (seen in the admin only, never in public)."""
    ContributionEvent.objects.create(
        contribution=contribution,
        action="bank transfer",
        detail=(gettext("Bank transfer: %(message)s") % {"message": message})[:300],
        by=by,
    )


def _run(step: _Step, *, school, by, bank_import) -> str:
    row = step.row
    if step.action == "match":
        # The bank's figure is what the school received: a pledge of another amount is received with
        # the transferred amount, and the service records the change in the contribution's history.
        services.contribution_receive(
            contribution=step.contribution,
            by=by,
            received_on=row.date,
            bank_reference=row.reference,
            amount=row.amount,
        )
        return "matched"
    if step.action == "create":
        donor = bank_transfer_donor(school=school, by=by, reference=row.reference)
        contribution = services.contribution_record(
            campaign=step.campaign,
            donor=donor,
            by=by,
            kind=ContributionKind.CASH,
            amount=row.amount,
            received_on=row.date,
            bank_reference=row.reference,
        )
        _transfer_event(contribution, by=by, message=row.message)
        return "created"
    BankLine.objects.create(
        bank_import=bank_import,
        school=school,
        row=row.row,
        date=row.date,
        amount=row.amount,
        message=row.message,
        bank_reference=row.reference,
    )
    return "unmatched"


def bank_statement_import(*, school, by, uploaded_file):
    """Import a bank statement all or nothing: receive the pledges it pays, record gifts to campaigns, keep the rest.

    Raises StatementRejected, with every problem and its row number, when any row is wrong; then
    nothing is saved.
    """
    with transaction.atomic():
        # One import per school at a time, so two uploads of one statement cannot both pass the duplicate check.
        list(School.objects.select_for_update().filter(pk=school.pk).values_list("pk", flat=True))
        statement = statement_read(uploaded_file)
        errors = list(statement.errors)
        steps = _plan(school, statement.rows, errors)
        if errors:
            raise StatementRejected(errors)
        bank_import = BankImport.objects.create(
            school=school,
            file_name=(getattr(uploaded_file, "name", "") or "")[:255],
            imported_by=by,
            rows=len(statement.rows) + statement.outgoing,
        )
        counts = {"matched": 0, "created": 0, "unmatched": 0}
        for step in steps:
            try:
                with transaction.atomic():
                    counts[_run(step, school=school, by=by, bank_import=bank_import)] += 1
            except ValidationError as exc:
                errors += [row_error(step.row.row, message) for message in exc.messages]
            except IntegrityError:
                errors.append(
                    row_error(
                        step.row.row,
                        _("the bank's reference %(reference)s was imported before."),
                        reference=step.row.reference,
                    )
                )
        if errors:
            raise StatementRejected(errors)
        for name, count in counts.items():
            setattr(bank_import, name, count)
        bank_import.save(update_fields=list(counts))
        return bank_import


def bank_line_assign(*, line, by, campaign, donor=None):
    """Give an unmatched transfer to a campaign (and a donor, or an anonymous one): a received contribution."""
    with transaction.atomic():
        line = BankLine.objects.select_for_update().get(pk=line.pk)
        if line.contribution_id is not None:
            raise ValidationError(_("This transfer was already assigned."))
        if campaign.school_id != line.school_id or (donor is not None and donor.school_id != line.school_id):
            raise ValidationError(_("Choose a campaign and a donor of the school that received the transfer."))
        if donor is None:
            donor = bank_transfer_donor(school=campaign.school, by=by, reference=line.bank_reference)
        contribution = services.contribution_record(
            campaign=campaign,
            donor=donor,
            by=by,
            kind=ContributionKind.CASH,
            amount=line.amount,
            received_on=line.date,
            bank_reference=line.bank_reference,
        )
        _transfer_event(contribution, by=by, message=line.message)
        line.contribution = contribution
        line.assigned_at = timezone.now()
        line.save(update_fields=["contribution", "assigned_at"])
        return contribution
