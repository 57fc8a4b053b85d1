"""Django's Redis cache, with one Redis client kept per connection pool.

Django's client makes a new `redis.Redis` object for every cache operation, and building one costs
more than a small GET on the loopback (it fills a table of about 170 response handlers). Every page
reads the cache at least twice (the session, then the person's values: coordination/lib/percache.py),
so the client is kept instead; redis-py's clients are safe to share between threads.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
