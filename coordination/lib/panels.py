"""Panels that feature apps add to the core's pages.

Like `coordination.lib.links`, but for a block of content rather than a link: the core's page asks
for a slot with `{% page_panels %}` and shows what the installed features render for it, without
knowing them. A feature registers, in its `AppConfig.ready()`, a callable
`(request, obj) -> HTML fragment` (an empty string when it has nothing to show); removing the app
removes its panel. A panel is rendered by the feature's own template, so it escapes what it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SLOTS = {
    "school_public": "the school's public page, for everyone, signed in or not (the school)",
    "school": "a leader's home page (the school)",
}

Render = Callable[[Any, Any], str]  # (request, obj) -> an HTML fragment, "" for nothing


@dataclass(frozen=True)
class Panel:
    render: Render
    order: int = 50


_registry: dict[str, list[Panel]] = {slot: [] for slot in SLOTS}


def register(slot: str, render: Render, *, order: int = 50) -> Panel:
    """Add a panel to a slot (once, however often the app is readied)."""
    if slot not in SLOTS:
        raise ValueError(f"unknown page-panel slot {slot!r}; one of {sorted(SLOTS)}")
    panel = Panel(render=render, order=order)
    if panel not in _registry[slot]:
        _registry[slot].append(panel)
        _registry[slot].sort(key=lambda item: item.order)
    return panel


def unregister(slot: str, render: Render) -> None:
    _registry[slot] = [panel for panel in _registry[slot] if panel.render is not render]


def panels_for(slot: str, request, obj=None) -> list[str]:
    """The fragments of a slot, in order, leaving out the empty ones."""
    fragments = (panel.render(request, obj) for panel in _registry[slot])
    return [fragment for fragment in fragments if fragment and fragment.strip()]
