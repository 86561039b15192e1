"""Where an uncached page's time goes: each page's mean server time in process, and a
pyinstrument profile of one of them (`make profile-pages`, or
`python -m bench.profile_pages / /report/` with PROFILE=/report/ for the profile).

Runs with production settings (DEBUG off: the cached template loader), the page cache
switched off, on the database of DATABASE_URL (SQLite's db.sqlite3 by default, as left
by `make run`) and the cache of REDIS_URL.
"""

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawasaki_wards.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "profile-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ["PAGE_CACHE_ENABLED"] = "0"
if not os.environ.get("REDIS_URL"):
    os.environ.setdefault("CACHE_BACKEND", "database")

import django

django.setup()

from django.test import Client  # noqa: E402

PAGES = ["/", "/wards/", "/wards/miyamae/", "/cases/1/", "/initiatives/", "/report/"]


def mean_ms(client: Client, path: str, batches: int = 7, repeat: int = 10) -> float:
    """The best of ``batches`` means of ``repeat`` requests, in CPU time of this process
    (the database is SQLite, in process): on a shared machine the
    quickest batch is the one least disturbed by other work."""
    for _ in range(3):
        client.get(path)
    means = []
    for _ in range(batches):
        start = time.process_time()
        for _ in range(repeat):
            response = client.get(path)
        means.append((time.process_time() - start) / repeat * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return min(means)


def calls_per_request(client: Client, path: str, repeat: int = 5) -> int:
    """Python function calls a request makes: the same on a busy machine as on an idle one."""
    import cProfile
    import pstats

    client.get(path)
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(repeat):
        client.get(path)
    profile.disable()
    return pstats.Stats(profile).total_calls // repeat


def main(paths: list[str]) -> None:
    client = Client()
    for path in paths:
        print(
            f"{path:28} {mean_ms(client, path):7.1f} ms CPU "
            f"{calls_per_request(client, path):8d} calls"
        )
    if target := os.environ.get("PROFILE"):
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0002)
        profiler.start()
        for _ in range(20):
            client.get(target)
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False))


if __name__ == "__main__":
    main(sys.argv[1:] or PAGES)
