"""The apps' pages, included at the site's root, each app's set passed over at once by an address that
none of its pages can take.

Every app's URLs are included with an empty prefix (`path("", include(...))`), so Django tries an
address against each app's patterns in turn, one by one and each in Python, until one matches: a page
of one of the last apps walked every pattern of the apps before it (about a hundred), and paid for
each. `section()` includes an app's URLs the same way, with a pattern that first tries the address
against one regular expression made of all the app's patterns, and passes the app over when it does
not match. A pattern matches only an address its regular expression matches, so an app passed over
could not have had the page; the others are tried as before, in the same order. The page found is the
one Django would find, only sooner (tests/coordination/test_routing.py checks it for every page).
"""

from __future__ import annotations

import re

from django.urls import include, path
from django.urls.resolvers import RegexPattern, RoutePattern, URLResolver

_NOT_YET = object()
_GROUP_NAME = re.compile(r"\(\?P<[^>]+>")


def any_of(patterns) -> re.Pattern | None:
    """One regular expression that matches every address one of these patterns may take (and maybe
    a few more), or None when it cannot be made: then the app is never passed over."""
    alternatives = _alternatives(patterns)
    if alternatives is None:
        return None
    try:
        return re.compile("|".join(alternatives))
    except re.error:  # flags in the middle of a pattern, for instance
        return None


def _alternatives(patterns) -> list[str] | None:
    alternatives = []
    for pattern in patterns:
        kind = pattern.pattern
        if isinstance(kind, RoutePattern):
            written = kind._route
        elif isinstance(kind, RegexPattern):
            written = kind._regex
        else:
            return None  # a language prefix, or a pattern of another kind
        if not isinstance(written, str):
            return None  # a translated route has one expression per language
        regex = kind.regex.pattern
        if isinstance(pattern, URLResolver) and regex in ("", "^"):
            inner = _alternatives(pattern.url_patterns)  # an include without prefix: its patterns tell
            if inner is None:
                return None
            alternatives.extend(inner)
            continue
        if "(?P=" in regex:
            return None  # a back reference to a group, which an alternation would rename
        # Unnamed groups: several patterns may name theirs alike.
        alternatives.append(f"(?:{_GROUP_NAME.sub('(?:', regex)})")
    return alternatives


class SectionPattern(RoutePattern):
    """The empty route of an app's include, which refuses at once an address none of the app's
    pages can take."""

    def __init__(self, resolver: URLResolver):
        super().__init__("", is_endpoint=False)
        self._resolver = resolver
        self._any = _NOT_YET

    def match(self, path):
        found = self._any
        if found is _NOT_YET:  # the app's URLs are imported on first use, as Django's are
            found = self._any = any_of(self._resolver.url_patterns)
        if found is not None and found.search(path) is None:
            return None
        return path, (), {}


def section(urlconf: str) -> URLResolver:
    """`path("", include(urlconf))`, passed over by the addresses none of its pages can take."""
    resolver = path("", include(urlconf))
    resolver.pattern = SectionPattern(resolver)
    return resolver
