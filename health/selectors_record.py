"""Reading a child's health record and the school's read log, in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.http import Http404
from django.utils import timezone
from django.utils.formats import number_format

from health import policies
from health.growth import INDICATOR_NAMES, level_words
from health.models import Allergy, CheckUp, CheckUpAttachment, DietaryNeed, FamilyNote, HealthRead, Level, Measurement
from schools.models import Child, School, StaffRole
from schools.selectors import in_schools_of

READS_SHOWN = 50
READS_MONTHS = 12


def child_for_record(*, user, child_id: int) -> Child:
    """The child, if this person may see the health record; otherwise the 404 of a child that does not exist."""
    children = in_schools_of(Child.objects.select_related("school", "classroom"), user=user)
    child = children.filter(pk=child_id).first()
    if child is None or not policies.can_view_health(user, child):
        raise Http404
    return child


def child_for_managing(*, user, child_id: int) -> Child:
    """The child, for the nurse and the leaders of its school; 404 for everyone else."""
    child = child_for_record(user=user, child_id=child_id)
    if not policies.can_manage_health(user, child.school_id):
        raise Http404
    return child


def _z_text(z: float | None) -> str:
    """A z-score with its sign and the portal's decimal mark: "−1,25", "+0,40"."""
    if z is None:
        return ""
    return ("−" if z < 0 else "+") + number_format(abs(z), 2)


@dataclass
class MeasurementRow:
    measurement: Measurement
    scores: list[dict]  # indicator name, z-score text, level words, outside normal?
    by: str

    @property
    def outside(self) -> bool:
        return any(score["outside"] for score in self.scores)


def measurement_rows(measurements) -> list[MeasurementRow]:
    rows = []
    for m in measurements:
        scores = []
        for indicator in ("wfa", "hfa", "wfh", "bmi"):
            z = getattr(m, f"z_{indicator}")
            level = getattr(m, f"{indicator}_level")
            if z is None and not level:
                continue
            scores.append(
                {
                    "indicator": INDICATOR_NAMES[indicator],
                    "z": _z_text(z),
                    "words": level_words(indicator, level) if level else "",
                    "outside": bool(level) and level != Level.NORMAL,
                    "low": level in (Level.LOW, Level.SEVERE_LOW),
                }
            )
        by = (m.measured_by.full_name or m.measured_by.email) if m.measured_by else m.measured_by_name
        rows.append(MeasurementRow(measurement=m, scores=scores, by=by))
    return rows


@dataclass
class Record:
    child: Child
    note: FamilyNote | None
    measurements: list[Measurement]
    rows: list[MeasurementRow]
    allergies: list[Allergy]
    dietary_needs: list[DietaryNeed]
    checkups: list[CheckUp]
    reads: list[HealthRead] = field(default_factory=list)
    reads_count: int = 0
    reads_since: datetime.date | None = None

    @property
    def latest(self) -> MeasurementRow | None:
        return self.rows[-1] if self.rows else None

    @property
    def latest_low(self) -> bool:
        latest = self.latest
        return bool(latest) and any(score["low"] for score in latest.scores)

    @property
    def latest_high(self) -> bool:
        latest = self.latest
        return bool(latest) and any(score["outside"] and not score["low"] for score in latest.scores)

    @property
    def references(self) -> list[str]:
        seen = []
        for m in self.measurements:
            label = m.get_reference_display()
            if label not in seen:
                seen.append(label)
        return seen


def record_for(*, child: Child, with_reads: bool) -> Record:
    """Everything the record page shows: one query per kind of thing, whatever their number."""
    school_id = child.school_id  # every read names the school: one shard under Citus (docs/scaling.md)
    measurements = list(
        Measurement.objects.filter(school_id=school_id, child=child)
        .select_related("measured_by")
        .order_by("measured_on", "pk")
    )
    checkups = list(CheckUp.objects.filter(school_id=school_id, child=child).order_by("-on", "-pk"))
    attachments: dict[int, list] = {}
    # Read even without check-ups: the same number of queries whatever the record holds.
    shown = CheckUpAttachment.objects.filter(school_id=school_id, checkup__child=child)
    for attachment in shown.select_related("media"):
        attachments.setdefault(attachment.checkup_id, []).append(attachment)
    for checkup in checkups:
        checkup.attachment_list = attachments.get(checkup.pk, [])
    record = Record(
        child=child,
        note=FamilyNote.objects.filter(school_id=school_id, child=child).select_related("written_by").first(),
        measurements=measurements,
        rows=measurement_rows(measurements),
        allergies=list(Allergy.objects.filter(school_id=school_id, child=child).order_by("allergen")),
        dietary_needs=list(DietaryNeed.objects.filter(school_id=school_id, child=child).order_by("kind")),
        checkups=checkups,
    )
    if with_reads:
        since = timezone.now() - datetime.timedelta(days=365)
        reads = HealthRead.objects.filter(school_id=school_id, child=child, read_at__gte=since)
        record.reads_count = reads.count()
        record.reads = list(reads.order_by("-read_at", "-pk")[:READS_SHOWN])
        record.reads_since = timezone.localdate(since)
    return record


def role_words(role: str) -> str:
    try:
        return str(StaffRole(role).label)
    except ValueError:
        return role


# --- The school's read log


def school_for_read_log(*, user, slug: str) -> School:
    school = School.objects.filter(slug=slug).first()
    if school is None or not policies.can_read_health_log(user, school.pk):
        raise Http404
    return school


def read_log(*, school: School, child_id: int | None = None, reader_id: int | None = None):
    reads = HealthRead.objects.filter(school=school).select_related("child").order_by("-read_at", "-pk")
    if child_id:
        reads = reads.filter(child_id=child_id)
    if reader_id:
        reads = reads.filter(reader_id=reader_id)
    return reads


def read_log_choices(*, school: School) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The children and the readers that appear in the school's log, for the filters."""
    children = (
        Child.objects.filter(health_reads__school=school)
        .distinct()
        .order_by("full_name")
        .values_list("pk", "full_name")
    )
    readers = (
        HealthRead.objects.filter(school=school, reader__isnull=False)
        .order_by("reader_name", "reader_id")
        .values_list("reader_id", "reader_name")
        .distinct()
    )
    return list(children), list(dict.fromkeys(readers))
