"""A child's feed page, kept in the cache until something shown on it changes.

Families open the feed far more often than teachers post, so a page of it is
rendered once and then served from the cache, kept with the versions it was
rendered under (read in the same round trip as the page): a version of
the class (bumped when an activity of the class is published, changed or removed)
and a version of the child (bumped when the family answers, opens an activity, or
a teacher replies or decides on the sharing). Within a page, each activity's card
is itself cached by content (activities.fragments), so a new answer re-renders
the page but not its videos' cards.

With the in-process cache of the embedded default, each process has its own
copy: pages also expire after PAGE_SECONDS, which bounds how stale a page served
by another process may be. With Redis (production) a bump is seen at once.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import get_language

from activities import fragments, selectors
from coordination.lib import percache
from coordination.lib.fragments import compact_html

PAGE_SECONDS = 120
PER_PAGE = 10  # activities on a page of the feed
VERSION_SECONDS = 7 * 24 * 3600
ITEMS_TEMPLATE = "activities/_feed_items.html"


def _class_key(classroom_id: int) -> str:
    return f"activities:feed:class:{classroom_id}"


def _child_key(child_id: int) -> str:
    return f"activities:feed:child:{child_id}"


def _page_key(child_id: int, page: int, per_page: int, language: str) -> str:
    return f"activities:feed:page:{child_id}:{page}:{per_page}:{language}"


def _versions(keys: list[str], found: dict) -> list[str]:
    """The current version of each key (from `found`, read with the page), starting those not there."""
    found = {key: found[key] for key in keys if key in found}
    for key in keys:
        if key not in found:
            # Two requests may start a version at once; the first one's stands.
            cache.add(key, uuid.uuid4().hex[:12], VERSION_SECONDS)
            found[key] = cache.get(key) or "0"
            percache.note({key: found[key]})
    return [found[key] for key in keys]


_FEED_PATH = re.compile(r"/children/(\d+)/activities/")


def read_ahead(request) -> list[str]:
    """On a feed's address, its page and the child's version are read with the person's values
    (coordination/lib/percache.py); the class's version follows with the family's children
    (`read_next`)."""
    match = _FEED_PATH.fullmatch(request.path_info)
    if match is None:
        return []
    number = request.GET.get("page", "")
    number = max(1, int(number)) if number.isdigit() else 1
    child_id = int(match.group(1))
    language = getattr(request, "LANGUAGE_CODE", "") or get_language()
    return [_page_key(child_id, number, PER_PAGE, language), _child_key(child_id)]


def read_next(*, child_id: int, page: int, per_page: int, language: str) -> list[str]:
    """The class version the page read ahead was rendered under: read it with whatever the page
    reads next (a guess; the page reads the right one anyway)."""
    key = _page_key(child_id, page, per_page, language)
    if not percache.has_read(key):
        return []
    cached = percache.read_many([key]).get(key)
    return [_class_key(cached["classroom"])] if cached and cached.get("classroom") else []


def feed_forget(*, classroom_ids: Iterable[int] = (), child_ids: Iterable[int] = ()) -> None:
    """Drop the cached pages of these classes and children: now, and again once the change is
    committed (so that a page read meanwhile from the old data is not kept)."""
    keys = [_class_key(pk) for pk in set(classroom_ids)] + [_child_key(pk) for pk in set(child_ids)]
    if not keys:
        return
    cache.delete_many(keys)
    percache.note(dict.fromkeys(keys))  # gone for the rest of this request too
    transaction.on_commit(lambda: cache.delete_many(keys))


def feed_page(*, child, page: int, per_page: int, language: str) -> dict:
    """The page's rendered activities (`html`), and whether older ones follow (`has_next`).

    The page is kept under a key of its own with the class and the versions it was rendered under,
    read together with the current versions: ahead, with the person's values and the family's
    children (`read_ahead`, `read_next`), or in one round trip here."""
    version_keys = [_class_key(child.classroom_id), _child_key(child.pk)]
    key = _page_key(child.pk, page, per_page, language)
    found = percache.read_many([*version_keys, key])
    versions = _versions(version_keys, found)
    cached = found.get(key)
    if cached is not None and cached.get("classroom") == child.classroom_id and cached.get("versions") == versions:
        return cached
    found = selectors.activity_feed(child=child, page=page, per_page=per_page)
    fragments.feed_cards(found.activities, language=language)
    cached = {
        "html": compact_html(render_to_string(ITEMS_TEMPLATE, {"page": found, "child": child})),
        "has_next": found.has_next,
        "count": len(found.activities),
        "classroom": child.classroom_id,
        "versions": versions,
    }
    cache.set(key, cached, PAGE_SECONDS)
    percache.note({key: cached})
    return cached
