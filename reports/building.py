"""Builds the summary tables: every app's figures per school and month (`reports.models.Figure`).

The nightly job rebuilds the current month (and the month before, for a few days, so that late entries
land), and `manage.py reports_build` any range. A section is asked for many schools at once and answers
with a fixed number of queries; its rows for those schools and that month are replaced in one
transaction, so a report never shows half a section.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from reports import periods
from reports.models import Figure
from reports.sections import Section, section_figures, sections
from schools.models import School

logger = logging.getLogger(__name__)

CHUNK = 100  # schools asked at once: big enough to keep the queries few, small enough for one transaction


def _chunks(ids: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def section_build(*, section: Section, month: datetime.date, school_ids: list[int]) -> int:
    """Replaces one section's figures of one month for these schools; the number of rows written."""
    period = periods.month_of(month)
    now = timezone.now()
    rows = {}
    for school_id, group, metric, value in section_figures(
        section, school_ids=school_ids, start=period.start, end=period.end
    ):
        key = (school_id, group, metric)
        rows[key] = rows.get(key, 0) + value
    with transaction.atomic():
        Figure.objects.filter(school_id__in=school_ids, month=period.start, section=section.key).delete()
        Figure.objects.bulk_create(
            Figure(
                school_id=school_id,
                month=period.start,
                section=section.key,
                metric=metric,
                group=group,
                value=value,
                computed_at=now,
            )
            for (school_id, group, metric), value in rows.items()
        )
    return len(rows)


def figures_build(*, months: list[datetime.date], school_ids: list[int] | None = None, chunk: int = CHUNK) -> int:
    """Rebuilds every section's figures for these months (all schools unless given); rows written.

    A section that fails is logged and left as it was, never the other sections."""
    if school_ids is None:
        school_ids = list(School.objects.order_by("pk").values_list("pk", flat=True))
    written = 0
    for month in months:
        for section in sections():
            for ids in _chunks(school_ids, chunk):
                try:
                    written += section_build(section=section, month=month, school_ids=ids)
                except Exception:
                    logger.exception("report section %s failed for %s", section.key, month)
    return written


def months_to_build(*, today: datetime.date, settle_days: int = 5) -> list[datetime.date]:
    """The current month, and the month before during the first days of a month."""
    first = today.replace(day=1)
    months = [first]
    if today.day <= settle_days:
        months.insert(0, (first - datetime.timedelta(days=1)).replace(day=1))
    return months
