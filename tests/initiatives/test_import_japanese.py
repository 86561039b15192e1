"""The import and export in Japanese: headers, values as staff write them, every error at
once by the spreadsheet's row number, the preview, the template, the XLSX export."""

import csv
import io
from datetime import datetime

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives.models import Initiative, InitiativePoint
from initiatives.resources import PREVIEW_ROWS
from search import index
from tests.factories import CaseStudyFactory, DepartmentFactory, InitiativeFactory, ward
from tests.initiatives.imports import (
    EXPORT_URL,
    IMPORT_URL,
    XLSX,
    confirm,
    csv_bytes,
    every_column,
    export_csv,
    snapshot,
    upload,
)

pytestmark = pytest.mark.django_db

JAPANESE = ["ID", "区", "取組事例", "タイトル", "取組のねらい", "担当部署", "開始年度", "終了年度",
            "状態", "公開日時"]  # fmt: skip


@pytest.fixture
def secretariat_client(secretariat_client, wards):
    """The secretariat, with the seven real wards that the files name."""
    return secretariat_client


def test_japanese_headers_and_values_as_staff_write_them_are_imported(secretariat_client):
    case = CaseStudyFactory(number=3)
    DepartmentFactory(ward=ward("miyamae"), name="地域振興課")
    rows = [
        ["", "宮前区", "3", "子育てサロン", "居場所\n- 見守り", "地域振興課", "平成22年度",
         "令和元年度", "公開", "2024/4/1 9:00"],
        ["", "miyamae", "", "まちの掲示板", "", "", "2011", "", "下書き", ""],
        ["", "宮前", "", "見守り活動", "", "", "2012年度", "", "published", "2024-04-01 09:00:00"],
    ]  # fmt: skip
    content = csv_bytes(rows, "cp932", header=JAPANESE)

    preview = upload(secretariat_client, content)
    assert preview.context["result"].totals["new"] == 3
    confirm(secretariat_client, preview)

    salon, board, watch = Initiative.objects.order_by("pk")
    assert (salon.ward.slug, salon.case_study, salon.status) == ("miyamae", case, "published")
    assert (salon.fiscal_year_start, salon.fiscal_year_end) == (2010, 2019)
    assert [d.name for d in salon.departments.all()] == ["地域振興課"]
    assert [(p.depth, p.text) for p in salon.points.all()] == [(0, "居場所"), (1, "見守り")]
    assert salon.published_at.isoformat() == "2024-04-01T00:00:00+00:00"
    assert (board.status, board.fiscal_year_start) == ("draft", 2011)
    assert watch.ward.slug == "miyamae"
    assert watch.fiscal_year_start == 2012


def test_every_error_is_shown_at_once_by_row_number_and_japanese_column(secretariat_client):
    rows = [
        ["", "宮前区", "", "正しい行", "", "", "2010", "", "下書き", ""],
        ["", "kohoku", "", "", "", "", "平成ABC年度", "", "公開済み", ""],
        ["", "多摩区", "", "終わりが先", "", "", "2015", "2012", "公開", ""],
    ]  # fmt: skip

    preview = upload(secretariat_client, csv_bytes(rows, header=JAPANESE))

    assert "confirm_form" not in preview.context
    page = preview.content.decode()
    errors = {
        (row.number, column): " ".join(messages)
        for row in preview.context["result"].invalid_rows
        for column, messages in row.field_specific_errors.items()
    }
    assert set(errors) == {
        (3, "区"), (3, "タイトル"), (3, "開始年度"), (3, "状態"), (4, "終了年度"), (4, "公開日時"),
    }  # fmt: skip
    # An unknown ward is reported as unknown, with the seven listed.
    assert "「kohoku」という区はありません" in errors[3, "区"]
    assert "川崎区、幸区、中原区、高津区、宮前区、多摩区、麻生区" in errors[3, "区"]
    assert "タイトルが空です" in errors[3, "タイトル"]
    assert "公開、下書き" in errors[3, "状態"]
    assert "2024-04-01 09:00" in errors[4, "公開日時"]
    for message in errors.values():
        assert message in page
    assert page.count("3 行目") == 4
    assert page.count("4 行目") == 2
    assert Initiative.objects.count() == 0


def test_the_preview_shows_counts_every_column_and_marks_changed_cells(staff_client):
    plain = {"ward": ward("saiwai"), "case_study": None, "fiscal_year_start": None, "draft": True}
    kept = InitiativeFactory(title="そのまま", **plain)
    changed = InitiativeFactory(title="旧題", **plain)
    rows = [
        [kept.pk, "幸区", "", "そのまま", "", "", "", "", "下書き", "", kept.version],
        [changed.pk, "幸区", "", "新題", "ねらい\n- 小項目", "", "", "", "下書き", "",
         changed.version],
        ["", "", "", "新しい取組", "", "", "", "", "下書き", "", ""],
    ]  # fmt: skip

    preview = upload(staff_client, csv_bytes(rows, header=[*JAPANESE, "版"]))

    page = preview.content.decode()
    assert "新規: <strong>1</strong>" in page
    assert "変更: <strong>1</strong>" in page
    assert "変更なし: <strong>1</strong>" in page
    result = preview.context["result"]
    by_number = {row.number: row for row in result.preview_rows}
    cells = {cell["header"]: cell for cell in by_number[3].cells}
    assert cells["タイトル"] == {"header": "タイトル", "value": "新題", "changed": True}
    assert cells["取組のねらい"]["value"] == "ねらい\n- 小項目"
    assert cells["取組のねらい"]["changed"] is True
    assert cells["区"]["changed"] is False
    assert [c["header"] for c in by_number[3].cells] == result.diff_headers
    assert {"今後の方向性等", "取組内容", "担当部署", "概要"} <= set(result.diff_headers)
    assert 'class="changed"' in page


def test_a_large_file_previews_its_counts_and_first_rows_only(staff_client):
    rows = [["", "", "", f"取組 {n}", "", "", "", "", "下書き", ""] for n in range(150)]

    preview = upload(staff_client, csv_bytes(rows, header=JAPANESE))

    result = preview.context["result"]
    assert result.totals["new"] == 150
    assert len(result.preview_rows) == PREVIEW_ROWS
    assert preview.content.decode().count('<tr class="new">') == PREVIEW_ROWS


@pytest.mark.parametrize("size", [10, 60])
def test_the_preview_and_the_import_take_the_same_queries_for_any_number_of_rows(
    staff_client, size
):
    DepartmentFactory(ward=ward("saiwai"), name="地域振興課")
    rows = [
        ["", "", "", f"取組 {n}", "項目\n- 小項目", "地域振興課", "2010", "", "下書き", ""]
        for n in range(size)
    ]
    content = csv_bytes(rows, header=JAPANESE)
    index.flush()  # what earlier tests left for the search index

    with CaptureQueriesContext(connection) as preview_queries:
        preview = upload(staff_client, content)
    with CaptureQueriesContext(connection) as import_queries:
        confirm(staff_client, preview)

    assert Initiative.objects.count() == size
    assert InitiativePoint.objects.count() == 2 * size
    # The preview writes nothing: no write lock on SQLite, nothing for the public pages to
    # wait for.
    writes = [q["sql"] for q in preview_queries if q["sql"].split()[0] in ("INSERT", "UPDATE")]
    assert [w for w in writes if "django_session" not in w and "axes" not in w] == []
    # The same whatever the rows; one of them reads the roles for the page's header
    # (portal.context_processors.account).
    assert len(preview_queries) == 10
    assert len(import_queries) <= 40


def test_the_xlsx_template_has_an_example_from_the_report_and_explains_each_column(
    client, secretariat, report_data
):
    client.force_login(secretariat)

    response = client.get(f"{IMPORT_URL}template.xlsx")

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["取組", "列の説明"]
    rows = list(book["取組"].values)
    first = Initiative.objects.filter(in_report=True).order_by(
        "case_number", "-is_main", "position", "pk"
    )[0]
    assert rows[0][:4] == ("ID", "区", "取組事例", "主な取組")
    assert rows[1][0] is None
    assert rows[1][rows[0].index("タイトル")] == first.title
    explanations = {row[0]: row[2] for row in list(book["列の説明"].values)[1:]}
    assert "平成22年度" in explanations["開始年度"]
    assert set(explanations) == set(rows[0])


def test_the_csv_template_imports_unchanged_as_one_new_initiative(client, secretariat, report_data):
    client.force_login(secretariat)
    template = client.get(f"{IMPORT_URL}template.csv")
    assert template.content.startswith(b"\xef\xbb\xbf")
    before = Initiative.objects.count()

    preview = upload(client, template.content)

    assert preview.context["result"].totals["new"] == 1
    confirm(client, preview)
    assert Initiative.objects.count() == before + 1


def test_the_import_page_explains_the_columns_and_links_the_templates(staff_client):
    page = staff_client.get(IMPORT_URL).content.decode()

    assert "template.xlsx" in page
    assert "template.csv" in page
    for header in ("タイトル", "区", "取組事例", "開始年度", "終了年度", "状態", "公開日時"):
        assert f'<th scope="row">{header}</th>' in page


def test_the_xlsx_export_is_a_sheet_of_typed_cells_with_a_frozen_header(staff_client):
    case = CaseStudyFactory(number=2)
    InitiativeFactory(
        ward=ward("saiwai"),
        case_study=case,
        title="取組",
        fiscal_year_start=2010,
        status="published",
        published_at=datetime(2024, 4, 1, 0, 0, tzinfo=__import__("datetime").UTC),
    )

    response = staff_client.post(EXPORT_URL, {"resource": "0", "format": XLSX, **every_column()})

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["取組"]
    header = [c.value for c in sheet[1]]
    assert header[:7] == ["ID", "区", "取組事例", "区役所像", "主な取組", "表示順", "タイトル"]
    assert "今後の方向性等" in header
    assert "担当部署" in header
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert isinstance(row["ID"], int)
    assert row["取組事例"] == 2
    assert row["開始年度"] == 2010
    assert row["公開日時"] == datetime(2024, 4, 1, 9, 0)
    assert (row["区"], row["状態"]) == ("幸区", "公開")
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["G"].width >= 8


def test_a_round_trip_with_japanese_headers_changes_nothing(staff_client):
    InitiativeFactory(ward=ward("saiwai"), title="取組", summary="一\n\n二")
    exported = export_csv(staff_client)
    header = next(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert header[:4] == ["ID", "区", "取組事例", "区役所像"]
    before = snapshot()

    preview = upload(staff_client, exported.content)
    confirm(staff_client, preview)

    assert preview.context["result"].totals["skip"] == 1
    assert snapshot() == before


def test_the_export_page_is_in_japanese(staff_client):
    page = staff_client.get(EXPORT_URL).content.decode()

    assert "書き出す列" in page
    assert "すべての列" in page
    assert "This exporter" not in page
    assert "Select all" not in page
