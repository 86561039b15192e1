"""Grow one throwaway database step by step and time the key pages at each size.

Run by ``bench.run`` in a child process whose ``DATABASE_URL`` names the throwaway
database; prints one JSON line per (size, page) and the search query plans.
"""

import json
import os
import statistics
import sys
import time

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.data import grow  # noqa: E402
from initiatives.models import Initiative  # noqa: E402
from search import index  # noqa: E402

# (name, address or None for an initiative page, recount the facets every time)
PAGES = (
    ("home", "/", False),
    ("ward", "/wards/miyamae/", False),
    ("vision", "/visions/2/", False),
    ("case", "/cases/1/", False),
    ("initiative", None, False),
    ("initiative list", "/initiatives/", False),
    ("list, filtered", "/initiatives/?ward=miyamae&ward=takatsu&vision=2&fy=2012", False),
    ("list, text", "/initiatives/?q=冒険遊び場", False),
    # A ward's name: its matches all lie in one stretch of the city order.
    ("list, text 宮前", "/initiatives/?q=宮前", False),
    ("list, page 200", "/initiatives/?page=200", False),
    # Every request recounts the facets (an empty cache): what the first visitor of a
    # filter state, or any visitor after a change of the data, waits for.
    ("list, facets not cached", "/initiatives/?ward=tama&fy=2015", True),
    ("case list", "/cases/?fy=2015", False),
    ("search 冒険遊び場", "/search/?q=冒険遊び場", False),
    ("search 宮前 (2 chars)", "/search/?q=宮前", False),
    ("search ぼうけん", "/search/?q=ぼうけん", False),
    ("report", "/report/", False),
    # Issue 14: the commitments' dashboard and an initiative with commitments.
    ("progress", "/progress/", False),
    ("progress, filtered", "/progress/?status=stale&ward=miyamae&vision=2", False),
    ("progress, fiscal year", "/progress/?fy=2024", False),
    ("progress, page 100", "/progress/?page=100", False),
    ("progress, not cached", "/progress/?ward=tama", True),
    ("progress: initiative with commitments", "commitments", False),
)
# BENCH_PAGES=progress times only the pages whose name holds that word.
ONLY = os.environ.get("BENCH_PAGES", "")
WARM_UP = 3
# Seconds of requests a page (at least one timed request), so that a slow page at
# 100,000 initiatives on SQLite does not hold up the run.
PAGE_BUDGET_S = 6


def emit(**row):
    print(json.dumps(row, ensure_ascii=False), flush=True)


class QueryRecorder:
    """Keeps the SQL and parameters of the queries run through the connection (with DEBUG
    off, Django keeps no log of them)."""

    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        self.queries.append((sql, params))
        return execute(sql, params, many, context)


def time_page(client, url, samples, cold=False):
    """(status, queries, median ms, p95 ms, requests timed) of one page.

    Warm-up, the counted request and the timed ones share PAGE_BUDGET_S: a page that
    takes seconds at 100,000 initiatives is timed once or twice, not thirty times.
    """
    deadline = time.perf_counter() + PAGE_BUDGET_S
    for _ in range(WARM_UP):
        client.get(url)
        if time.perf_counter() > deadline:
            break
    recorder = QueryRecorder()
    if cold:
        cache.clear()
    with connection.execute_wrapper(recorder):
        status = client.get(url).status_code
    timings = []
    while len(timings) < samples and (not timings or time.perf_counter() < deadline):
        if cold:
            cache.clear()
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return status, len(recorder.queries), statistics.median(timings), p95, len(timings)


def explain_page(client, label, url):
    """The plan of every query a warm request of ``url`` runs, as the page runs them."""
    client.get(url)
    recorder = QueryRecorder()
    with connection.execute_wrapper(recorder):
        client.get(url)
    for number, (sql, params) in enumerate(recorder.queries, start=1):
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        emit(kind="plan", label=f"{label}, query {number} of {len(recorder.queries)}", plan=plan)


def main(sizes, samples):
    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    # A page that fails is reported with its status, not allowed to stop the run.
    client = Client(raise_request_exception=False)
    for size in sizes:
        started = time.perf_counter()
        grow(size)
        generated = time.perf_counter() - started
        started = time.perf_counter()
        # BENCH_INDEX=0 skips the search index (for pages that read none, e.g. /progress/).
        documents = index.rebuild() if os.environ.get("BENCH_INDEX", "1") != "0" else 0
        indexed = time.perf_counter() - started
        if vendor == "postgresql":
            # What autovacuum does to a table that has settled: statistics, and the
            # visibility map that lets counts be read from an index alone.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        emit(
            kind="size",
            db=vendor,
            size=size,
            documents=documents,
            generate_s=round(generated, 1),
            index_s=round(indexed, 1),
        )
        detail = Initiative.objects.published().order_by("pk").first().get_absolute_url()
        with_commitments = (
            Initiative.objects.published()
            .filter(commitments__reports__isnull=False)
            .order_by("pk")
            .first()
            .get_absolute_url()
        )
        for name, url, cold in PAGES:
            if ONLY and ONLY not in name:
                continue
            url = with_commitments if url == "commitments" else url
            status, queries, median, p95, timed = time_page(client, url or detail, samples, cold)
            emit(
                kind="page",
                db=vendor,
                size=size,
                page=name,
                url=url or detail,
                status=status,
                queries=queries,
                median_ms=round(median, 1),
                p95_ms=round(p95, 1),
                samples=timed,
            )
        if vendor == "postgresql" and size == sizes[-1]:
            for label, url in (
                ("initiative list", "/initiatives/"),
                ("list, text 宮前", "/initiatives/?q=宮前"),
                ("search 冒険遊び場", "/search/?q=冒険遊び場"),
                ("search 宮前", "/search/?q=宮前"),
            ):
                explain_page(client, label, url)


if __name__ == "__main__":
    main([int(s) for s in sys.argv[1].split(",")], int(sys.argv[2]))
