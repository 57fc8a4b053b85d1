"""The summary job: every section's figures per school and month, replaced whole."""

import datetime as dt

import pytest

from reports import building
from reports.models import Figure
from reports.sections import Metric, Section
from tests import factories as f

pytestmark = pytest.mark.django_db


def _section(rows, *, key="fake"):
    calls = []

    def figures(*, school_ids, start, end):
        calls.append((tuple(school_ids), start, end))
        for school_id, group, metric, value in rows:
            if school_id in school_ids:
                yield school_id, group, metric, value

    section = Section(key=key, title="Fake", order=1, metrics=(Metric("posted", "Posted"),), figures=figures)
    return section, calls


def test_a_month_is_built_for_every_school_and_replaces_what_was_there(monkeypatch):
    one, two = f.SchoolFactory(), f.SchoolFactory()
    section, calls = _section([(one.pk, "", "posted", 3), (two.pk, "", "posted", 7), (one.pk, "Lá 1", "posted", 3)])
    monkeypatch.setattr(building, "sections", lambda: [section])

    building.figures_build(months=[dt.date(2026, 9, 1)])
    assert calls == [((one.pk, two.pk), dt.date(2026, 9, 1), dt.date(2026, 9, 30))]
    assert set(Figure.objects.values_list("school_id", "group", "value")) == {
        (one.pk, "", 3),
        (two.pk, "", 7),
        (one.pk, "Lá 1", 3),
    }

    section, _calls = _section([(one.pk, "", "posted", 4)])
    monkeypatch.setattr(building, "sections", lambda: [section])
    building.figures_build(months=[dt.date(2026, 9, 1)])
    assert list(Figure.objects.values_list("school_id", "group", "value")) == [(one.pk, "", 4)]


def test_a_section_that_fails_leaves_its_old_figures_and_the_others_are_built(monkeypatch):
    school = f.SchoolFactory()
    good, _ = _section([(school.pk, "", "posted", 5)], key="good")
    building.section_build(section=good, month=dt.date(2026, 10, 1), school_ids=[school.pk])

    def broken(*, school_ids, start, end):
        raise RuntimeError("the app's tables are not there")

    bad = Section(key="bad", title="Bad", order=2, metrics=(Metric("posted", "Posted"),), figures=broken)
    fresh, _ = _section([(school.pk, "", "posted", 6)], key="fresh")
    monkeypatch.setattr(building, "sections", lambda: [bad, fresh])
    building.figures_build(months=[dt.date(2026, 10, 1)])
    assert dict(Figure.objects.values_list("section", "value")) == {"good": 5, "fresh": 6}


def test_a_section_that_gives_an_undeclared_figure_is_refused():
    school = f.SchoolFactory()
    section, _ = _section([(school.pk, "", "invented", 1)])
    with pytest.raises(ValueError, match="undeclared"):
        building.section_build(section=section, month=dt.date(2026, 9, 1), school_ids=[school.pk])
    assert not Figure.objects.exists()


def test_the_month_before_is_rebuilt_in_the_first_days():
    assert building.months_to_build(today=dt.date(2026, 12, 3)) == [dt.date(2026, 11, 1), dt.date(2026, 12, 1)]
    assert building.months_to_build(today=dt.date(2026, 12, 20)) == [dt.date(2026, 12, 1)]
