"""Django's Redis cache, with one Redis client kept per connection pool, and values read without waste.

Django's client makes a new `redis.Redis` object for every cache operation, and building one costs
more than a small GET on the loopback (it fills a table of about 170 response handlers). Every page
reads the cache at least twice (the session, then the person's values: coordination/lib/percache.py),
so the client is kept instead; redis-py's clients are safe to share between threads.

Every page reads ten or more keys, so two per-key costs of Django's backend count too:
- its serializer tries `int()` on every value first (integers are stored as they are, for `incr`),
  and for a pickle that raises and formats an exception: here a pickle is told by its first byte;
- every key is checked for what memcached could not store (length, spaces, control characters).
  Redis stores any key, and the portal's keys are its own: they are made, not checked.
"""

from __future__ import annotations

import pickle

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from django.core.cache.backends.redis import RedisSerializer as DjangoRedisSerializer

# The first byte of every pickle of protocol 2 and later (Django writes the highest protocol).
_PICKLE_START = pickle.PROTO


class RedisSerializer(DjangoRedisSerializer):
    def loads(self, data):
        # An integer is stored as its digits, which never start with this byte.
        if data[:1] == _PICKLE_START:
            return pickle.loads(data)  # noqa: S301 (what this portal stored in its own Redis, as Django's does)
        return super().loads(data)


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, serializer=None, **kwargs):
        super().__init__(*args, serializer=serializer or RedisSerializer, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def make_and_validate_key(self, key, version=None):
        return self.make_key(key, version=version)
