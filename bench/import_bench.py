"""Benchmark: 10,000 initiatives imported through the admin, as ward staff would.

A CP932 CSV with Japanese headers (as Japanese Excel saves it) is uploaded to the real
admin views with Django's test client: the preview (upload, check, preview page), then the
confirmation; then the same 10,000 rows again, each with a changed title and list (the
updates). Each step prints its seconds, its queries and the process's peak memory. Runs
on a throwaway SQLite file and on a new PostgreSQL database (dropped afterwards) of
BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432; BENCH_POSTGRES=none skips it),
each in a process of its own, and adds the figures to bench/RESULTS.md.

    python bench/import_bench.py [ROWS]
"""

import csv
import io
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
HEADER = [
    "ID", "区", "取組事例", "タイトル", "概要", "取組のねらい", "取組内容", "今後の方向性等",
    "担当部署", "開始年度", "終了年度", "状態", "公開日時",
]  # fmt: skip
WARD_NAMES = ["川崎区", "幸区", "中原区", "高津区", "宮前区", "多摩区", "麻生区"]


def peak_memory_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generated_csv(rows: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for n in range(rows):
        writer.writerow(
            [
                "",
                WARD_NAMES[n % 7],
                n % 4 + 1,
                f"地域の子育て支援の取組 {n}",
                "区役所と地域が協働して子どもの居場所をつくる。\n\n第二段落。",
                "子どもの居場所づくり\n- 見守り\n- 遊び場",
                "[見出し] 主な内容\nこども文化センターの開放\n地域人材の活用",
                "継続して実施する",
                "地域振興課",
                "平成22年度",
                2012,
                "公開",
                "2024-04-01 09:00:00",
            ]
        )
    return buffer.getvalue().encode("cp932")


def run_one(rows: int) -> str:
    """Set up the database of DATABASE_URL, import through the admin; the report's lines."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from bench.data import ward_records
    from initiatives.models import CaseStudy, FocusArea, Initiative, InitiativePoint, Vision
    from search.models import SearchDocument
    from wards.models import Department, Ward

    setup_test_environment()
    call_command("migrate", verbosity=0)
    for fields in ward_records():
        ward = Ward.objects.create(**fields)
        Department.objects.create(ward=ward, name="地域振興課")
    vision = Vision.objects.create(number=1, title="区役所像", title_en="Vision")
    area = FocusArea.objects.create(vision=vision, position=1, title="拠点")
    for number in range(1, 5):
        CaseStudy.objects.create(
            number=number, title=f"事例{number}", vision=vision, focus_area=area
        )
    user = get_user_model().objects.create_superuser("bench", "bench@example.com", "x")
    client = Client()
    client.force_login(user)
    url = "/admin/initiatives/initiative/"
    lines = []

    def step(name, send, watch=False):
        """Run one admin request; with ``watch``, public pages are asked meanwhile."""
        queries = []
        watcher = PublicPagesWatcher() if watch else None

        def count(execute, sql, params, many, context):
            # Counted, not kept: keeping 10,000 rows' SQL would itself cost memory.
            queries.append(None)
            return execute(sql, params, many, context)

        if watcher:
            watcher.start()
        with connection.execute_wrapper(count):
            start, cpu = time.perf_counter(), time.thread_time()
            response = send()
            seconds, cpu = time.perf_counter() - start, time.thread_time() - cpu
        pages = watcher.stop() if watcher else "–"
        assert response.status_code in (200, 302), response.status_code
        load = os.getloadavg()[0]
        lines.append(
            f"| {connection.vendor} | {name} | {seconds:.1f} | {cpu:.1f} | "
            f"{len(queries)} | {peak_memory_mb():.0f} | {load:.1f} | {pages} |"
        )
        return response

    def upload(content, name):
        def send():
            return client.post(
                f"{url}import/",
                {"resource": "0", "format": "0", "import_file": SimpleUploadedFile(name, content)},
            )

        return send

    def confirm(preview):
        def send():
            return client.post(f"{url}process_import/", preview.context["confirm_form"].initial)

        return send

    content = generated_csv(rows)
    lines.append(f"<!-- {rows} rows, {len(content) / 1024 / 1024:.1f} MB CP932 CSV -->")
    preview = step(f"preview, {rows:,} new", upload(content, "new.csv"))
    assert preview.context["result"].totals["new"] == rows, preview.context["result"].totals
    assert Initiative.objects.count() == 0
    done = step(f"confirm, {rows:,} new", confirm(preview), watch=True)
    assert Initiative.objects.count() == rows, [str(m) for m in done.wsgi_request._messages]
    assert SearchDocument.objects.filter(kind="initiative").count() == rows

    exported = client.post(
        f"{url}export/",
        {"resource": "0", "format": "0", **{f"initiativeresource_{k}": "on" for k in (
            "id", "ward", "case", "title", "summary", "aims", "contents", "future", "version",
            "departments", "fiscal_year_start", "fiscal_year_end", "status", "published_at",
        )}},
    ).content.decode("utf-8-sig")  # fmt: skip
    changed = exported.replace("地域の子育て支援の取組", "地域の子育て応援の取組").replace(
        "- 遊び場", "- 遊び場\n- 学び場"
    )
    preview = step(f"preview, {rows:,} changed", upload(changed.encode("cp932"), "changed.csv"))
    assert preview.context["result"].totals["update"] == rows, preview.context["result"].totals
    step(f"confirm, {rows:,} changed", confirm(preview), watch=True)
    assert Initiative.objects.filter(title__contains="応援").count() == rows
    lines.append(f"<!-- points: {InitiativePoint.objects.count()} -->")
    return "\n".join(lines)


class PublicPagesWatcher:
    """Asks the public pages (past the page cache: a new page number each time) in a thread
    of its own, with its own database connection, while the import runs."""

    def __init__(self):
        import threading

        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.answers, self.failures, self.slowest = 0, 0, 0.0

    def start(self):
        self.thread.start()

    def run(self):
        from django.db import connection
        from django.test import Client

        client, n = Client(), 0
        while not self.stopped.is_set():
            n += 1
            # No text search: the search's Japanese tokenizer serves one thread at a time.
            for url in ("/", f"/initiatives/?page={n}", f"/wards/miyamae/?page={n}"):
                start = time.perf_counter()
                try:
                    ok = client.get(url).status_code == 200
                except Exception:
                    ok = False
                self.slowest = max(self.slowest, time.perf_counter() - start)
                self.answers += ok
                self.failures += not ok
            time.sleep(0.2)
        connection.close()

    def stop(self) -> str:
        self.stopped.set()
        self.thread.join()
        return f"{self.answers} answered, {self.failures} failed, slowest {self.slowest:.1f} s"


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 10_000
    if os.environ.get("IMPORT_BENCH_CHILD"):
        print(run_one(rows))
        return
    table = []
    with tempfile.TemporaryDirectory() as folder:
        table.append(child(rows, f"sqlite:///{folder}/bench.sqlite3"))
    server = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    if server != "none":
        import psycopg

        name = os.environ.get("BENCH_IMPORT_DATABASE", "kw_imports_bench")
        admin = psycopg.connect(f"{server}/postgres", autocommit=True)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            table.append(child(rows, f"{server}/{name}"))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
    report(rows, table)


def child(rows, database_url) -> str:
    environment = {**os.environ, "IMPORT_BENCH_CHILD": "1", "DATABASE_URL": database_url}
    environment.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, __file__, str(rows)],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(done.returncode)
    table = "\n".join(line for line in done.stdout.splitlines() if line.startswith(("|", "<!--")))
    print(table, flush=True)
    return table


def report(rows, table):
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    section = [
        "",
        f"## Import of {rows:,} rows through the admin ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"`make bench-import` on {machine}. A CP932 CSV with Japanese headers posted to the "
        "admin's import view (the preview) and its confirmation with the test client, then the "
        "same rows again with a changed title and list each (updates). Seconds are wall-clock "
        "(the CPU seconds of the request's thread beside them: the machine is shared, and the "
        "minute's load average is beside each row), queries those of the request, peak memory "
        "the process's maximum "
        "resident size so far (Django, the admin and the search's Japanese dictionary take "
        "about 165 MB before the first upload). During each confirmation a second thread with "
        "its own database connection asks `/`, `/initiatives/?page=n` and "
        "`/wards/miyamae/?page=n` (a new n each time, past the page cache).",
        "",
        "| database | step | seconds | CPU s | queries | peak MB | load | public pages meanwhile |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        *table,
        "",
    ]
    text = "\n".join(section)
    print(text)
    with RESULTS.open("a", encoding="utf-8") as file:
        file.write(text)


if __name__ == "__main__":
    main()
