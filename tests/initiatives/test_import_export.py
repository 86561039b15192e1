"""Import and export of initiatives through the admin: formats, scoping, errors, round trip."""

import csv
import io
import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from core.fiscal_years import parse_fiscal_year
from core.spreadsheets import JapaneseExcelCSV
from initiatives import resources
from initiatives.models import Initiative
from initiatives.point_text import decode_points
from initiatives.resources import InitiativeResource
from tests.factories import (
    CaseStudyFactory,
    DepartmentFactory,
    InitiativeFactory,
    InitiativePointFactory,
    ward,
)
from tests.initiatives.imports import (
    CSV,
    EXPORT_URL,
    HEADER,
    PROCESS_URL,
    XLSX,
    confirm,
    csv_bytes,
    export_csv,
    snapshot,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

CASE = 901


def row_errors(preview):
    """[(row number, column, message)] of the preview's invalid rows."""
    result = preview.context["result"]
    return [
        (row.number, column, message)
        for row in result.invalid_rows
        for column, messages in row.field_specific_errors.items()
        for message in messages
    ]


@pytest.fixture
def case():
    # Far above the numbers CaseStudyFactory's sequence gives other tests' cases.
    return CaseStudyFactory(number=CASE)


# --- reading files in every encoding and format ------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_a_csv_in_each_japanese_encoding_is_read_without_asking(staff_client, case, encoding):
    content = csv_bytes(
        [
            [
                "",
                "saiwai",
                str(CASE),
                "こども文化センターの取組",
                "遊び場\n- 見守り",
                "平成22年度",
                "draft",
            ]
        ],
        encoding,
    )

    preview = upload(staff_client, content)
    assert preview.context["result"].totals["new"] == 1
    assert Initiative.objects.count() == 0
    confirm(staff_client, preview)

    initiative = Initiative.objects.get()
    assert initiative.title == "こども文化センターの取組"
    assert initiative.ward.slug == "saiwai"
    assert initiative.case_study == case
    assert initiative.fiscal_year_start == 2010
    assert [(p.depth, p.text) for p in initiative.points.all()] == [(0, "遊び場"), (1, "見守り")]


def test_an_xlsx_workbook_is_imported(staff_client, case):
    content = xlsx_bytes([[None, "saiwai", CASE, "子育てサロン", "ねらい", 2011, "draft"]])

    confirm(staff_client, upload(staff_client, content, XLSX, "initiatives.xlsx"))

    initiative = Initiative.objects.get()
    assert (initiative.title, initiative.fiscal_year_start) == ("子育てサロン", 2011)


def test_ward_staff_may_leave_the_ward_empty(staff_client):
    confirm(staff_client, upload(staff_client, csv_bytes([["", "", "", "取組", "", "", "draft"]])))

    assert Initiative.objects.get().ward.slug == "saiwai"


def test_the_preview_tells_new_changed_and_unchanged_rows_apart(staff_client, case):
    unchanged = InitiativeFactory(ward=ward("saiwai"), title="そのまま", case_study=case)
    changed = InitiativeFactory(ward=ward("saiwai"), title="旧題", case_study=case)
    exported = InitiativeResource(user=None).export(Initiative.objects.all())
    content = JapaneseExcelCSV().export_data(exported).decode("utf-8-sig")
    content = (
        content.replace("旧題", "新題") + f",saiwai,{CASE},,False,0,新しい取組,,,,,,,,,draft,\r\n"
    )
    before = snapshot()

    preview = upload(staff_client, content.encode("utf-8"))

    rows = preview.context["result"].rows
    assert [row.import_type for row in rows] == ["skip", "update", "new"]
    assert [row.object_id for row in rows[:2]] == [unchanged.pk, changed.pk]
    assert snapshot() == before


def test_an_import_marks_nothing_as_printed_in_the_report(staff_client, case):
    printed = InitiativeFactory(ward=ward("saiwai"), case_study=case, in_report=True)
    header = [*HEADER, "in_report", "version"]
    rows = [
        [printed.pk, "saiwai", CASE, "題を直した取組", "", "", "draft", "0", printed.version],
        ["", "saiwai", CASE, "新しい取組", "", "", "draft", "1", ""],
    ]

    confirm(staff_client, upload(staff_client, csv_bytes(rows, header=header)))

    assert dict(Initiative.objects.values_list("title", "in_report")) == {
        "題を直した取組": True,
        "新しい取組": False,
    }


def test_an_export_has_no_column_for_being_printed_in_the_report(staff_client, case):
    InitiativeFactory(ward=ward("saiwai"), case_study=case, in_report=True)

    header = export_csv(staff_client).content.decode("utf-8-sig").splitlines()[0]

    assert "in_report" not in header.split(",")


# --- the bad imports: each one names its error and saves nothing ------------


def bad_import(staff_client, content, file_format=CSV, name="initiatives.csv"):
    before = snapshot()
    preview = upload(staff_client, content, file_format, name)
    assert preview.status_code == 200
    assert "confirm_form" not in preview.context
    assert snapshot() == before
    return preview


def test_a_file_in_another_encoding_is_refused(staff_client):
    content = csv_bytes([["", "saiwai", "", "取組", "", "", "draft"]], "utf-16")

    preview = bad_import(staff_client, content)

    assert "CSV ファイルでしょうか" in str(preview.context["form"].errors["import_file"])


def test_ten_megabytes_of_garbage_are_refused_as_csv_and_as_xlsx(staff_client):
    garbage = os.urandom(10 * 1024 * 1024)

    as_csv = bad_import(staff_client, garbage)
    as_xlsx = bad_import(staff_client, garbage, XLSX, "initiatives.xlsx")

    assert as_csv.context["form"].errors["import_file"]
    assert "Excel（.xlsx）のブックとして読めない" in str(
        as_xlsx.context["form"].errors["import_file"]
    )


def test_a_file_without_the_title_column_is_refused(staff_client):
    content = csv_bytes([["", "saiwai"]], header=["id", "ward"])

    preview = bad_import(staff_client, content)

    errors = [str(e.error) for e in preview.context["result"].base_errors]
    assert any("列 タイトル がありません" in e for e in errors)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            ["", "atlantis", "", "取組", "", "", "draft"],
            "区",
            "「atlantis」という区はありません。",
        ),
        (["", "tama", "", "取組", "", "", "draft"], "区", "取り込めるのは 幸区 の行だけ"),
        (["", "saiwai", "9", "取組", "", "", "draft"], "取組事例", "取組事例 9 はありません"),
        (
            ["", "saiwai", "", "取組", "", "平成ABC年度", "draft"],
            "開始年度",
            "年度として読めません",
        ),
        (["", "saiwai", "", "取組", "", "1200", "draft"], "開始年度", "の間にありません"),
        (["", "saiwai", "", "", "", "", "draft"], "タイトル", "タイトルが空です"),
        (
            ["", "saiwai", "", "取組", "", "", "maybe"],
            "状態",
            "「maybe」は状態として使えません。公開、下書き",
        ),
        (["", "saiwai", "", "取組", "- ", "", "draft"], "取組のねらい", "本文がありません"),
        (["abc", "saiwai", "", "取組", "", "", "draft"], "ID", "数字ではありません"),
        (["99999", "saiwai", "", "取組", "", "", "draft"], "ID", "ID 99999 の取組はありません"),
    ],
)
def test_a_bad_cell_names_its_row_and_column_and_nothing_is_saved(
    staff_client, wards, row, column, message
):
    good = ["", "saiwai", "", "正しい行", "", "", "draft"]

    preview = bad_import(staff_client, csv_bytes([good, row]))

    errors = row_errors(preview)
    # Row 1 is the header, row 2 the good row.
    assert [(number, col) for number, col, _ in errors] == [(3, column)]
    assert message in errors[0][2]


def test_a_row_cannot_overwrite_another_wards_initiative_by_its_id(staff_client):
    other = InitiativeFactory(ward=ward("tama"), title="多摩区の取組")

    preview = bad_import(
        staff_client, csv_bytes([[str(other.pk), "saiwai", "", "乗っ取り", "", "", "draft"]])
    )

    assert row_errors(preview)[0][:2] == (2, "ID")
    assert "他の区の取組" in row_errors(preview)[0][2]
    other.refresh_from_db()
    assert other.title == "多摩区の取組"


def test_confirming_a_file_with_errors_directly_saves_nothing(staff_client, upload_folder):
    good = upload(staff_client, csv_bytes([["", "saiwai", "", "取組", "", "", "draft"]]))
    form = dict(good.context["confirm_form"].initial)
    bad_content = csv_bytes(
        [["", "saiwai", "", "取組", "", "", "draft"], ["", "tama", "", "x", "", "", "draft"]]
    )
    # The confirmation names the file stored at the preview; swap in one with an error.
    [stored] = upload_folder.iterdir()
    stored.write_bytes(bad_content)
    before = snapshot()

    response = staff_client.post(PROCESS_URL, form)

    assert response.status_code == 302
    assert snapshot() == before


def test_an_error_in_a_later_batch_undoes_the_batches_written_before_it(
    staff_client, upload_folder, monkeypatch
):
    monkeypatch.setattr(resources, "PLAN_BATCH", 2)
    good = [["", "saiwai", "", f"取組{n}", "ねらい", "", "draft"] for n in range(5)]
    preview = upload(staff_client, csv_bytes(good))
    form = dict(preview.context["confirm_form"].initial)
    [stored] = upload_folder.iterdir()
    stored.write_bytes(csv_bytes([*good, ["", "tama", "", "x", "", "", "draft"]]))
    before = snapshot()

    response = staff_client.post(PROCESS_URL, form)

    assert response.status_code == 302
    assert snapshot() == before


def test_two_rows_for_the_same_initiative_are_refused(staff_client):
    initiative = InitiativeFactory(ward=ward("saiwai"), title="取組")
    header = ["id", "title", "version"]
    rows = [[initiative.pk, "一", initiative.version], [initiative.pk, "二", initiative.version]]

    preview = bad_import(staff_client, csv_bytes(rows, header=header))

    assert row_errors(preview) == [
        (3, "ID", f"ID {initiative.pk} は 2 行目にもあります。一つの取組は一行にしてください。")
    ]


# --- export and the round trip ----------------------------------------------


@pytest.fixture
def rich_initiative(case):
    department = DepartmentFactory(ward=ward("saiwai"), name="地域振興課")
    city = DepartmentFactory(ward=None, name="こども未来局")
    initiative = InitiativeFactory(
        ward=ward("saiwai"),
        case_study=case,
        title='=HYPERLINK("http://example.com")',
        summary="一段落目。\n\n二段落目。",
        fiscal_year_start=2010,
        fiscal_year_end=2012,
        status="published",
        published_at=datetime(2024, 4, 1, 9, 0, 0, 123456, tzinfo=ZoneInfo("Asia/Tokyo")),
    )
    initiative.departments.set([department, city])
    InitiativePointFactory(
        initiative=initiative, part="aim", position=0, text="見出し", style="label"
    )
    InitiativePointFactory(initiative=initiative, part="aim", position=1, text="項目", depth=0)
    InitiativePointFactory(
        initiative=initiative, part="aim", position=2, text="小項目", depth=1, editorial_note="注"
    )
    InitiativePointFactory(
        initiative=initiative, part="content", position=0, text="-1から始まる", style="paragraph"
    )
    return initiative


def test_exported_csv_is_utf8_with_a_bom_and_escapes_formulas(staff_client, rich_initiative):
    response = export_csv(staff_client)

    assert response.status_code == 200
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0]["タイトル"] == '\'=HYPERLINK("http://example.com")'
    assert rows[0]["取組のねらい"] == "[見出し] 見出し\n項目\n- 小項目"
    assert sorted(rows[0]["担当部署"].splitlines()) == ["こども未来局", "地域振興課"]
    assert rows[0]["区役所像"] == str(rich_initiative.case_study.vision.number)


def test_ward_staff_export_only_their_own_ward(staff_client, rich_initiative):
    InitiativeFactory(ward=ward("tama"), title="多摩区の取組")

    rows = list(csv.DictReader(io.StringIO(export_csv(staff_client).content.decode("utf-8-sig"))))

    assert [row["区"] for row in rows] == ["幸区"]


@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_an_exported_file_imported_again_changes_nothing(
    staff_client, rich_initiative, file_format
):
    fields = {f"initiativeresource_{name}": "on" for name in InitiativeResource.Meta.fields}
    exported = staff_client.post(EXPORT_URL, {"resource": "0", "format": file_format, **fields})
    before = snapshot()
    note = rich_initiative.points.get(text="小項目").editorial_note

    preview = upload(staff_client, exported.content, file_format, "export.bin")
    confirm(staff_client, preview)

    assert preview.context["result"].totals["skip"] == 1
    assert snapshot() == before
    rich_initiative.refresh_from_db()
    assert rich_initiative.title == '=HYPERLINK("http://example.com")'
    assert rich_initiative.published_at.microsecond == 123456
    assert rich_initiative.points.get(text="小項目").editorial_note == note


def test_an_edited_list_replaces_the_points_and_keeps_unchanged_items_notes(
    staff_client, rich_initiative
):
    content = export_csv(staff_client).content.decode("utf-8-sig")
    content = content.replace("- 小項目", "- 小項目\n新しい項目")
    versions = rich_initiative.history.count()

    confirm(staff_client, upload(staff_client, content.encode("cp932")))

    aims = rich_initiative.points.filter(part="aim")
    assert [(p.depth, p.style, p.text) for p in aims] == [
        (0, "label", "見出し"),
        (0, "bullet", "項目"),
        (1, "bullet", "小項目"),
        (0, "bullet", "新しい項目"),
    ]
    assert aims.get(text="小項目").editorial_note == "注"
    # The points are part of the initiative's version: changing them is one new version.
    assert rich_initiative.history.count() == versions + 1


def test_the_import_is_recorded_in_the_history_with_its_user(staff_client, saiwai_staff, case):
    confirm(
        staff_client, upload(staff_client, csv_bytes([["", "", "", "取組", "ねらい", "", "draft"]]))
    )

    initiative = Initiative.objects.get()
    # The row and its points (a version of their own) are both the importer's.
    assert {h.history_user for h in initiative.history.all()} == {saiwai_staff}
    assert initiative.points.get().history.get().history_user == saiwai_staff


def test_each_imported_version_keeps_its_departments(staff_client):
    DepartmentFactory(ward=ward("saiwai"), name="地域振興課")
    DepartmentFactory(ward=ward("saiwai"), name="保健福祉センター")
    header = ["id", "title", "departments", "status", "version"]
    confirm(
        staff_client,
        upload(staff_client, csv_bytes([["", "取組", "地域振興課", "draft", ""]], header=header)),
    )
    initiative = Initiative.objects.get()
    changed = [[initiative.pk, "取組", "保健福祉センター", "draft", initiative.version]]
    confirm(staff_client, upload(staff_client, csv_bytes(changed, header=header)))

    first, second = initiative.history.order_by("history_id")
    assert [link.department.name for link in first.departments.all()] == ["地域振興課"]
    assert [link.department.name for link in second.departments.all()] == ["保健福祉センター"]


# --- small pieces -----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "year"),
    [
        (2010, 2010),
        ("2010", 2010),
        ("2010年度", 2010),
        ("平成22年度", 2010),
        ("令和元年度", 2019),
        ("平成元年", 1989),
        ("２０１０", 2010),
        (2010.0, 2010),
        ("", None),
        (None, None),
    ],
)
def test_fiscal_years_are_read_in_either_calendar(value, year):
    assert parse_fiscal_year(value) == year


def test_points_are_read_with_their_depth_and_style():
    assert decode_points("[段落] 段落\n- [見出し] 小見出し\n\n項目\r\n") == [
        (0, "paragraph", "段落"),
        (1, "label", "小見出し"),
        (0, "bullet", "項目"),
    ]


@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_the_reports_initiatives_survive_an_export_and_import_unchanged(
    client, secretariat, report_data, file_format
):
    client.force_login(secretariat)
    fields = {f"initiativeresource_{name}": "on" for name in InitiativeResource.Meta.fields}
    exported = client.post(EXPORT_URL, {"resource": "0", "format": file_format, **fields})
    before = snapshot()

    preview = upload(client, exported.content, file_format, "report.bin")

    result = preview.context["result"]
    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert result.totals["skip"] == Initiative.objects.count() > 0
    confirm(client, preview)
    assert snapshot() == before
