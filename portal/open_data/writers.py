"""The files: CSV, JSON, XLSX (``portal.open_data.xlsx``) and ZIP written row by row as they
stream. Rows are read with ``iterator(chunk_size=…)``, so memory stays
constant whatever the number of rows.

CSV follows the machine-readable rules: UTF-8 with a BOM (Excel opens it), commas, CRLF,
one header row, one datum a cell; empty values are empty cells; booleans ``true`` and
``false``; dates and times in ISO 8601.
"""

import csv
import zipfile
from collections.abc import Iterator

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation

from portal.open_data import dictionary, xlsx
from portal.open_data.licence import licence_fields, licence_text, readme_text
from portal.open_data.registry import DATASETS, Context, Dataset

CHUNK_ROWS = 2000
BOM = "\ufeff"


class _Lines:
    """A file-like object whose ``write`` returns what was written (for csv.writer)."""

    def write(self, value):
        return value


def csv_cell(value) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def _csv_lines(header, rows) -> Iterator[str]:
    writer = csv.writer(_Lines(), lineterminator="\r\n")
    yield BOM + writer.writerow(header)
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def dataset_values(dataset: Dataset, context: Context) -> Iterator[list]:
    for row in dataset.rows().iterator(chunk_size=CHUNK_ROWS):
        yield dataset.values(row, context)


def _batched(lines: Iterator[str], size: int = 200) -> Iterator[bytes]:
    """Lines joined into chunks of a few hundred, so the server sends fewer, larger writes."""
    batch = []
    for line in lines:
        batch.append(line)
        if len(batch) >= size:
            yield "".join(batch).encode("utf-8")
            batch = []
    if batch:
        yield "".join(batch).encode("utf-8")


def csv_chunks(dataset: Dataset, context: Context) -> Iterator[bytes]:
    return _batched(_csv_lines(dataset.column_names, dataset_values(dataset, context)))


def dictionary_csv_chunks(datasets=None) -> Iterator[bytes]:
    return _batched(_csv_lines(dictionary.DICTIONARY_COLUMNS, dictionary.rows(datasets)))


def json_chunks(dataset: Dataset, context: Context, page_url: str) -> Iterator[bytes]:
    """``{"dataset", "title", "licence", "columns", "rows": [{…}, …]}``, a row at a time."""
    encoder = DjangoJSONEncoder(ensure_ascii=False)
    head = {
        "dataset": dataset.slug,
        "title": {
            "ja": dictionary.in_language(dataset.title, "ja"),
            "en": dictionary.in_language(dataset.title, "en"),
        },
        "licence": licence_fields(page_url),
        "columns": [
            {
                "name": row[1],
                "type": row[2],
                "meaning": {"ja": row[3], "en": row[4]},
                "example": row[5],
                "unit": {"ja": row[6], "en": row[7]},
            }
            for row in dictionary.rows([dataset])
        ],
    }
    yield (encoder.encode(head)[:-1] + ', "rows": [').encode("utf-8")

    def lines():
        names = dataset.column_names
        for index, values in enumerate(dataset_values(dataset, context)):
            text = encoder.encode(dict(zip(names, values, strict=True)))
            yield text if index == 0 else "," + text
        yield "]}"

    yield from _batched(lines())


def xlsx_chunks(dataset: Dataset, context: Context, page_url: str) -> Iterator[bytes]:
    """A workbook of three sheets: the data, its dictionary, the licence."""

    def data():
        yield dataset.column_names
        yield from dataset_values(dataset, context)

    def dictionary_rows():
        yield list(dictionary.DICTIONARY_COLUMNS)
        yield from dictionary.rows([dataset])

    licence = [[line] for line in licence_text(page_url).splitlines()]
    return xlsx.workbook_chunks(
        [(dataset.slug, data()), ("dictionary", dictionary_rows()), ("licence", licence)]
    )


def zip_chunks(context: Context, page_url: str) -> Iterator[bytes]:
    """Every CSV, dictionary.csv, README.txt and LICENSE.txt in one ZIP, streamed."""
    sink = xlsx.Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        files = []
        for dataset in DATASETS.values():
            name = f"{dataset.slug}.csv"
            files.append(
                (
                    name,
                    dictionary.in_language(dataset.title, "ja"),
                    dictionary.in_language(dataset.title, "en"),
                )
            )
            with archive.open(name, "w", force_zip64=True) as member:
                for chunk in csv_chunks(dataset, context):
                    member.write(chunk)
                    if data := sink.take():
                        yield data
        with archive.open("dictionary.csv", "w") as member:
            for chunk in dictionary_csv_chunks():
                member.write(chunk)
        with translation.override("ja"):
            archive.writestr("README.txt", readme_text(page_url, files).replace("\n", "\r\n"))
            archive.writestr("LICENSE.txt", licence_text(page_url).replace("\n", "\r\n"))
    yield sink.take()
