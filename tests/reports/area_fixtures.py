"""Fixtures of the authorities' dashboard tests, imported by them (tests/reports/conftest.py is the school
report's)."""

from __future__ import annotations

import sys

import pytest

from tests.reports import fake_sections


@pytest.fixture
def fake_section(monkeypatch):
    """Reports find one section, "reports" (the app's label), with the figures the test puts in FIGURES."""
    monkeypatch.setitem(sys.modules, "reports.report_sections", fake_sections)
    monkeypatch.setattr(fake_sections, "FIGURES", [])
    return fake_sections
