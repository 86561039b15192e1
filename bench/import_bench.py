"""Benchmark: import 10,000 generated initiatives from a CSV file, as the admin does.

Runs the preview (a dry run in a transaction that is rolled back) and then the
confirmed import, and prints the seconds of each and the process's peak memory.
Uses a fresh SQLite database in a temporary folder unless DATABASE_URL is set.

    python bench/import_bench.py [ROWS]
"""

import csv
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawasaki_wards.settings")
workdir = tempfile.TemporaryDirectory()
os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir.name}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from bench.data import ward_records  # noqa: E402
from core.spreadsheets import JapaneseExcelCSV  # noqa: E402
from initiatives.models import CaseStudy, FocusArea, Initiative, InitiativePoint, Vision  # noqa: E402
from initiatives.resources import InitiativeResource  # noqa: E402
from wards.models import Department, Ward  # noqa: E402

WARDS = [fields["slug"] for fields in ward_records()]
HEADER = [
    "id", "ward", "case", "title", "summary", "aims", "contents", "future",
    "departments", "fiscal_year_start", "fiscal_year_end", "status", "published_at",
]  # fmt: skip


def peak_memory_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def set_up():
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


def generated_csv(rows: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for n in range(rows):
        writer.writerow(
            [
                "",
                WARDS[n % len(WARDS)],
                n % 4 + 1,
                f"地域の子育て支援の取組 {n}",
                "区役所と地域が協働して子どもの居場所をつくる。\n\n第二段落。",
                "子どもの居場所づくり\n- 見守り\n- 遊び場",
                "[見出し] 主な内容\nこども文化センターの開放\n地域人材の活用",
                "継続して実施する",
                "地域振興課",
                "平成22年度",
                2012,
                "published",
                "2024-04-01 09:00:00",
            ]
        )
    return buffer.getvalue().encode("cp932")


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    set_up()
    content = generated_csv(rows)
    print(f"file: {rows} rows, {len(content) / 1024 / 1024:.1f} MB (CP932 CSV)")
    baseline = peak_memory_mb()

    start, cpu = time.perf_counter(), time.process_time()
    dataset = JapaneseExcelCSV().create_dataset(content)
    preview = InitiativeResource().import_data(dataset, dry_run=True, use_transactions=True)
    preview_seconds, preview_cpu = time.perf_counter() - start, time.process_time() - cpu
    assert not preview.has_errors()
    assert not preview.has_validation_errors()
    assert Initiative.objects.count() == 0

    start, cpu = time.perf_counter(), time.process_time()
    dataset = JapaneseExcelCSV().create_dataset(content)
    result = InitiativeResource().import_data(
        dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
    )
    import_seconds, import_cpu = time.perf_counter() - start, time.process_time() - cpu
    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert Initiative.objects.count() == rows

    # CPU seconds as well: wall-clock time depends on what else the machine runs.
    print(f"preview (dry run): {preview_seconds:.1f} s ({preview_cpu:.1f} s CPU)")
    rate = rows / import_seconds
    print(f"import: {import_seconds:.1f} s ({import_cpu:.1f} s CPU, {rate:.0f} rows/s)")
    print(f"points written: {InitiativePoint.objects.count()}")
    print(f"peak memory: {peak_memory_mb():.0f} MB (before the import: {baseline:.0f} MB)")


if __name__ == "__main__":
    main()
