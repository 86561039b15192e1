"""The data dictionary: every column of every file, with its type, meaning, example, unit."""

from dataclasses import dataclass

from django.utils import translation

from portal.open_data.registry import DATASETS, ColumnType, Dataset

DICTIONARY_COLUMNS = (
    "file",
    "column",
    "type",
    "meaning_ja",
    "meaning_en",
    "example",
    "unit_ja",
    "unit_en",
)


@dataclass(frozen=True)
class Entry:
    file: str
    column: str
    type: str
    type_label: str
    meaning: str
    example: str
    unit: str


def in_language(text, language: str) -> str:
    with translation.override(language):
        return str(text) if text else ""


def entries(dataset: Dataset) -> list[Entry]:
    """The dataset's columns in the active language (the page's tables)."""
    return [
        Entry(
            file=f"{dataset.slug}.csv",
            column=column.name,
            type=column.type,
            type_label=str(ColumnType.LABELS[column.type]),
            meaning=str(column.meaning),
            example=column.example,
            unit=str(column.unit) if column.unit else "",
        )
        for column in dataset.columns
    ]


def rows(datasets=None):
    """dictionary.csv's rows, both languages side by side (the file is the same whatever the
    language of the page)."""
    for dataset in datasets or DATASETS.values():
        for column in dataset.columns:
            yield [
                f"{dataset.slug}.csv",
                column.name,
                column.type,
                in_language(column.meaning, "ja"),
                in_language(column.meaning, "en"),
                column.example,
                in_language(column.unit, "ja"),
                in_language(column.unit, "en"),
            ]
