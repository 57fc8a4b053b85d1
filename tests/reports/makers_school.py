"""What the school report's tests share: report sections of their own (not the apps' `report_sections`
modules, so that the figures are the tests' own), a participation section with a rate and a target and a
contributions section in đồng; a term of figures at Sao Mai; and the portal read in English.

A test module imports the two autouse fixtures (`school_report_sections`, `read_in_english`) to use them."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from reports.sections import _section_from

PARTICIPATION = SimpleNamespace(
    ORDER=10,
    TITLE="Home activities",
    METRICS=[
        {"key": "posted", "label": "Activities posted", "kind": "count"},
        {"key": "expected", "label": "Answers expected", "kind": "count"},
        {"key": "answered", "label": "Answers given", "kind": "count"},
        {"key": "children", "label": "Children on the portal", "kind": "stock"},
    ],
    RATES=[
        {
            "key": "answer_rate",
            "label": "Answer rate",
            "numerator": "answered",
            "denominator": "expected",
            "target": (60, 70),
        }
    ],
    BREAKDOWN="Class",
    figures=lambda **_kw: iter(()),
)
GIVING = SimpleNamespace(
    ORDER=20,
    TITLE="Contributions",
    METRICS=[{"key": "received", "label": "Received", "kind": "money"}],
    BREAKDOWN="Campaign",
    figures=lambda **_kw: iter(()),
)


def fake_sections(*modules) -> list:
    found = [_section_from(f"fake_{n}", module) for n, module in enumerate(modules)]
    return sorted(found, key=lambda section: (section.order, section.key))


PARTICIPATION_KEY, GIVING_KEY = "fake_0", "fake_1"


@pytest.fixture(autouse=True)
def school_report_sections(monkeypatch):
    """The sections every report of these tests shows."""
    found = fake_sections(PARTICIPATION, GIVING)
    monkeypatch.setattr("reports.selectors.sections", lambda: found)
    return found


@pytest.fixture(autouse=True)
def read_in_english(request, settings):
    with translation.override("en"):
        if "client" in request.fixturenames:
            request.getfixturevalue("client").cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        if "world" in request.fixturenames:
            from accounts.models import User

            request.getfixturevalue("world")
            User.objects.update(language="en")
        yield


def figure(school, month: str, section: str, metric: str, value: int, *, group: str = "", computed_at=None):
    from reports.models import Figure

    year, number = month.split("-")
    return Figure.objects.create(
        school=school,
        month=datetime.date(int(year), int(number), 1),
        section=section,
        metric=metric,
        group=group,
        value=value,
        computed_at=computed_at or timezone.now(),
    )


# Term I of 2026–2027 at Sao Mai: answer rate 39 of 60 (65 %, within 60–70 %); October alone 55 %.
TERM_ONE = {
    "2026-09": {"posted": 4, "expected": 20, "answered": 13, "children": 30},
    "2026-10": {"posted": 6, "expected": 20, "answered": 11, "children": 32},
    "2026-11": {"posted": 5, "expected": 20, "answered": 15},  # no stock this month: October's stands
}
CLASSES = {
    "Lá 1": {"expected": 20, "answered": 12},
    "Chồi 1": {"expected": 10, "answered": 3},  # a small count: "< 5" outside the school
}


def term_one_figures(school) -> None:
    for month, values in TERM_ONE.items():
        for metric, value in values.items():
            figure(school, month, PARTICIPATION_KEY, metric, value)
    for group, values in CLASSES.items():
        for metric, value in values.items():
            figure(school, "2026-10", PARTICIPATION_KEY, metric, value, group=group)
    figure(school, "2026-10", GIVING_KEY, "received", 1_500_000)
    figure(school, "2026-10", GIVING_KEY, "received", 1_500_000, group="Lò nướng cho bếp")
