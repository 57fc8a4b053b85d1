"""Measurements, check-ups and reads for the record tests (tests/health/test_record*.py, test_charts.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from health.models import CheckUp, FamilyNote, HealthRead
from health.services import measurement_record

# Khôi (world.child) was born on 4 May 2021: these days are at 53, 58 and 65 months, across 60.
DAYS_ACROSS_60 = [
    (datetime.date(2025, 10, 6), "16.0", "103.0"),
    (datetime.date(2026, 3, 9), "16.9", "106.5"),
    (datetime.date(2026, 10, 5), "18.0", "111.0"),
]


def measure(child, by, on: datetime.date, weight: str | None, height: str | None, **kwargs):
    measurement, _checked = measurement_record(
        by=by,
        child=child,
        measured_on=on,
        weight_kg=Decimal(weight) if weight else None,
        height_cm=Decimal(height) if height else None,
        check_access=False,
        **kwargs,
    )
    return measurement


def measure_many(child, by, count: int, *, start=datetime.date(2023, 6, 1), step_days: int = 40):
    """`count` measurements of a growing child, `step_days` apart."""
    rows = []
    for index in range(count):
        weight = Decimal("12.0") + Decimal("0.15") * index
        height = Decimal("88.0") + Decimal("0.6") * index
        rows.append(measure(child, by, start + datetime.timedelta(days=step_days * index), str(weight), str(height)))
    return rows


def checkups_make(child, count: int, *, provider="Trạm Y tế phường Thủy Nguyên"):
    return [
        CheckUp.objects.create(
            school=child.school,
            child=child,
            on=datetime.date(2026, 1, 1) + datetime.timedelta(days=30 * index),
            provider=provider,
            done=True,
            findings=f"Răng sâu nhẹ {index}",
            advice="Đánh răng hai lần mỗi ngày",
        )
        for index in range(count)
    ]


def reads_make(child, reader, count: int):
    return HealthRead.objects.bulk_create(
        HealthRead(
            school=child.school,
            child=child,
            reader=reader,
            reader_name=reader.full_name,
            reader_role="nurse",
            page=HealthRead.Page.RECORD,
        )
        for _ in range(count)
    )


def note_write(child, by, text="Bé ăn ngoan, cô theo dõi cân nặng cùng gia đình."):
    return FamilyNote.objects.create(school=child.school, child=child, text=text, written_by=by)


def attachment_make(checkup, by, title: str, *, stored: bool = True):
    """A photo of the station's report kept with a check-up (`stored` False: still uploading)."""
    from health.models import CheckUpAttachment
    from mediafiles.models import Audience, Kind, MediaFile, State

    media = MediaFile.objects.create(
        school=checkup.school,
        uploaded_by=by,
        audience=Audience.STAFF,
        kind=Kind.IMAGE,
        state=State.READY if stored else State.UPLOADING,
        original_name="phieu-kham.jpg",
        content_type="image/jpeg",
        size=1000,
        received=1000 if stored else 0,
        original=f"schools/{checkup.school_id}/phieu-kham.jpg" if stored else "",
    )
    return CheckUpAttachment.objects.create(school=checkup.school, checkup=checkup, media=media, title=title)
