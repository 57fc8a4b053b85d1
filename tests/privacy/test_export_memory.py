"""A family with ten times the rows costs the export no more memory: rows are read a page at a time by key
and streamed into the archive, never gathered in a list."""

from __future__ import annotations

import datetime
import json
import tracemalloc
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portfolio.models import Work
from privacy import exporting
from privacy.declarations import Declaration
from tests.privacy.export_kit import with_declarations

pytestmark = pytest.mark.django_db

WORKS = Declaration(
    app_label="portfolio",
    model_label="portfolio.Work",
    holds="Works of the children (test)",
    purpose="test",
    ground="public_task",
    retention="test",
    child="child",
    actors=("created_by",),
    media=("voice",),
)
PAGE = 100
SMALL = 300


def works_add(child, count: int) -> None:
    Work.objects.bulk_create(
        [
            Work(
                school=child.school,
                child=child,
                classroom=child.classroom,
                title=f"Bức tranh số {n:05d}",
                description="Con vẽ cả nhà đi chơi công viên vào ngày chủ nhật. " * 3,
                domain="aesthetic",
                made_on=datetime.date(2026, 11, 20),
            )
            for n in range(count)
        ],
        batch_size=500,
    )


def peak_of(user, tmp_path, name: str) -> tuple[int, zipfile.ZipFile]:
    target = tmp_path / name
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        exporting.export_write(target, user=user, child_ids=[user._child.pk], now=timezone.now())
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    return peak, zipfile.ZipFile(target)


@pytest.fixture
def small_and_large(world, monkeypatch):
    with_declarations(monkeypatch, WORKS, only=True)
    monkeypatch.setattr(exporting, "PAGE_SIZE", PAGE)
    world.parent._child = world.child
    world.other_parent._child = world.other_class_child
    works_add(world.child, SMALL)
    works_add(world.other_class_child, SMALL * 10)
    return world.parent, world.other_parent


def test_ten_times_the_rows_does_not_need_more_memory(small_and_large, tmp_path):
    small, large = small_and_large
    peak_of(small, tmp_path, "warm-up.zip")  # templates compiled, modules imported
    small_peak, small_zip = peak_of(small, tmp_path, "small.zip")
    large_peak, large_zip = peak_of(large, tmp_path, "large.zip")
    assert len(json.loads(small_zip.read("data/portfolio/work.json"))) == SMALL
    assert len(json.loads(large_zip.read("data/portfolio/work.json"))) == SMALL * 10
    assert large_peak < 2 * small_peak, f"peak {large_peak} bytes for {SMALL * 10} rows, {small_peak} for {SMALL}"


def test_rows_are_read_by_key_a_page_at_a_time(small_and_large, tmp_path):
    _small, large = small_and_large
    with CaptureQueriesContext(connection) as queries:
        exporting.export_write(tmp_path / "large.zip", user=large, child_ids=[large._child.pk], now=timezone.now())
    pages = [q["sql"] for q in queries.captured_queries if 'FROM "portfolio_work"' in q["sql"]]
    assert len(pages) == SMALL * 10 // PAGE + 1  # the last, empty page ends it
    assert all("OFFSET" not in sql.upper() for sql in pages)
    assert all(f"LIMIT {PAGE}" in sql for sql in pages)
    assert all('"portfolio_work"."id" >' in sql for sql in pages[1:])
