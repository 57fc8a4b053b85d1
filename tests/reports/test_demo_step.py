"""The demo step "reports" on its own: figures built for the term's months, Sao Mai's report acknowledged
with a comment, Hoa Sen's waiting; run again, it adds nothing."""

from __future__ import annotations

import random
from types import SimpleNamespace

import pytest

from coordination.lib.demo import DemoContext
from reports import demo
from reports.models import AreaFigure, Figure, Submission, SubmissionEvent
from tests import factories as f
from tests.reports.makers_school import fake_sections, read_in_english, school_report_sections  # noqa: F401 (autouse fixtures)

pytestmark = pytest.mark.django_db


def _figures(*, school_ids, start, end):
    for school_id in school_ids:
        yield school_id, "", "answered", 12
        yield school_id, "Lá 1", "answered", 7


DEMO_SECTION = SimpleNamespace(
    ORDER=10, TITLE="Home activities", METRICS=[{"key": "answered", "label": "Answers given"}], figures=_figures
)


def test_the_demo_submits_both_schools_reports_once(world, monkeypatch, django_capture_on_commit_callbacks):
    found = fake_sections(DEMO_SECTION)
    monkeypatch.setattr("reports.building.sections", lambda: found)
    monkeypatch.setattr("reports.selectors.sections", lambda: found)
    monkeypatch.setattr("reports.area.sections", lambda: found)
    f.AuthorityOfficerFactory(authority=world.school.authority, user=f.UserFactory(email=demo.OFFICER))
    context = DemoContext(rng=random.Random(1), log=lambda _line: None)
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed_reports(context)
    sao_mai = Submission.objects.get(school=world.school)
    hoa_sen = Submission.objects.get(school=world.other_school)
    assert sao_mai.status == "acknowledged" and hoa_sen.status == "submitted"
    kinds = list(SubmissionEvent.objects.filter(submission=sao_mai).values_list("kind", flat=True))
    assert kinds == ["submitted", "opened", "acknowledged", "commented"]
    # The officers' dashboards have the term's figures of both schools (Sao Mai's ward is in a province).
    published = AreaFigure.objects.filter(row_kind=AreaFigure.Row.SCHOOL, metric="answered")
    assert set(published.values_list("school_id", flat=True)) >= {world.school.pk}
    counts = (Figure.objects.count(), Submission.objects.count(), SubmissionEvent.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed_reports(context)
    assert (Figure.objects.count(), Submission.objects.count(), SubmissionEvent.objects.count()) == counts


def test_without_figures_the_demo_submits_nothing(world, monkeypatch):
    monkeypatch.setattr("reports.building.sections", list)
    demo.seed_reports(DemoContext(rng=random.Random(1), log=lambda _line: None))
    assert not Submission.objects.exists()
