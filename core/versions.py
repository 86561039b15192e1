"""Version counters in the shared cache: part of the key of anything cached from data.

A counter moves whenever the data behind it changes, so entries cached under the old
value are never read again and simply expire; nothing has to find and delete them.
"""

import time

from django.core.cache import cache


def _key(name: str) -> str:
    return f"version:{name}"


def current(name: str) -> int:
    """The counter's value, started at the clock so that a flushed cache never repeats one."""
    return cache.get_or_set(_key(name), time.time_ns)


def move(name: str) -> None:
    try:
        cache.incr(_key(name))
    except ValueError:
        cache.set(_key(name), time.time_ns())
