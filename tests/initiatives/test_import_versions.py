"""No edit lost to an import: a row exported before someone changed its initiative is
refused, saying who changed what and when, unless the row carries the current version.

The export writes each initiative's version in the column 版; the import compares it with
the initiative's version now, and the writes check it once more under a lock.
"""

import csv
import io

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from initiatives.models import Initiative
from initiatives.resources import STALE_ROWS_DESCRIBED, InitiativeResource
from initiatives.services import initiatives_import_save
from tests.admin_forms import form_data
from tests.factories import InitiativeFactory, ward
from tests.initiatives.imports import IMPORT_URL, confirm, csv_bytes, export_csv, snapshot, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def editing(yamada):
    other = Client()
    other.force_login(yamada)
    return other


def export_rows(client) -> tuple[list[str], list[list[str]]]:
    exported = export_csv(client)
    header, *rows = csv.reader(io.StringIO(exported.content.decode("utf-8-sig")))
    return header, rows


def retitled(header, rows, title):
    return [
        [title if h == "タイトル" else value for h, value in zip(header, row, strict=True)]
        for row in rows
    ]


def change_summary_in_the_admin(client, initiative, summary):
    url = f"/admin/initiatives/initiative/{initiative.pk}/change/"
    data = form_data(client.get(url), "initiative_form")
    data["summary"] = summary
    assert client.post(url, data).status_code == 302


def errors_of(preview) -> dict:
    result = preview.context["result"]
    return {
        (row.number, column): " ".join(messages)
        for row in result.invalid_rows
        for column, messages in row.error_dict.items()
    }


def test_the_export_writes_each_initiatives_version_and_the_template_leaves_it_empty(
    secretariat_client, report_data
):
    initiative = Initiative.objects.order_by("pk").first()
    header, rows = export_rows(secretariat_client)

    assert header[-1] == "版"
    by_id = {int(row[0]): row for row in rows}
    assert by_id[initiative.pk][-1] == str(initiative.version)
    template = secretariat_client.get(f"{IMPORT_URL}template.csv")
    example = list(csv.reader(io.StringIO(template.content.decode("utf-8-sig"))))
    assert example[1][example[0].index("版")] == ""


def test_a_row_changed_in_the_admin_after_the_export_is_refused_saying_who_and_what(
    secretariat_client, editing
):
    initiative = InitiativeFactory(ward=ward("saiwai"), title="見守り", summary="最初。")
    header, rows = export_rows(secretariat_client)
    change_summary_in_the_admin(editing, initiative, "山田さんの説明。")
    before = snapshot()

    preview = upload(
        secretariat_client, csv_bytes(retitled(header, rows, "見守り（改）"), header=header)
    )

    message = errors_of(preview)[2, "版"]
    assert f"ID {initiative.pk}" in message
    assert "山田 花子" in message
    assert "概要" in message
    assert f"{initiative.version + 1} と書いて" in message
    assert preview.context["result"].has_validation_errors()
    confirm_form = preview.context.get("confirm_form")
    assert confirm_form is None
    assert snapshot() == before
    assert Initiative.objects.get(pk=initiative.pk).summary == "山田さんの説明。"


def test_the_current_version_written_in_the_row_imports_the_whole_row_over_the_other_change(
    secretariat_client, editing
):
    initiative = InitiativeFactory(ward=ward("saiwai"), title="見守り", summary="最初。")
    header, rows = export_rows(secretariat_client)
    change_summary_in_the_admin(editing, initiative, "山田さんの説明。")
    now_at = Initiative.objects.get(pk=initiative.pk).version
    rows = retitled(header, rows, "見守り（改）")
    rows[0][header.index("版")] = str(now_at)

    preview = upload(secretariat_client, csv_bytes(rows, header=header))
    confirm(secretariat_client, preview)

    saved = Initiative.objects.get(pk=initiative.pk)
    assert (saved.title, saved.summary) == ("見守り（改）", "最初。")
    assert saved.version == now_at + 1


def test_a_row_that_changes_an_initiative_needs_its_version_and_an_unchanged_one_does_not(
    secretariat_client,
):
    changed = InitiativeFactory(ward=ward("saiwai"), title="旧題")
    kept = InitiativeFactory(ward=ward("saiwai"), title="そのまま")
    header = ["ID", "タイトル"]
    rows = [[changed.pk, "新題"], [kept.pk, "そのまま"]]

    preview = upload(secretariat_client, csv_bytes(rows, header=header))

    errors = errors_of(preview)
    assert list(errors) == [(2, "版")]
    assert "版がない" in errors[2, "版"]
    assert Initiative.objects.get(pk=changed.pk).title == "旧題"


def test_a_version_the_initiative_never_had_is_refused(secretariat_client):
    initiative = InitiativeFactory(ward=ward("saiwai"), title="旧題")
    header = ["ID", "タイトル", "版"]

    preview = upload(
        secretariat_client,
        csv_bytes([[initiative.pk, "新題", initiative.version + 5]], header=header),
    )

    message = errors_of(preview)[2, "版"]
    assert f"版 {initiative.version + 5} は ID {initiative.pk} の版ではありません" in message


def test_a_save_between_the_check_and_the_writes_refuses_the_whole_import(yamada):
    first = InitiativeFactory(ward=ward("saiwai"), title="一")
    second = InitiativeFactory(ward=ward("saiwai"), title="二")
    resource = InitiativeResource()
    header, rows = ["ID", "タイトル", "版"], []
    for initiative, title in ((first, "一（改）"), (second, "二（改）")):
        rows.append([initiative.pk, title, initiative.version])

    result = resource.get_result_class()()
    batches = resource.planned_batches(tablib.Dataset(*rows, headers=header), result)
    planned = [row for batch in batches for row in batch]
    assert not result.has_validation_errors()
    second.summary = "確認の間の変更"
    second._history_user = yamada
    second.save()
    before = snapshot()

    with pytest.raises(ValidationError) as refused:
        initiatives_import_save(rows=planned)

    assert f"ID {second.pk}" in refused.value.messages[0]
    assert snapshot() == before
    assert Initiative.objects.get(pk=first.pk).title == "一"


@pytest.mark.parametrize("size", [STALE_ROWS_DESCRIBED + 5, STALE_ROWS_DESCRIBED + 40])
def test_a_file_exported_long_ago_is_checked_in_the_same_queries_whatever_its_size(
    secretariat_client, size
):
    initiatives = InitiativeFactory.create_batch(size, ward=ward("saiwai"))
    header, rows = export_rows(secretariat_client)
    for initiative in initiatives:
        initiative.summary = "あとからの変更"
        initiative.save()

    with CaptureQueriesContext(connection) as queries:
        preview = upload(
            secretariat_client, csv_bytes(retitled(header, rows, "一斉に改題"), header=header)
        )

    assert len(errors_of(preview)) == size
    # Who and what for the first rows (8 or 9 queries each), a short message for the rest.
    assert len(queries) == 179
