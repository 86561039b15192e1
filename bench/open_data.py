"""``make bench``: the open-data downloads at 10,000 and 100,000 initiatives — seconds and
peak memory of each file built afresh (streamed), of the same file kept, and of a 304.

A throwaway database: SQLite in a temporary folder, or a new database on the PostgreSQL
server of BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432) with
``--postgres``. BENCH_OPEN_DATA_SIZES (default 10000,100000) changes the sizes.

    python -m bench.open_data [--postgres]
"""

import os
import sys
import tempfile
import time
import tracemalloc

workdir = tempfile.TemporaryDirectory()
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ["MEDIA_ROOT"] = f"{workdir.name}/media"
POSTGRES = "--postgres" in sys.argv
if POSTGRES:
    import psycopg

    SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    DB_NAME = os.environ.get("BENCH_OPEN_DATA_DB", f"kw_open_data_bench_{os.getpid()}")
    admin = psycopg.connect(f"{SERVER}/postgres", autocommit=True)
    admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    admin.execute(f"CREATE DATABASE {DB_NAME}")
    os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
else:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir.name}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402

from bench.data import grow  # noqa: E402
from portal.open_data import freshness  # noqa: E402
from portal.open_data.datasets import DATASETS  # noqa: E402

FILES = [
    ("initiatives.csv", "/open-data/initiatives.csv"),
    ("initiatives.json", "/open-data/initiatives.json"),
    ("initiatives.xlsx", "/open-data/initiatives.xlsx"),
    ("initiative_points.csv", "/open-data/initiative_points.csv"),
    ("ZIP of every CSV", "/open-data/kawasaki-wards-open-data.zip"),
    ("/open-data/ page", "/open-data/"),
    ("API /api/v1/initiatives/", "/api/v1/initiatives/"),
    ("API, page 1000", "/api/v1/initiatives/?page=1000&page_size=50"),
]


def fetch(client, url, *, traced=False, **headers):
    """(response, bytes, seconds, peak MB of Python memory while the response was read, when
    ``traced``: tracemalloc slows the run several times, so times are taken untraced)."""
    if traced:
        tracemalloc.start()
        tracemalloc.reset_peak()
    started = time.perf_counter()
    response = client.get(url, **headers)
    size = 0
    if response.streaming:
        for chunk in response.streaming_content:
            size += len(chunk)
    else:
        size = len(response.content)
    elapsed = time.perf_counter() - started
    peak = 0
    if traced:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    response.close()
    return response, size, elapsed, peak / 1024 / 1024


def main():
    sizes = [int(s) for s in os.environ.get("BENCH_OPEN_DATA_SIZES", "10000,100000").split(",")]
    call_command("migrate", verbosity=0)
    client = Client(raise_request_exception=False, HTTP_HOST="testserver")
    print(f"\n## Open data, {connection.vendor}\n")
    print(
        "Each file built afresh (streamed from the database), then the same file again (kept "
        "in the media storage until the data changes), then a conditional request (304). "
        "Peak memory: Python's allocations while the response is read (tracemalloc).\n"
    )
    print("| initiatives | file | rows | MB | fresh s | fresh peak MB | kept s | 304 s |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in sizes:
        grow(size)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        counts = {slug: dataset.rows().count() for slug, dataset in DATASETS.items()}
        for label, url in FILES:
            rows = counts.get(label.split(".")[0], "")
            freshness.move()
            _fresh, _length, _seconds, fresh_peak = fetch(client, url, traced=True)
            freshness.move()
            fresh, length, fresh_s, _peak = fetch(client, url)
            _kept, _length, kept_s, _peak = fetch(client, url)
            etag = fresh.get("ETag")
            not_modified_s = ""
            if etag:
                again, _length, not_modified_s, _peak = fetch(client, url, HTTP_IF_NONE_MATCH=etag)
                assert again.status_code == 304, (url, again.status_code)
                not_modified_s = f"{not_modified_s:.3f}"
            print(
                f"| {size:,} | {label} | {rows:,} | {length / 1024 / 1024:.1f} | "
                f"{fresh_s:.2f} | {fresh_peak:.1f} | {kept_s:.3f} | {not_modified_s} |"
                if rows != ""
                else f"| {size:,} | {label} | | {length / 1024 / 1024:.2f} | {fresh_s:.2f} | "
                f"{fresh_peak:.1f} | {kept_s:.3f} | {not_modified_s} |",
                flush=True,
            )


if __name__ == "__main__":
    try:
        main()
    finally:
        if POSTGRES:
            connections.close_all()
            admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
