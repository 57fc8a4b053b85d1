"""The portal's Redis cache backend: every value comes back as it was stored, whatever its type,
and the portal's keys are used as they are."""

from __future__ import annotations

import datetime
import warnings

import pytest

from coordination.lib.rediscache import RedisCache, RedisSerializer
from tests.conftest import requires_redis


@pytest.fixture
def cache():
    backend = RedisCache(requires_redis(), {"KEY_PREFIX": "test-rediscache"})
    yield backend
    backend.delete_many(["n", "digits", "record", "raw", "minus", "flag", "long" * 80, "with space"])


VALUES = {
    "n": 42,
    "minus": -7,
    "digits": "42",  # a string of digits stays a string
    "flag": True,  # a bool is not an int here
    "raw": b"\x80\x05 not a pickle",
    "record": {"when": datetime.date(2026, 12, 6), "names": ["Lan", "Minh"], "html": "<p>Bé Lan</p>"},
}


def test_every_value_comes_back_as_it_was_stored(cache):
    cache.set_many(VALUES)

    assert cache.get_many(list(VALUES)) == VALUES
    for key, value in VALUES.items():
        assert cache.get(key) == value and type(cache.get(key)) is type(value)


def test_integers_are_stored_as_digits_so_that_redis_can_count_them(cache):
    cache.set("n", 41)
    assert cache.incr("n") == 42
    assert cache.get("n") == 42
    assert cache._cache.get_client().get(cache.make_key("n")) == b"42"


def test_the_backend_reads_with_the_portal_serializer():
    backend = RedisCache("redis://127.0.0.1:6379/0", {})
    assert isinstance(backend._cache._serializer, RedisSerializer)


def test_a_key_memcached_could_not_hold_is_used_as_it_is(cache):
    long_key = "long" * 80  # 320 characters: Django's backend warns about it for memcached
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cache.set(long_key, "kept")
        cache.set("with space", "kept too")
        assert cache.get_many([long_key, "with space"]) == {long_key: "kept", "with space": "kept too"}
