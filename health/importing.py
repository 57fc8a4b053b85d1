"""The health station's measurements, as a CSV file: the template, reading, checking and saving.

A station's list names each child by the school's code for the child (`Child.code`, in that school
only), never by the name. The file is all or nothing: every problem is reported with its row (as a
spreadsheet numbers it: the header is row 1) and its column, and nothing is saved while one remains.

- `template_csv(language)`: the template, UTF-8 with a BOM so that Excel reads Vietnamese right.
- `file_text(data, name)`: the file's text (UTF-8, with or without a BOM), or ImportFileError.
- `rows_read(text)`: the header and the rows, read with the delimiter the file uses (comma or
  semicolon: Excel in a Vietnamese locale writes semicolons), or a list of problems.
- `rows_check(school, parsed)`: each row matched to its child and its values checked, then every row's
  z-scores computed in ONE pass (`growth_compute_many`), with the flags a measurement would get.
- `station_import(...)`: the service: read and check a file and, when asked, save every row in one
  transaction with bulk operations (a measurement already there for the child and day is corrected).

Everything here is pure but `rows_check` (two queries: the children by code, their measurements) and
the save.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from health import growth
from health.models import Measurement, Place, Position, Reference
from health.numbers import NumberError, decimal_parse
from health.services import _change_flags, flag_message, health_settings_for, values_problems
from schools.models import Child

MAX_FILE_BYTES = 2 * 1024 * 1024  # a school's list is a few hundred rows; 2 MB holds tens of thousands

# The columns, in the template's order: the key, its label in messages, and the names a header may
# give it (compared without case, diacritics, spaces or punctuation). The first English and first
# Vietnamese names are what the template writes.
COLUMNS: tuple[tuple[str, object, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "code",
        gettext_lazy("child's code"),
        ("child code", "code", "child's code", "child id"),
        ("mã trẻ", "mã", "mã học sinh", "mã số"),
    ),
    (
        "date",
        gettext_lazy("date"),
        ("date (dd/mm/yyyy)", "date", "measured on"),
        ("ngày đo (dd/mm/yyyy)", "ngày đo", "ngày"),
    ),
    (
        "weight",
        gettext_lazy("weight (kg)"),
        ("weight (kg)", "weight", "weight kg"),
        ("cân nặng (kg)", "cân nặng", "cân nặng kg"),
    ),
    (
        "height",
        gettext_lazy("height (cm)"),
        ("height (cm)", "height", "length", "height or length (cm)"),
        ("chiều cao (cm)", "chiều cao", "chiều dài"),
    ),
    (
        "position",
        gettext_lazy("position"),
        ("position (lying/standing)", "position", "measured"),
        ("tư thế (nằm/đứng)", "tư thế", "cách đo"),
    ),
    (
        "muac",
        gettext_lazy("arm circumference (cm)"),
        ("arm circumference (cm)", "arm circumference", "muac", "muac (cm)"),
        ("vòng cánh tay (cm)", "vòng cánh tay"),
    ),
    (
        "measured_by",
        gettext_lazy("measured by"),
        ("measured by", "measured by (name)", "by"),
        ("người đo", "người đo (họ tên)"),
    ),
    ("note", gettext_lazy("note"), ("note", "notes", "remark"), ("ghi chú",)),
)
REQUIRED = ("code", "date", "weight", "height")
COLUMN_LABELS = {key: label for key, label, _en, _vi in COLUMNS}

POSITION_WORDS = {
    "lying": Position.LYING,
    "l": Position.LYING,
    "length": Position.LYING,
    "nam": Position.LYING,  # "nằm", without its diacritics
    "standing": Position.STANDING,
    "s": Position.STANDING,
    "h": Position.STANDING,
    "height": Position.STANDING,
    "dung": Position.STANDING,  # "đứng"
}
_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def plain(text: str) -> str:
    """A header or word compared as people mean it: no case, diacritics, spaces or punctuation."""
    text = (text or "").strip().lower().replace("đ", "d")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", text)


_HEADER_KEYS = {plain(name): key for key, _label, en, vi in COLUMNS for name in (*en, *vi)}


class ImportFileError(ValueError):
    """The file cannot be read at all (not a CSV, not UTF-8, empty, too large)."""


@dataclass(frozen=True)
class Problem:
    row: int | None  # the spreadsheet's row number (the header is 1); None for the whole file
    column: str  # a column key, or "" for the whole row or file
    message: str

    @property
    def column_label(self) -> str:
        return str(COLUMN_LABELS[self.column]) if self.column in COLUMN_LABELS else ""

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column:
            return _("Row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column_label,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class RawRow:
    number: int
    values: dict[str, str]


@dataclass
class ImportRow:
    """One row read and checked: its child, its values, and what the references make of them."""

    number: int
    child: Child
    measured_on: datetime.date
    weight_kg: Decimal | None
    height_cm: Decimal | None
    position: str
    muac_cm: Decimal | None
    measured_by_name: str
    note: str
    growth: growth.Growth | None = None
    flags: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    corrects: Measurement | None = None  # the measurement of that child and day already there

    @property
    def reference_label(self) -> str:
        return str(Reference(self.growth.reference).label) if self.growth else ""

    def level_words(self) -> list[str]:
        return [
            words
            for indicator in growth.INDICATORS
            if (words := growth.level_words(indicator, self.growth.levels.get(indicator, "")))
            and self.growth.levels.get(indicator) != "normal"
        ]


@dataclass
class ImportResult:
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    saved: int = 0
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


# --- The template


def template_csv(language: str = "en") -> bytes:
    """The template: the header in Vietnamese or English, one example row, UTF-8 with a BOM."""
    vietnamese = (language or "").startswith("vi")
    header = [(vi[0] if vietnamese else en[0]) for _key, _label, en, vi in COLUMNS]
    example = ["00001", "15/10/2026", "18,5", "108,2", "đứng" if vietnamese else "standing", "16,0", "", ""]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerow(example)
    return buffer.getvalue().encode("utf-8-sig")


# --- Reading the file


def file_text(data: bytes, name: str = "") -> str:
    """The file's text. Raises ImportFileError with a message for the person who sent it."""
    if not data:
        raise ImportFileError(_("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is larger than 2 MB: split it into several files."))
    lower = (name or "").lower()
    if (
        data[:4] == b"PK\x03\x04"
        or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        or lower.endswith((".xlsx", ".xls", ".ods"))
    ):
        raise ImportFileError(
            _("This is a spreadsheet, not a CSV file: in Excel, choose File, Save As, “CSV UTF-8 (comma delimited)”.")
        )
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("This is not a CSV file: save the list as “CSV UTF-8” and send that file."))
    if lower and not lower.endswith((".csv", ".txt")):
        raise ImportFileError(_("This is not a CSV file: save the list as “CSV UTF-8” and send that file."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _(
                "The file is not in UTF-8, so its Vietnamese letters cannot be read: in Excel, save it as "
                "“CSV UTF-8 (comma delimited)”."
            )
        ) from exc


def delimiter_of(header_line: str) -> str:
    """Comma or semicolon, whichever the header line uses (outside quotes) more."""
    outside = re.sub(r'"[^"]*"', "", header_line)
    return ";" if outside.count(";") > outside.count(",") else ","


def rows_read(text: str) -> tuple[list[RawRow], list[Problem]]:
    """The data rows as {column key: text}, or the header's problems (then no rows)."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if not first:
        return [], [Problem(None, "", _("The file has no header row and no rows."))]
    reader = csv.reader(io.StringIO(text), delimiter=delimiter_of(first))
    problems: list[Problem] = []
    header: list[str] | None = None
    positions: dict[str, int] = {}
    rows: list[RawRow] = []
    for number, cells in enumerate(reader, start=1):
        if header is None:
            if not any(c.strip() for c in cells):
                continue
            header = cells
            for index, name in enumerate(cells):
                key = _HEADER_KEYS.get(plain(name))
                if key is None:
                    if name.strip():
                        problems.append(
                            Problem(
                                number,
                                "",
                                _("the column “%(name)s” is not one of the template's.") % {"name": name.strip()},
                            )
                        )
                    continue
                if key in positions:
                    problems.append(Problem(number, key, _("this column appears twice in the header.")))
                    continue
                positions[key] = index
            for key in REQUIRED:
                if key not in positions:
                    problems.append(Problem(number, key, _("this column is missing from the header.")))
            if problems:
                return [], problems
            continue
        if not any(c.strip() for c in cells):
            continue
        if any(c.strip() for c in cells[len(header) :]):
            # "18,5" unquoted in a comma-separated file splits into two cells: say so rather than guess.
            problems.append(
                Problem(
                    number,
                    "",
                    _(
                        "this row has more cells than the header has columns: a decimal comma in a file "
                        'whose columns are separated by commas needs quotes ("18,5"); or separate the '
                        "columns with semicolons."
                    ),
                )
            )
            continue
        values = {key: (cells[index].strip() if index < len(cells) else "") for key, index in positions.items()}
        rows.append(RawRow(number=number, values=values))
    if header is None:
        return [], [Problem(None, "", _("The file has no header row and no rows."))]
    if problems:
        return [], problems
    if not rows:
        return [], [Problem(None, "", _("The file has a header but no rows."))]
    return rows, []


def date_parse(text: str) -> datetime.date:
    """dd/mm/yyyy (also with dots or hyphens), or yyyy-mm-dd as a spreadsheet may rewrite it."""
    value = (text or "").strip()
    match = _DATE.match(value)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return datetime.date(year, month, day)
        match = _ISO_DATE.match(value)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return datetime.date(year, month, day)
    except ValueError:
        pass
    raise ValueError(value)


def position_parse(text: str) -> str | None:
    """Lying or standing ("nằm"/"đứng" too); None when empty; raises ValueError when unknown."""
    value = plain(text)
    if not value:
        return None
    if value in POSITION_WORDS:
        return POSITION_WORDS[value]
    raise ValueError(text)


# --- Checking the rows


def _children_by_code(school_id: int, codes: Sequence[str]) -> dict[str, Child]:
    children = Child.objects.filter(school_id=school_id, code__in=set(codes)).only(
        "pk", "school_id", "code", "full_name", "nickname", "date_of_birth", "sex", "classroom_id", "left_on"
    )
    return {child.code: child for child in children}


def _row_values(
    raw: RawRow, children: dict[str, Child], today: datetime.date
) -> tuple[ImportRow | None, list[Problem]]:
    problems: list[Problem] = []
    number, values = raw.number, raw.values

    def add(column: str, message: str) -> None:
        problems.append(Problem(number, column, str(message)))

    code = values.get("code", "")
    child = children.get(code) if code else None
    if not code:
        add("code", _("enter the child's code."))
    elif child is None:
        add("code", _("no child of this school has the code “%(code)s”.") % {"code": code})

    measured_on = None
    if not values.get("date"):
        add("date", _("enter the date of the measurement, like 15/10/2026."))
    else:
        try:
            measured_on = date_parse(values["date"])
        except ValueError:
            add("date", _("“%(value)s” is not a date: write it like 15/10/2026.") % {"value": values["date"]})

    numbers: dict[str, Decimal | None] = {}
    for key in ("weight", "height", "muac"):
        try:
            numbers[key] = decimal_parse(values.get(key, ""))
        except NumberError as exc:
            add(key, str(exc))
            numbers[key] = None

    position = None
    try:
        position = position_parse(values.get("position", ""))
    except ValueError:
        add(
            "position",
            _("“%(value)s” is not a position: write lying or standing (nằm or đứng).") % {"value": values["position"]},
        )

    measured_by = values.get("measured_by", "")
    if len(measured_by) > 150:
        add("measured_by", _("the name is longer than 150 characters."))
    note = values.get("note", "")
    if len(note) > 300:
        add("note", _("the note is longer than 300 characters."))

    if child is not None and measured_on is not None:
        if child.left_on is not None and measured_on > child.left_on:
            add(
                "date",
                _("the child left the school on %(left)s, before this date.")
                % {"left": child.left_on.strftime("%d/%m/%Y")},
            )
        found = values_problems(
            child=child,
            measured_on=measured_on,
            weight_kg=numbers["weight"],
            height_cm=numbers["height"],
            muac_cm=numbers["muac"],
            today=today,
        )
        columns = {"measured_on": "date", "weight_kg": "weight", "height_cm": "height", "muac_cm": "muac"}
        for name, message in found.items():
            column = columns.get(name, "weight")
            if any(p.column == column for p in problems):
                continue  # the value could not be read: that is already said
            add(column, message)
    elif measured_on is not None and measured_on > today:
        add("date", _("The date is in the future."))
    if problems or child is None or measured_on is None:
        return None, problems
    if position is None:
        age_days = (measured_on - child.date_of_birth).days
        position = Position.LYING if age_days <= growth.LYING_UNTIL_DAY else Position.STANDING
    return (
        ImportRow(
            number=number,
            child=child,
            measured_on=measured_on,
            weight_kg=numbers["weight"],
            height_cm=numbers["height"],
            position=position,
            muac_cm=numbers["muac"],
            measured_by_name=measured_by,
            note=note,
        ),
        [],
    )


def rows_check(school_id: int, raw_rows: Sequence[RawRow], *, today: datetime.date | None = None) -> ImportResult:
    """Match and check every row; when all are right, compute every row's figures in one pass."""
    today = today or timezone.localdate()
    children = _children_by_code(school_id, [r.values.get("code", "") for r in raw_rows if r.values.get("code")])
    result = ImportResult()
    seen: dict[tuple[int, datetime.date], int] = {}
    for raw in raw_rows:
        row, problems = _row_values(raw, children, today)
        result.problems.extend(problems)
        if row is None:
            continue
        key = (row.child.pk, row.measured_on)
        if key in seen:
            result.problems.append(
                Problem(
                    row.number,
                    "date",
                    _("row %(first)s already gives this child's measurement of %(date)s.")
                    % {"first": seen[key], "date": row.measured_on.strftime("%d/%m/%Y")},
                )
            )
            continue
        seen[key] = row.number
        result.rows.append(row)
    if result.problems:
        result.rows = []
        return result
    rows_compute(school_id, result.rows)
    return result


def rows_compute(school_id: int, rows: Sequence[ImportRow]) -> None:
    """Every row's z-scores in ONE pass (`growth_compute_many`), and the flags a measurement gets: WHO's
    plausibility and the changes since the child's previous measurement (in the database or the file)."""
    results = growth.growth_compute_many(
        [
            growth.Row(
                sex=row.child.sex,
                born=row.child.date_of_birth,
                measured_on=row.measured_on,
                weight_kg=row.weight_kg,
                height_cm=row.height_cm,
                position=row.position,
            )
            for row in rows
        ]
    )
    child_ids = {row.child.pk for row in rows}
    history: dict[int, list[Measurement]] = {}
    for m in Measurement.objects.filter(child_id__in=child_ids).only(
        "pk", "child_id", "measured_on", "weight_kg", "height_cm", "flags", "confirmed_at"
    ):
        history.setdefault(m.child_id, []).append(m)
    existing = {(m.child_id, m.measured_on): m for ms in history.values() for m in ms}
    # The file's own rows count as earlier measurements of their child (they replace the day's row).
    timeline: dict[int, dict[datetime.date, Measurement]] = {}
    for child_id, ms in history.items():
        timeline[child_id] = {m.measured_on: m for m in ms}
    for row in rows:
        timeline.setdefault(row.child.pk, {})[row.measured_on] = Measurement(
            child_id=row.child.pk, measured_on=row.measured_on, weight_kg=row.weight_kg, height_cm=row.height_cm
        )
    settings = health_settings_for(school_id)
    for row, result in zip(rows, results, strict=True):
        row.growth = result
        days = timeline.get(row.child.pk, {})
        earlier = [d for d in days if d < row.measured_on]
        previous = days[max(earlier)] if earlier else None
        flags = list(result.implausible)
        messages = [flag_message(code) for code in flags]
        more_flags, more_messages = _change_flags(
            weight_kg=row.weight_kg,
            height_cm=row.height_cm,
            settings=settings,
            previous=previous,
        )
        row.flags, row.messages = flags + more_flags, messages + more_messages
        row.corrects = existing.get((row.child.pk, row.measured_on))


# --- The service


GROWTH_FIELDS = [
    "age_days",
    "computed_sex",
    "reference",
    "z_wfa",
    "z_hfa",
    "z_wfh",
    "z_bmi",
    "bmi",
    "wfa_level",
    "hfa_level",
    "wfh_level",
    "bmi_level",
]
UPDATED_FIELDS = [
    "weight_kg",
    "height_cm",
    "position",
    "muac_cm",
    "place",
    "measured_by",
    "measured_by_name",
    "note",
    *GROWTH_FIELDS,
    "flags",
    "confirmed_by",
    "confirmed_at",
    "updated_at",
]


def _measurement_from(row: ImportRow, measurement: Measurement, *, now) -> Measurement:
    from health.services import apply_growth

    measurement.weight_kg, measurement.height_cm, measurement.position = row.weight_kg, row.height_cm, row.position
    measurement.muac_cm, measurement.note = row.muac_cm, row.note
    measurement.place = Place.HEALTH_STATION
    measurement.measured_by, measurement.measured_by_name = None, row.measured_by_name
    apply_growth(measurement, row.growth)
    measurement.flags = row.flags
    # The station's values are new values: flagged ones wait for the nurse to confirm them.
    measurement.confirmed_by, measurement.confirmed_at = None, None
    measurement.updated_at = now
    return measurement


def rows_save(*, by, school_id: int, rows: Sequence[ImportRow]) -> tuple[int, int]:
    """Save checked rows in one transaction: (created, updated). The day's existing rows are corrected."""
    now = timezone.now()
    with transaction.atomic():
        # Read the day's rows again under lock: what the preview saw may have changed since.
        keys = {(row.child.pk, row.measured_on) for row in rows}
        child_ids = {child_id for child_id, _day in keys}
        current = {
            (m.child_id, m.measured_on): m
            for m in Measurement.objects.select_for_update().filter(
                child_id__in=child_ids, measured_on__in={day for _cid, day in keys}
            )
        }
        to_create, to_update = [], []
        for row in rows:
            found = current.get((row.child.pk, row.measured_on))
            if found is not None:
                to_update.append(_measurement_from(row, found, now=now))
            else:
                to_create.append(
                    _measurement_from(
                        row,
                        Measurement(
                            school_id=school_id,
                            child_id=row.child.pk,
                            measured_on=row.measured_on,
                            entered_by=by,
                            created_at=now,
                        ),
                        now=now,
                    )
                )
        Measurement.objects.bulk_create(to_create, batch_size=1000)
        Measurement.objects.bulk_update(to_update, UPDATED_FIELDS, batch_size=1000)
    return len(to_create), len(to_update)


def station_import(*, by, school_id: int, data: bytes, name: str = "", save: bool = False, today=None) -> ImportResult:
    """Read and check a station's CSV file; with `save`, save every row when all are right.

    The caller checks that `by` may manage the school's health work (`health.policies.can_manage_health`).
    """
    try:
        text = file_text(data, name)
    except ImportFileError as exc:
        return ImportResult(problems=[Problem(None, "", str(exc))])
    raw_rows, problems = rows_read(text)
    if problems:
        return ImportResult(problems=problems)
    result = rows_check(school_id, raw_rows, today=today)
    if result.ok and save:
        result.created, result.updated = rows_save(by=by, school_id=school_id, rows=result.rows)
        result.saved = result.created + result.updated
    return result
