"""File formats for import and export: CSV as Japanese Excel writes it, and XLSX.

- CSV is read as UTF-8 (with or without a BOM) or as CP932 (Shift_JIS as Windows and
  Japanese Excel write it), whichever decodes, so the user never chooses an encoding.
  It is written as UTF-8 with a BOM, which Excel needs to see UTF-8.
- A text cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is
  written with a leading apostrophe, and the apostrophe is taken off again on import, so
  that an exported file imported again changes nothing.
"""

import tablib
from django.utils.translation import gettext as _
from import_export.formats import base_formats

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
# Tried in this order: UTF-8 first, as CP932 decodes some UTF-8 byte runs into nonsense.
CSV_ENCODINGS = ("utf-8-sig", "cp932")


class UnreadableFile(ValueError):
    """The uploaded file is not a table in the chosen format; the message says why."""


def escape_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return ESCAPE + value
    return value


def unescape_formula(value):
    if isinstance(value, str) and value.startswith(ESCAPE) and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def decode_csv(data: bytes) -> str:
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(
        _("The file is neither UTF-8 nor Shift_JIS (CP932) text: is it really a CSV file?")
    )


def _map_cells(dataset: tablib.Dataset, function) -> tablib.Dataset:
    mapped = tablib.Dataset(headers=[function(h) for h in dataset.headers or []])
    for row in dataset:
        mapped.append([function(cell) for cell in row])
    return mapped


class JapaneseExcelCSV(base_formats.CSV):
    """CSV in any of the encodings Japanese offices use; written for Excel.

    It counts as binary for django-import-export, so that the admin hands it the
    uploaded bytes rather than text it decoded with one fixed encoding.
    """

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        text = decode_csv(in_stream) if isinstance(in_stream, bytes) else in_stream
        if "\x00" in text:
            raise UnreadableFile(_("The file holds binary data: is it really a CSV file?"))
        try:
            dataset = tablib.import_set(text, format="csv", **kwargs)
        except Exception as error:
            raise UnreadableFile(_("The file is not a readable CSV table.")) from error
        return _map_cells(dataset, unescape_formula)

    def export_data(self, dataset, **kwargs):
        text = _map_cells(dataset, escape_formula).export("csv", **kwargs)
        return ("\ufeff" + text).encode("utf-8")


class EscapingXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        try:
            dataset = super().create_dataset(in_stream)
        except Exception as error:
            raise UnreadableFile(_("The file is not a readable Excel (.xlsx) workbook.")) from error
        return _map_cells(dataset, unescape_formula)

    def export_data(self, dataset, **kwargs):
        return super().export_data(_map_cells(dataset, escape_formula), **kwargs)


FORMATS = [JapaneseExcelCSV, EscapingXLSX]
