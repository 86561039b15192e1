"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache
operation; building one copies redis-py's table of some 170 response callbacks, about
0.3 ms, which was half of what a page served from the page cache cost (`python -m
bench.profile_hits`). A ``redis.Redis`` over a connection pool
is safe to share between threads (each command takes a connection from the pool) and
after a fork (the pool notices the new process and opens its own connections), so one
client per pool is kept and reused.
"""

from django.core.cache.backends import redis


class ReusedRedisCacheClient(redis.RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient
