"""The nightly job and the backfill: the apps' figures, then the authorities' published tables."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from reports import periods
from reports.models import AreaFigure, Figure
from reports.tasks import reports_nightly
from tests.reports import fake_sections
from tests.reports.area_fixtures import fake_section  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_section")]


def test_beat_queues_the_nightly_job_at_half_past_one():
    from coordination.celery import app

    entry = app.conf.beat_schedule["reports-nightly"]
    assert entry["task"] == "reports.tasks.reports_nightly"
    assert entry["schedule"].hour == {1} and entry["schedule"].minute == {30}


def test_the_nightly_job_builds_this_month_and_the_officers_tables(world):
    this_month = timezone.localdate().replace(day=1)
    fake_sections.FIGURES = [
        (world.school.pk, this_month, "", "posted", 3),
        (world.school.pk, this_month, "Lá 1", "posted", 3),
        (world.other_school.pk, this_month, "", "posted", 40),
    ]
    reports_nightly.apply()
    assert Figure.objects.filter(section="reports", month=this_month).count() == 3
    key = periods.month_of(this_month).key
    sao_mai = AreaFigure.objects.get(school=world.school, period=key, section="reports", metric="posted")
    assert (sao_mai.value, sao_mai.shown) == (3, "< 5")
    commune = AreaFigure.objects.get(
        commune=world.school.authority, row_kind="commune", period=key, section="reports", metric="posted"
    )
    assert commune.shown == "< 5"  # the ward has Sao Mai only
    province = AreaFigure.objects.get(
        province=world.school.authority.province, row_kind="province", period=key, section="reports", metric="posted"
    )
    assert province.shown == "< 5"
    # Hoa Sen is in another province: its own table, its own pattern.
    assert AreaFigure.objects.get(school=world.other_school, period=key, section="reports", metric="posted").shown == ""
    assert not AreaFigure.objects.filter(
        section="reports", metric="posted", value=6
    ).exists()  # classes never summed in


def test_the_backfill_rebuilds_a_school_year_and_a_rerun_replaces_its_rows(world):
    fake_sections.FIGURES = [
        (world.school.pk, datetime.date(2025, 9, 1), "", "posted", 12),
        (world.school.pk, datetime.date(2025, 10, 1), "", "posted", 15),
    ]
    call_command("reports_build", "--year", "2025", stdout=io.StringIO())
    rows = AreaFigure.objects.filter(school=world.school, section="reports", metric="posted")
    assert dict(rows.values_list("period", "value")) == {"2025-09": 12, "2025-10": 15, "2025-t1": 27, "2025": 27}
    fake_sections.FIGURES = [(world.school.pk, datetime.date(2025, 9, 1), "", "posted", 20)]
    call_command("reports_build", "--year", "2025", stdout=io.StringIO())
    assert dict(rows.values_list("period", "value")) == {"2025-09": 20, "2025-t1": 20, "2025": 20}


def test_the_backfill_of_the_last_months(world):
    this_month = timezone.localdate().replace(day=1)
    before = periods.month_of(this_month - datetime.timedelta(days=1)).start
    fake_sections.FIGURES = [(world.school.pk, before, "", "posted", 12)]
    call_command("reports_build", "--months", "2", stdout=io.StringIO())
    assert Figure.objects.filter(school=world.school, month=before, metric="posted").exists()
    assert AreaFigure.objects.filter(school=world.school, period=periods.month_of(before).key).exists()
