"""Per-person values kept in the cache between requests: who someone is, what they hold, their
children, their unread notices. Read on every page, changed rarely.

Each value has a key per person and is forgotten when what it is made of changes: by the signals of
the core apps' `caching.py` modules (saves and deletions) and by explicit calls where a service
changes rows with `update()` or `bulk_create()`, which send no signal. A key is forgotten at once
and again when the transaction commits, so that a request that read the old rows in the meantime
cannot leave them in the cache.

The cache must be shared by every process that serves requests (Redis in production, see
REDIS_URL); the in-process cache of the embedded default serves one process.

Within a request, all of a person's values are read from the cache in one round trip as soon as the
person is known (`prefetch`, called by accounts.caching's middleware), instead of one trip each; a
feature adds a value of its own to that read with `read_along`.

A page's kept parts are named after what only those values tell (the person's schools, a work's
school), so they would cost a trip of their own. So the keys a page read after the person's values are
remembered, per session and address, in the cache itself (`ahead_name`), and that list is read with
the session (coordination/lib/session_cached_db.py): the next visit reads them with the person's
values, in whichever process it lands. A page of nobody signed in has no session: each process learns
its late keys per address instead (`_Learned`), the same for every visitor. Either way a key read
ahead is a guess only: one no longer asked for is dropped, and one not guessed is read as before.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction

from coordination.lib import fragments

# How long a value may live without being read again; changes forget it long before.
TIMEOUT = 15 * 60
# Part of every key: a change of what a value holds changes this, so old values are never read.
VERSION = 3


# How long the keys a page read late are remembered for a session and address (renewed when they change).
AHEAD_SECONDS = 24 * 60 * 60

# The core's values, read together by `prefetch`.
KINDS = ("user", "access", "family", "unread")
# Features' keys read along with them: callables person id -> cache key.
_along: list[Callable[[object], str]] = []
# Features' keys read along with them on some addresses: callables request -> cache keys (usually none).
_along_request: list[Callable[[object], Iterable[str]]] = []
# What this request read in one go: key -> value, None for a key the cache did not have.
_read: ContextVar[dict | None] = ContextVar("percache_read", default=None)


class _Learned:
    """Per process: the keys a page of nobody signed in read late, by address.

    At most `size` addresses (the least recently used go first) and `per_page` keys each."""

    def __init__(self, size: int = 5_000, per_page: int = 24):
        self.size, self.per_page = size, per_page
        self._keys: OrderedDict[tuple, tuple[str, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, where: tuple) -> tuple[str, ...]:
        with self._lock:
            return self._keys.get(where, ())

    @staticmethod
    def keep(guessed: Iterable[str], asked: set, late: list[str], per_page: int = 24) -> tuple[str, ...]:
        """The guesses the page asked for, and what it read late."""
        return tuple(dict.fromkeys([*(name for name in guessed if name in asked), *late]))[:per_page]

    def update(self, where: tuple, guessed: Iterable[str], asked: set, late: list[str]) -> None:
        keys = self.keep(guessed, asked, late, self.per_page)
        with self._lock:
            if keys:
                self._keys[where] = keys
                self._keys.move_to_end(where)
                while len(self._keys) > self.size:
                    self._keys.popitem(last=False)
            else:
                self._keys.pop(where, None)


_learned = _Learned()


class _Page:
    """What one request learns: where it is (a session's key, or (None, address) for nobody signed in),
    what it guessed, what it asked for and read late."""

    __slots__ = ("where", "guessed", "asked", "late")

    def __init__(self, where: str | tuple, guessed: tuple[str, ...]):
        self.where, self.guessed, self.asked, self.late = where, guessed, set(), []


_page: ContextVar[_Page | None] = ContextVar("percache_page", default=None)
# This request's address when it may read ahead (a GET), and what the session's read found for it.
_address: ContextVar[str | None] = ContextVar("percache_address", default=None)
_ahead: ContextVar[tuple[str, tuple[str, ...]] | None] = ContextVar("percache_ahead", default=None)


def ahead_name(session_key: str, address: str) -> str:
    """The key holding the keys a session's page at this address read late last time."""
    digest = hashlib.blake2b(address.encode(), digest_size=10).hexdigest()
    return f"ahead:{VERSION}:{session_key}:{digest}"


def session_along(session_key: str | None) -> list[str]:
    """What the session's read takes along (coordination/lib/session_cached_db.py)."""
    address = _address.get()
    if not address or not session_key:
        return []
    name = ahead_name(session_key, address)
    _ahead.set((name, ()))
    return [name]


def session_found(found: dict) -> None:
    ahead = _ahead.get()
    if ahead is not None:
        _ahead.set((ahead[0], tuple(found.get(ahead[0]) or ())))


def key(kind: str, person_id) -> str:
    return f"person:{VERSION}:{kind}:{person_id}"


# What fills each of the core's values for a person, registered by the core apps' caching modules.
_fillers: dict[str, Callable[[object], object]] = {}


def register_filler(kind: str, fill: Callable[[object], object]) -> None:
    _fillers[kind] = fill


def fill(user) -> None:
    """Fill the person's values at sign-in, so that even their first page reads them from the cache."""
    for fill_one in _fillers.values():
        fill_one(user)


def read_along(make_key: Callable[[object], str]) -> None:
    """Read this key (made from the person's id) in the same round trip as the core's values."""
    if make_key not in _along:
        _along.append(make_key)


def read_along_request(make_keys: Callable[[object], Iterable[str]]) -> None:
    """Read these keys (made from the request: its address, its language) in the same round trip as the
    core's values. `make_keys` runs on every signed-in request: it must be cheap, and give nothing for
    addresses that are not its own. A key read ahead is only a guess of what the page will ask for: a
    page that asks for another key reads it as usual."""
    if make_keys not in _along_request:
        _along_request.append(make_keys)


def request_started(request=None):
    address = request.get_full_path()[:300] if request is not None and request.method == "GET" else None
    return _read.set(None), _page.set(None), _address.set(address), _ahead.set(None)


def request_finished(token) -> None:
    page = _page.get()
    if page is not None and (page.late or any(name not in page.asked for name in page.guessed)):
        if isinstance(page.where, str):  # a session's: kept in the cache for its next visit anywhere
            keys = _Learned.keep(page.guessed, page.asked, page.late)
            if keys:
                cache.set(page.where, keys, AHEAD_SECONDS)
            else:
                cache.delete(page.where)
        else:
            _learned.update(page.where, page.guessed, page.asked, page.late)
    for var, value in zip((_read, _page, _address, _ahead), token, strict=True):
        var.reset(value)


def prefetch(person_id, request=None) -> None:
    """Read every value of the person, the core's and the features', in one round trip."""
    names = [key(kind, person_id) for kind in KINDS] + [make_key(person_id) for make_key in _along]
    if request is not None:
        for make_keys in _along_request:
            names.extend(make_keys(request) or ())
        ahead = _ahead.get()
        if ahead is not None:  # a GET whose session's read took its late keys along
            guessed = tuple(name for name in ahead[1] if name not in names)
            names.extend(guessed)
            _page.set(_Page(ahead[0], guessed))
    found = cache.get_many(names)
    _read.set({name: found.get(name) for name in names})


def prefetch_anonymous(request) -> None:
    """A request of nobody signed in: no values of a person, but the keys its address read late before
    (a public page's school and kept parts), in one round trip; none at all the first time."""
    if request.method != "GET":
        return
    where = (None, request.get_full_path()[:300])
    guessed = _learned.get(where)
    found = cache.get_many(guessed) if guessed else {}
    _read.set({name: found.get(name) for name in guessed})
    _page.set(_Page(where, guessed))


def read_many(names: Iterable[str]) -> dict:
    """These keys' values (absent: not in the cache), those this request has not read yet in one round
    trip; what was read is kept for the rest of the request."""
    names = list(dict.fromkeys(names))
    read = _read.get()
    if read is None:
        return cache.get_many(names)
    missing = [name for name in names if name not in read]
    page = _page.get()
    if page is not None:
        page.asked.update(names)
        page.late.extend(missing)
    if missing:
        found = cache.get_many(missing)
        read.update({name: found.get(name) for name in missing})
    return {name: read[name] for name in names if read[name] is not None}


def has_read(name: str) -> bool:
    """Whether this request has read this key already (ahead, or found it absent)."""
    read = _read.get()
    return read is not None and name in read


def note(values: dict) -> None:
    """What this request has just written to the cache: a later read in the request finds it."""
    read = _read.get()
    if read is not None:
        read.update(values)


def get(name: str):
    """A value from the cache, from this request's read if it has the key (else read now, and learnt)."""
    read = _read.get()
    page = _page.get()
    if read is not None and name in read:
        if page is not None:
            page.asked.add(name)
        return read[name]
    value = cache.get(name)
    if read is not None and page is not None:
        read[name] = value
        page.asked.add(name)
        page.late.append(name)
    return value


def remember(kind: str, person_id, make: Callable[[], object]):
    """The cached value, or `make()` kept for next time."""
    name = key(kind, person_id)
    value = get(name)
    if value is None:
        value = make()
        cache.set(name, value, TIMEOUT)
        read = _read.get()
        if read is not None:
            read[name] = value
    return value


def forget(kind: str, person_ids: Iterable) -> None:
    """Forget the values of these people, now and when the transaction commits."""
    person_ids_now = {pk for pk in person_ids if pk is not None}
    names = [key(kind, person_id) for person_id in person_ids_now]
    if not names:
        return
    read = _read.get()
    if read is not None:
        for name in names:
            read.pop(name, None)
    cache.delete_many(names)
    transaction.on_commit(lambda: cache.delete_many(names))
    # The parts of pages kept for these people were made with the values forgotten.
    fragments.people_changed(person_ids_now)
