"""The page-panel registry: features add blocks to a slot of a core page, in order, without the core knowing them."""

from __future__ import annotations

import pytest

from coordination.lib import panels


@pytest.fixture
def slot(monkeypatch):
    # An empty registry: the installed features' panels are not this test's.
    monkeypatch.setattr(panels, "_registry", {name: [] for name in panels.SLOTS})
    return "school_public"


def _first(request, obj):
    return f"<p>first {obj}</p>"


def _second(request, obj):
    return "<p>second</p>"


def _empty(request, obj):
    return "  "


def test_panels_come_in_order_and_empty_ones_are_left_out(slot):
    panels.register(slot, _second, order=90)
    panels.register(slot, _empty, order=80)
    panels.register(slot, _first, order=70)
    panels.register(slot, _first, order=70)  # an app readied twice adds nothing
    assert panels.panels_for(slot, None, "Sao Mai") == ["<p>first Sao Mai</p>", "<p>second</p>"]


def test_an_unknown_slot_is_refused():
    with pytest.raises(ValueError, match="unknown page-panel slot"):
        panels.register("nowhere", _first)
