"""The Redis cache (core.cache): Django's backend, with one Redis client reused."""

import pytest

from core.cache import RedisCache

# A database of its own on the Redis of CI and of the machines (`.ci/run` starts it).
LOCATION = "redis://127.0.0.1:6379/7"


@pytest.fixture
def cache():
    cache = RedisCache(LOCATION, {"OPTIONS": {"socket_timeout": 2}})
    yield cache
    cache.clear()


def test_values_round_trip_as_with_djangos_backend(cache):
    cache.set("page", {"content": "宮前区".encode()}, 60)
    cache.set_many({"a": 1, "b": 2})

    assert cache.get("page") == {"content": "宮前区".encode()}
    assert cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": 2}
    assert cache.incr("a") == 2


def test_every_operation_uses_the_same_client(cache):
    # Django's own backend builds a new redis.Redis for each operation (0.3 ms a time).
    client = cache._cache.get_client()

    assert cache._cache.get_client() is client
    assert cache._cache.get_client(write=True) is client
