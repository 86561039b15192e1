"""A dataset is one small declaration: its public rows and its columns.

Each column names its value (an attribute path, or a function of the row), its type, its
meaning in English (translated for the Japanese page), an example and a unit. Every file
format, the data dictionary and the API's serializers are built from these declarations,
so a column cannot appear in one and be missing from another.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.fiscal_years import japanese_era_year

# 全国地方公共団体コード of Kawasaki City (with its check digit).
CITY_CODE = "141305"
CITY_NAME = "川崎市"
PORTAL_NAME = "川崎市 区役所の取組ポータル"


class ColumnType:
    """The types of the dictionary; each says how a value is written in CSV."""

    STRING = "string"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"
    URL = "url"
    CODE = "code"  # a fixed-width code written as text (団体コード): leading zeros kept

    LABELS = {
        STRING: _("text"),
        INTEGER: _("integer"),
        DECIMAL: _("decimal number"),
        BOOLEAN: _("boolean (true/false)"),
        DATE: _("date (ISO 8601, YYYY-MM-DD)"),
        DATETIME: _("date and time (ISO 8601, Japan time)"),
        URL: _("URL"),
        CODE: _("code (text of digits)"),
    }


@dataclass(frozen=True)
class Context:
    """What a value may need beyond its row: the portal's address for absolute URLs and
    the language of its addresses (/… or /en/…), read once rather than once a row."""

    base_url: str
    language: str = field(default_factory=lambda: get_language() or "ja")

    def absolute(self, path: str) -> str:
        return f"{self.base_url.rstrip('/')}{path}"


@lru_cache(maxsize=1)
def _local_zone():
    # Japan time, the portal's TIME_ZONE: looked up once, not once a value.
    return timezone.get_default_timezone()


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    meaning: str
    example: str = ""
    # An attribute path ("ward.code") or a function (row, context) → value; the name by default.
    value: str | Callable | None = None
    unit: str = ""
    nullable: bool = False

    def read(self, row, context: Context):
        source = self.value or self.name
        if callable(source):
            value = source(row, context)
        else:
            value = row
            for part in source.split("."):
                value = getattr(value, part) if value is not None else None
        if self.type == ColumnType.DATETIME and isinstance(value, datetime):
            value = value.astimezone(_local_zone()).isoformat(timespec="seconds")
        elif self.type == ColumnType.DATE and isinstance(value, date):
            value = value.isoformat()
        return value


@dataclass(frozen=True)
class Dataset:
    """One file of the open data. ``rows()`` is the public queryset, in a stable order."""

    slug: str
    title: str  # translated
    description: str  # translated
    rows: Callable
    columns: tuple[Column, ...]
    # API collection name (/api/v1/<api_name>/) and its filters, if any.
    api_name: str = ""
    filterset_class: type | None = None
    owner: str = ""  # the dataset this list belongs to (its key back), for the page
    extra: dict = field(default_factory=dict)

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def values(self, row, context: Context) -> list:
        return [column.read(row, context) for column in self.columns]


DATASETS: dict[str, Dataset] = {}


def register(dataset: Dataset) -> Dataset:
    if dataset.slug in DATASETS:
        raise ValueError(f"dataset {dataset.slug} declared twice")
    DATASETS[dataset.slug] = dataset
    return dataset


# --- Columns that many datasets share ---------------------------------------


def wareki(path: str) -> Callable:
    """The 和暦 of the fiscal year at ``path``: 平成22年度 (its own column beside the year)."""

    def value(row, context):
        year = row
        for part in path.split("."):
            year = getattr(year, part) if year is not None else None
        return f"{japanese_era_year(year)}度" if year else ""

    return value


def fiscal_year_columns(name: str, path: str, meaning: str) -> tuple[Column, Column]:
    return (
        Column(
            name,
            ColumnType.INTEGER,
            meaning,
            "2010",
            value=path,
            unit=_("fiscal year (Gregorian year it starts in)"),
            nullable=True,
        ),
        Column(
            f"{name}_wareki",
            ColumnType.STRING,
            _("The same fiscal year in the Japanese era (和暦)."),
            "平成22年度",
            value=wareki(path),
        ),
    )


def page_url(row, context):
    return context.absolute(row.get_absolute_url())


# A value no key takes, reversed once in place of the key: reversing an address costs
# more than the rest of a row, and a file may hold 100,000 rows.
SENTINEL = "0000000000"


@lru_cache(maxsize=64)
def _address_template(view_name: str, kwarg: str, language: str) -> str:
    return reverse(view_name, kwargs={kwarg: SENTINEL})


def object_url(view_name: str, kwarg: str, attribute: str, fragment: str = "") -> Callable:
    """The row's page, ``reverse(view_name, kwargs={kwarg: row.<attribute>})``, built from
    an address reversed once per language. ``fragment`` may name row attributes:
    ``"opinion-{pk}"``."""

    def value(row, context):
        path = _address_template(view_name, kwarg, context.language)
        key = row
        for part in attribute.split("."):
            key = getattr(key, part)
        path = path.replace(SENTINEL, str(key))
        if fragment:
            path += "#" + fragment.format_map({"pk": row.pk})
        return context.absolute(path)

    return value


def url_column(meaning=None, value=page_url) -> Column:
    return Column(
        "url",
        ColumnType.URL,
        meaning or _("The address of its page on the portal."),
        "https://…/initiatives/1/",
        value=value,
    )


def city_code_column() -> Column:
    return Column(
        "city_code",
        ColumnType.CODE,
        _("全国地方公共団体コード (local government code) of Kawasaki City."),
        CITY_CODE,
        value=lambda row, context: CITY_CODE,
    )


def ward_code_column(path: str = "ward", meaning=None) -> Column:
    """The ward's 団体コード; the city's where the row belongs to no ward."""

    def value(row, context):
        ward = row
        for part in path.split("."):
            ward = getattr(ward, part) if ward is not None else None
        return ward.code if ward is not None else CITY_CODE

    return Column(
        "local_government_code",
        ColumnType.CODE,
        meaning
        or _(
            "全国地方公共団体コード of the ward the row belongs to; the city's (141305) "
            "for a row of no ward."
        ),
        "141364",
        value=value,
    )
