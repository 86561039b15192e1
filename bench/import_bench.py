"""Benchmark: 10,000 initiatives imported through the admin, as ward staff would.

A CP932 CSV with Japanese headers (as Japanese Excel saves it) is uploaded to the real
admin views with Django's test client: the preview (upload, check, preview page), then the
confirmation; their export; then the exported 10,000 rows again, each with a changed title
and list (the updates). Each step prints its seconds, its queries and the process's peak
memory. Runs on a throwaway SQLite file and on a new PostgreSQL database (dropped afterwards) of
BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432; BENCH_POSTGRES=none skips it),
each in a process of its own, and adds the figures to bench/RESULTS.md.

    python bench/import_bench.py [ROWS]
"""

import contextlib
import csv
import gc
import io
import os
import platform
import resource
import signal
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


def memory_mb(field: str) -> float:
    """This process's resident memory now (VmRSS) or at its peak (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    # Not Linux: the peak so far (ru_maxrss, kilobytes on Linux, bytes on macOS).
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_memory() -> None:
    """Start counting the peak afresh (Linux: writing 5 to clear_refs resets VmHWM), so
    that each step's peak is its own, not the largest of the steps before it."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


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
        gc.collect()
        reset_peak_memory()
        before = memory_mb("VmRSS")
        try:
            with connection.execute_wrapper(count):
                start, cpu = time.perf_counter(), time.thread_time()
                response = send()
                seconds, cpu = time.perf_counter() - start, time.thread_time() - cpu
        finally:
            # Stopped whatever happens: a failed step must not leave the watcher asking.
            pages = watcher.stop() if watcher else "–"
        assert response.status_code in (200, 302), response.status_code
        load = os.getloadavg()[0]
        lines.append(
            f"| {connection.vendor} | {name} | {seconds:.1f} | {cpu:.1f} | "
            f"{len(queries)} | {before:.0f} | {memory_mb('VmHWM'):.0f} | {load:.1f} | {pages} |"
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
        # As a browser would: only the confirm form's fields, not the preview's objects
        # (the test client keeps a response's context alive as long as the response).
        initial = dict(preview.context["confirm_form"].initial)

        def send():
            return client.post(f"{url}process_import/", initial)

        return send

    content = generated_csv(rows)
    lines.append(f"<!-- {rows} rows, {len(content) / 1024 / 1024:.1f} MB CP932 CSV -->")
    preview = step(f"preview, {rows:,} new", upload(content, "new.csv"))
    assert preview.context["result"].totals["new"] == rows, preview.context["result"].totals
    assert Initiative.objects.count() == 0
    confirm_new = confirm(preview)
    del preview
    done = step(f"confirm, {rows:,} new", confirm_new, watch=True)
    assert Initiative.objects.count() == rows, [str(m) for m in done.wsgi_request._messages]
    assert SearchDocument.objects.filter(kind="initiative").count() == rows

    def export():
        return client.post(
            f"{url}export/",
            {"resource": "0", "format": "0", **{f"initiativeresource_{k}": "on" for k in (
                "id", "ward", "case", "title", "summary", "aims", "contents", "future",
                "version", "departments", "fiscal_year_start", "fiscal_year_end", "status",
                "published_at",
            )}},
        )  # fmt: skip

    # The file staff would edit; its memory counts, as a worker's would.
    exported = step(f"export, {rows:,}", export).content.decode("utf-8-sig")
    changed = exported.replace("地域の子育て支援の取組", "地域の子育て応援の取組").replace(
        "- 遊び場", "- 遊び場\n- 学び場"
    )
    preview = step(f"preview, {rows:,} changed", upload(changed.encode("cp932"), "changed.csv"))
    assert preview.context["result"].totals["update"] == rows, preview.context["result"].totals
    confirm_changed = confirm(preview)
    del preview
    step(f"confirm, {rows:,} changed", confirm_changed, watch=True)
    assert Initiative.objects.filter(title__contains="応援").count() == rows
    lines.append(f"<!-- points: {InitiativePoint.objects.count()} -->")
    return "\n".join(lines)


class PublicPagesWatcher:
    """Asks the public pages (past the page cache: a new page number each time) from a
    process of its own, as another app server's worker would, while the import runs: in
    a thread of the importing process it would take turns with the import for Python's
    interpreter lock, which no deployment does."""

    def start(self):
        environment = {**os.environ, "IMPORT_BENCH_WATCHER": "1"}
        self.process = subprocess.Popen(
            [sys.executable, __file__], env=environment, stdout=subprocess.PIPE, text=True
        )
        # Ready once it has set up Django and answered its first page.
        self.process.stdout.readline()

    def stop(self) -> str:
        self.process.send_signal(signal.SIGTERM)
        out, _ = self.process.communicate(timeout=60)
        return out.strip()


def watch_public_pages() -> None:
    """The watcher's process: ask pages until SIGTERM, then print what happened."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    stopped = []
    signal.signal(signal.SIGTERM, lambda *_: stopped.append(True))
    client, n, answers, failures = Client(), 0, 0, 0
    slowest = {"pages": 0.0, "search": 0.0}
    client.get("/")
    print("ready", flush=True)
    while not stopped:
        n += 1
        pages = ("/", f"/initiatives/?page={n}", f"/wards/miyamae/?page={n}")
        # A search for one of the imported initiatives, new each time (past the page cache).
        for url in (*pages, f"/search/?q=取組+{1000 + n}"):
            start = time.perf_counter()
            try:
                ok = client.get(url).status_code == 200
            except Exception:
                ok = False
            kind = "search" if url.startswith("/search/") else "pages"
            slowest[kind] = max(slowest[kind], time.perf_counter() - start)
            answers += ok
            failures += not ok
        time.sleep(0.2)
    print(
        f"{answers} answered, {failures} failed, slowest page {slowest['pages']:.1f} s, "
        f"slowest search {slowest['search']:.1f} s",
        flush=True,
    )


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 10_000
    if os.environ.get("IMPORT_BENCH_WATCHER"):
        watch_public_pages()
        return
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
        "admin's import view (the preview) and its confirmation with the test client, their "
        "export from the admin, then the exported rows again with a changed title and list "
        "each (updates). Seconds are wall-clock "
        "(the CPU seconds of the request's thread beside them: the machine is shared, and the "
        "minute's load average is beside each row), queries those of the request, memory the "
        "process's resident size when the request began and its peak during the request "
        "(Linux's VmHWM, reset before each step; Django, the admin and the search's Japanese "
        "dictionary take about 165 MB before the first upload). During each confirmation a "
        "second process (as another worker would) asks `/`, `/initiatives/?page=n`, "
        "`/wards/miyamae/?page=n` and `/search/?q=取組 1000+n` (a new n each time, past the "
        "page cache).",
        "",
        "| database | step | seconds | CPU s | queries | MB at start | peak MB | load "
        "| public pages meanwhile |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *table,
        "",
    ]
    text = "\n".join(section)
    print(text)
    with RESULTS.open("a", encoding="utf-8") as file:
        file.write(text)


if __name__ == "__main__":
    main()
