"""What one request costs in process: a page served from the page cache against the bare
view, through Django's WSGI handler called directly (no server, no client, no network).

    python -m bench.profile_hits [PATH ...]        # µs a request, each path
    PROFILE=/report/ python -m bench.profile_hits  # and cProfile's top of one of them

Runs with the HTTP bench's settings (bench/http_settings.py: production, the bare view at
``/bench/bare/``) on DATABASE_URL (SQLite's db.sqlite3 by default, as `make run` leaves it)
and the Redis of BENCH_REDIS_URL (default database 6), after ``collectstatic`` into
BENCH_STATIC_ROOT. The first answer of each path fills the cache; the timed ones are hits.
"""

import cProfile
import io
import os
import pstats
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.http_settings")
os.environ.setdefault("REDIS_URL", os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6"))
os.environ.setdefault("CACHE_BACKEND", "redis")

import django

django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

application = WSGIHandler()


def environ(path: str) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }


def call(path: str) -> tuple[str, int]:
    statuses = []
    body = application(environ(path), lambda status, headers: statuses.append(status))
    size = len(b"".join(body))
    body.close()
    return statuses[0], size


def microseconds(path: str, requests: int = 2000) -> float:
    call(path)
    call(path)
    start = time.perf_counter()
    for _ in range(requests):
        call(path)
    return (time.perf_counter() - start) / requests * 1e6


def main() -> None:
    for path in sys.argv[1:] or ["/bench/bare/", "/", "/initiatives/", "/report/"]:
        status, size = call(path)
        print(f"{path:20} {status:8} {size:7,} bytes {microseconds(path):6.0f} µs a request")
    if path := os.environ.get("PROFILE"):
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(3000):
            call(path)
        profile.disable()
        pstats.Stats(profile).sort_stats(os.environ.get("SORT", "tottime")).print_stats(30)


if __name__ == "__main__":
    main()
