"""Backfill: `manage.py reports_build [--year 2026] [--months N]`.

Without options it does the nightly job's work (the current month, and the one before in the first days
of a month). `--year 2026` rebuilds the school year 2026–2027 up to this month, `--months 6` the last six
months; then the authorities' published tables of every school year touched."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports import periods
from reports.area import areas_build
from reports.building import figures_build, months_to_build


class Command(BaseCommand):
    help = "Rebuilds the report figures and the authorities' published tables."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="The calendar year a school year starts in (2026 for 2026–2027).")
        parser.add_argument("--months", type=int, help="The number of months up to this one.")

    def handle(self, *args, year=None, months=None, **options):
        today = timezone.localdate()
        this_month = today.replace(day=1)
        if year is not None:
            chosen = [m for m in periods.year_period(year).months() if m <= this_month]
            if months:
                chosen = chosen[-months:]
        elif months is not None:
            if months < 1:
                raise CommandError("--months must be 1 or more.")
            chosen = [this_month]
            while len(chosen) < months:
                chosen.insert(0, periods.month_of(chosen[0] - datetime.timedelta(days=1)).start)
        else:
            chosen = months_to_build(today=today)
        if not chosen:
            raise CommandError("That school year has not started yet.")
        figures = figures_build(months=chosen)
        published = areas_build(year_starts=sorted({periods.year_start_of(month) for month in chosen}))
        self.stdout.write(
            f"{len(chosen)} months ({chosen[0]:%Y-%m} to {chosen[-1]:%Y-%m}): "
            f"{figures} figures, {published} published cells."
        )
