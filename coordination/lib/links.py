"""Links that feature apps add to the core's pages.

The core's pages (a family's home, a child's page, a class, a teacher's and a principal's home)
show what the installed features offer without knowing them: a feature registers its links for a
slot in its `AppConfig.ready()`, and the page asks for the slot's links with `{% page_links %}`.
Removing an app removes its links.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Where a link can go, and what the page passes as its object.
SLOTS = {
    "family_child": "a child's card on the family's home page (the child)",
    "child": "a child's page, for the family (the child)",
    "teacher": "the top of a teacher's home page (nothing)",
    "classroom": "a class, on the teacher's home and the class page (the class)",
    "school": "a leader's home page (the school)",
}


@dataclass(frozen=True)
class PageLink:
    label: Any  # a (lazy) translated string
    url: Callable[[Any], str]
    visible: Callable[[Any, Any], bool] | None = None  # (user, object) -> shown?
    order: int = 50
    primary: bool = False
    help_text: Any = ""  # one sentence shown under the links when this one is shown


_registry: dict[str, list[PageLink]] = {slot: [] for slot in SLOTS}


def register(slot: str, link: PageLink) -> PageLink:
    if slot not in SLOTS:
        raise ValueError(f"unknown page-link slot {slot!r}; one of {sorted(SLOTS)}")
    if link not in _registry[slot]:
        _registry[slot].append(link)
        _registry[slot].sort(key=lambda item: item.order)
    return link


def links_for(slot: str, user, obj=None) -> list[dict]:
    """The links of a slot that this person may follow, in order: label, url, primary, help text."""
    shown = []
    for link in _registry[slot]:
        if link.visible is not None and not link.visible(user, obj):
            continue
        shown.append({"label": link.label, "url": link.url(obj), "primary": link.primary, "help": link.help_text})
    return shown
