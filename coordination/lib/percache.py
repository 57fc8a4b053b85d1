"""Per-person values kept in the cache between requests: who someone is, what they hold, their
children, their unread notices. Read on every page, changed rarely.

Each value has a key per person and is forgotten when what it is made of changes: by the signals of
the core apps' `caching.py` modules (saves and deletions) and by explicit calls where a service
changes rows with `update()` or `bulk_create()`, which send no signal. A key is forgotten at once
and again when the transaction commits, so that a request that read the old rows in the meantime
cannot leave them in the cache.

The cache must be shared by every process that serves requests (Redis in production, see
REDIS_URL); the in-process cache of the embedded default serves one process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction

# How long a value may live without being read again; changes forget it long before.
TIMEOUT = 15 * 60
# Part of every key: a change of what a value holds changes this, so old values are never read.
VERSION = 1


def key(kind: str, person_id) -> str:
    return f"person:{VERSION}:{kind}:{person_id}"


def remember(kind: str, person_id, make: Callable[[], object]):
    """The cached value, or `make()` kept for next time."""
    name = key(kind, person_id)
    value = cache.get(name)
    if value is None:
        value = make()
        cache.set(name, value, TIMEOUT)
    return value


def forget(kind: str, person_ids: Iterable) -> None:
    """Forget the values of these people, now and when the transaction commits."""
    names = [key(kind, person_id) for person_id in {pk for pk in person_ids if pk is not None}]
    if not names:
        return
    cache.delete_many(names)
    transaction.on_commit(lambda: cache.delete_many(names))
