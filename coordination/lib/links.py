"""Links that feature apps add to the core's pages.

The core's pages (a family's home, a child's page, a class, a teacher's and a principal's home)
show what the installed features offer without knowing them: a feature registers its links for a
slot in its `AppConfig.ready()`, and the page asks for the slot's links with `{% page_links %}`.
Removing an app removes its links.

A family's home shows two kinds of children: those the person looks after as a guardian, and those
they follow as an invited family viewer (a grandparent: read-only, no consent, pick-up, health or
contacts). A viewer's card asks for the slot with `follower=True` and gets only the links that say
`followers=True`, and of those only the ones whose `visible(user, child)` agrees (for example
`parents.policies.can_follow_child`). A link that says nothing is never shown to a viewer, so a new
feature does not open a page to them by forgetting to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Where a link can go, and what the page passes as its object.
SLOTS = {
    "family_child": "a child's card on the family's home page (the child), a viewer's too if followers=True",
    "child": "a child's page, for the family (the child)",
    "staff_child": "a child's page, for the staff who may see the child (the child)",
    "teacher": "the top of a teacher's home page (nothing)",
    "classroom": "a class, on the teacher's home and the class page (the class)",
    "school": "a leader's home page (the school)",
    "school_public": "the school's public page, for everyone, signed in or not (the school)",
    "authority": "an authority's page, for its officers: figures only, never a child (the authority)",
    # Evaluated on every page: a link's `visible` must not query the database (read a cache).
    "menu": "the main menu at the top of every page, for a signed-in person (nothing)",
}


@dataclass(frozen=True)
class PageLink:
    label: Any  # a (lazy) translated string
    url: Callable[[Any], str]
    visible: Callable[[Any, Any], bool] | None = None  # (user, object) -> shown?
    order: int = 50
    primary: bool = False
    help_text: Any = ""  # one sentence shown under the links when this one is shown
    # Shown on the cards of children a person follows as a family viewer too (read-only pages only).
    followers: bool = False


_registry: dict[str, list[PageLink]] = {slot: [] for slot in SLOTS}


def register(slot: str, link: PageLink) -> PageLink:
    if slot not in SLOTS:
        raise ValueError(f"unknown page-link slot {slot!r}; one of {sorted(SLOTS)}")
    if link not in _registry[slot]:
        _registry[slot].append(link)
        _registry[slot].sort(key=lambda item: item.order)
    return link


def links_for(slot: str, user, obj=None, *, follower: bool = False) -> list[dict]:
    """The links of a slot that this person may follow, in order: label, url, primary, help text.

    `follower`: the page shows the object to a family viewer, who gets only the links for followers.
    """
    shown = []
    for link in _registry[slot]:
        if follower and not link.followers:
            continue
        if link.visible is not None and not link.visible(user, obj):
            continue
        shown.append({"label": link.label, "url": link.url(obj), "primary": link.primary, "help": link.help_text})
    return shown
