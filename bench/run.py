"""``make bench``: the key pages' queries and server times at 1,000, 10,000 and
100,000 initiatives, on SQLite and on PostgreSQL, each in a throwaway database.

BENCH_SIZES (default 1000,10000,100000), BENCH_SAMPLES (timed requests a page, default
30), BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432), BENCH_DATABASE (the
throwaway PostgreSQL database's name, default kw_bench_<pid>), BENCH_DATABASES (default
postgresql,sqlite), BENCH_INDEX=0 (no search index: for pages that read none) and
BENCH_PAGES (only the pages whose name holds it, e.g. progress:
bench/measure.py's PAGES, /progress/ among them) change the run.
"""

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent


def run_child(database_url, sizes, samples):
    env = {**os.environ, "DATABASE_URL": database_url}
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.measure", sizes, str(samples)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    rows = []
    for line in process.stdout:
        row = json.loads(line)
        rows.append(row)
        if row["kind"] == "size":
            print(
                f"\n## {row['db']}, {row['size']:,} initiatives "
                f"(generated in {row['generate_s']} s; {row['documents']:,} search documents "
                f"indexed in {row['index_s']} s)\n\n"
                "| page | queries | median ms | p95 ms | requests timed |\n"
                "| --- | ---: | ---: | ---: | ---: |",
                flush=True,
            )
        elif row["kind"] == "page":
            flag = "" if row["status"] == 200 else f" (HTTP {row['status']})"
            cells = (
                f"{row['page']}{flag}",
                row["queries"],
                row["median_ms"],
                row["p95_ms"],
                row["samples"],
            )
            print("| " + " | ".join(str(cell) for cell in cells) + " |", flush=True)
        elif row["kind"] == "plan":
            print(f"\n### EXPLAIN ANALYZE, {row['label']}\n\n```\n{row['plan']}\n```", flush=True)
    if process.wait() != 0:
        sys.exit(f"The bench on {database_url} failed.")
    return rows


def sqlite(sizes, samples):
    with tempfile.TemporaryDirectory() as directory:
        return run_child(f"sqlite:///{directory}/bench.sqlite3", sizes, samples)


def postgres(sizes, samples):
    server = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    name = os.environ.get("BENCH_DATABASE", f"kw_bench_{os.getpid()}")
    try:
        admin = psycopg.connect(f"{server}/postgres", autocommit=True)
    except psycopg.OperationalError as error:
        print(f"\nPostgreSQL at {server} is not reachable ({error}); skipped.")
        return []
    with admin:
        admin.execute(f"CREATE DATABASE {name}")
        try:
            return run_child(f"{server}/{name}", sizes, samples)
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def main():
    sizes = os.environ.get("BENCH_SIZES", "1000,10000,100000")
    samples = int(os.environ.get("BENCH_SAMPLES", "30"))
    started = time.perf_counter()
    print(
        f"# make bench, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n"
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {platform.platform()}.\n"
        "Django test client in one process, DEBUG off; up to 3 warm-up requests, then up to "
        f"{samples} timed requests a page, all within about 6 s a page (at least one timed)."
    )
    databases = os.environ.get("BENCH_DATABASES", "postgresql,sqlite").split(",")
    if "postgresql" in databases:
        postgres(sizes, samples)
    if "sqlite" in databases:
        sqlite(sizes, samples)
    print(f"\nLoad average at the end: {os.getloadavg()[0]:.1f}")
    print(f"Total run time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
