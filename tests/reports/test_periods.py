"""Months, terms and school years: the periods a report covers."""

import datetime as dt

import pytest

from reports import periods


def test_a_school_year_runs_august_to_july_in_two_terms():
    year = periods.year_period(2026)
    assert (year.start, year.end) == (dt.date(2026, 8, 1), dt.date(2027, 7, 31))
    one, two = periods.children_of(year)
    assert (one.start, one.end) == (dt.date(2026, 8, 1), dt.date(2026, 12, 31))
    assert (two.start, two.end) == (dt.date(2027, 1, 1), dt.date(2027, 7, 31))
    assert len(one.months()) == 5 and len(two.months()) == 7
    assert len(year.months()) == 12


def test_a_day_belongs_to_the_school_year_it_falls_in():
    assert periods.term_of(dt.date(2027, 3, 15)).key == "2026-t2"
    assert periods.term_of(dt.date(2026, 9, 5)).key == "2026-t1"
    assert periods.month_of(dt.date(2026, 12, 31)).end == dt.date(2026, 12, 31)
    assert periods.month_of(dt.date(2027, 2, 10)).end == dt.date(2027, 2, 28)
    assert periods.month_of(dt.date(2027, 2, 10)).year_start == 2026


@pytest.mark.parametrize("key", ["2026-09", "2026-t1", "2026-t2", "2026"])
def test_a_key_reads_back_as_its_period(key):
    assert periods.parse(key).key == key


@pytest.mark.parametrize("key", ["", "2026-t3", "26-09", "2026-13", "2026-9", "abcd", "2026-tx"])
def test_a_key_that_is_no_period_is_refused(key):
    with pytest.raises(ValueError):
        periods.parse(key)


def test_a_term_is_made_of_its_months():
    months = periods.children_of(periods.parse("2026-t1"))
    assert [month.key for month in months] == ["2026-08", "2026-09", "2026-10", "2026-11", "2026-12"]
    assert periods.children_of(months[0]) == []
