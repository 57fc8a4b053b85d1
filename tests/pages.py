"""Counting a page's queries, as the query-count tests of the pages do."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coordination.lib import fragments


def page_queries(client, url: str, *, kept: bool = False) -> int:
    """The queries of a page opened a second time: the person's values are in the cache by then.

    The parts of pages kept in the cache (coordination/lib/fragments.py) are rendered again unless
    `kept`: that is what a page costs after any change, and what must not grow with the data.
    """
    client.get(url)
    if not kept:
        fragments.people_changed([client.session.get(SESSION_KEY, "anonymous")])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)
