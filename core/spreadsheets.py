"""File formats for import and export: CSV as Japanese Excel writes it, and XLSX.

- CSV is read as UTF-8 (with or without a BOM) or as CP932 (Shift_JIS as Windows and
  Japanese Excel write it), whichever decodes, so the user never chooses an encoding.
  It is written as UTF-8 with a BOM, which Excel needs to see UTF-8.
- A text cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is
  written with a leading apostrophe, and the apostrophe is taken off again on import, so
  that an exported file imported again changes nothing.
- Every file is read within bounds, whatever it declares: at most ``MAX_BYTES``, ``MAX_ROWS``
  data rows and ``MAX_COLUMNS`` columns. An XLSX sheet is streamed (openpyxl's read-only
  mode) with its declared dimension ignored, and reading stops at the first row past the
  bound: a 2 KB file that declares A1:XFD1048576 is refused in a moment.
- The upload waits for its confirmation in ``UploadStorage`` under a random name that the
  user never sees: the confirm form carries that name signed together with the user's id
  and the format (``sign_upload``), so a form naming another file, another user's upload
  or a path is refused before any file is opened.
"""

import csv
import datetime
import io
import re
import zipfile

import tablib
from django import forms
from django.core import signing
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.formats import base_formats
from import_export.forms import ImportForm, SelectableFieldsExportForm
from import_export.tmp_storages import MediaStorage

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
# Tried in this order: UTF-8 first, as CP932 decodes some UTF-8 byte runs into nonsense.
CSV_ENCODINGS = ("utf-8-sig", "cp932")

# The largest file the admin takes. 10,000 rows are previewed and imported in seconds,
# well within a worker's timeout; 10 MB holds them with long texts.
MAX_ROWS = 10_000
MAX_BYTES = 10 * 1024 * 1024
MAX_COLUMNS = 60
# Rows read from a sheet, empty ones included, before giving up: Excel keeps some empty
# formatted rows, a bomb keeps a million.
MAX_SHEET_ROWS = 2 * MAX_ROWS
# An XLSX's parts unpacked: a zip bomb is refused before openpyxl reads it.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# How long an upload waits for its confirmation (seconds); clean_import_uploads deletes
# older ones.
UPLOAD_MAX_AGE = 60 * 60
UPLOAD_SALT = "core.spreadsheets.upload"
UPLOAD_NAME = re.compile(r"^[0-9a-f]{32}$")


class UnreadableFile(ValueError):
    """The uploaded file is not a table in the chosen format; the message says why."""


class TooLargeFile(UnreadableFile):
    """The file holds more than the admin takes."""


def limits_text() -> str:
    return _("At most %(rows)s rows (besides the header) and %(size)s a file.") % {
        "rows": f"{MAX_ROWS:,}",
        "size": filesizeformat(MAX_BYTES),
    }


def too_many_rows() -> TooLargeFile:
    return TooLargeFile(
        _("The file has more than %(rows)s rows; split it into files of at most %(rows)s rows.")
        % {"rows": f"{MAX_ROWS:,}"}
    )


def too_many_columns() -> TooLargeFile:
    return TooLargeFile(
        _("The file has more than %(columns)s columns; is it the right file?")
        % {"columns": MAX_COLUMNS}
    )


# --- the upload while it waits for its confirmation --------------------------


class UploadStorage(MediaStorage):
    """The library's media storage, in a folder of its own and only under random names.

    The storage ``import_export`` of settings.STORAGES is used when it is configured (a
    folder the web server does not serve), else the default one.
    """

    def __init__(self, **kwargs):
        name = kwargs.get("name")
        if name is not None and not UPLOAD_NAME.match(str(name)):
            raise UnreadableFile(_("This upload is unknown."))
        super().__init__(**{**kwargs, "MEDIA_FOLDER": "import-uploads"})

    @property
    def storage(self):
        return self._storage

    @property
    def folder(self) -> str:
        return self.MEDIA_FOLDER


def sign_upload(*, name: str, user, file_format: str) -> str:
    """The upload's name as the confirm form carries it: bound to the user and format."""
    return signing.dumps(
        {"name": name, "user": user.pk, "format": str(file_format)}, salt=UPLOAD_SALT
    )


def unsign_upload(token: str, *, user, file_format: str) -> str | None:
    """The name of the user's upload that ``token`` names, or None for anything else."""
    try:
        data = signing.loads(str(token), salt=UPLOAD_SALT, max_age=UPLOAD_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("user") != user.pk:
        return None
    if str(data.get("format")) != str(file_format):
        return None
    name = str(data.get("name", ""))
    return name if UPLOAD_NAME.match(name) else None


class LimitedImportForm(ImportForm):
    """The library's import form, refusing a file over ``MAX_BYTES`` before it is read."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                gettext_lazy("The file is %(size)s; the admin takes at most %(limit)s."),
                code="too_large",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_BYTES)},
            )
        return upload


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


def _is_empty(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def table_dataset(rows) -> tablib.Dataset:
    """A dataset from ``(row number, cells)`` pairs, the first the header, within bounds.

    Empty rows are dropped; ``dataset.row_numbers`` keeps each data row's number as the
    spreadsheet shows it (the header is row 1), for the error messages.
    """
    header, numbers, data = None, [], []
    for number, cells in rows:
        cells = list(cells)
        if header is None:
            while cells and _is_empty(cells[-1]):
                cells.pop()
            if not cells:
                raise UnreadableFile(_("The first row must name the columns; it is empty."))
            if len(cells) > MAX_COLUMNS:
                raise too_many_columns()
            header = [str(unescape_formula(c) or "").strip() for c in cells]
            continue
        if all(_is_empty(c) for c in cells):
            continue
        if len(data) == MAX_ROWS:
            raise too_many_rows()
        width = len(header)
        cells = (cells + [None] * width)[:width]
        data.append(tuple("" if c is None else unescape_formula(c) for c in cells))
        numbers.append(number)
    if header is None:
        raise UnreadableFile(_("The file is empty."))
    dataset = tablib.Dataset(*data, headers=header)
    dataset.row_numbers = numbers
    return dataset


def read_csv(data: bytes | str) -> tablib.Dataset:
    if len(data) > MAX_BYTES:
        raise TooLargeFile(
            _("The file is larger than %(size)s.") % {"size": filesizeformat(MAX_BYTES)}
        )
    text = decode_csv(data) if isinstance(data, bytes) else data
    if "\x00" in text:
        raise UnreadableFile(_("The file holds binary data: is it really a CSV file?"))
    reader = csv.reader(io.StringIO(text, newline=""))

    def rows():
        for number, cells in enumerate(reader, start=1):
            if len(cells) > MAX_COLUMNS:
                raise too_many_columns()
            yield number, cells

    try:
        return table_dataset(rows())
    except csv.Error as error:
        raise UnreadableFile(_("The file is not a readable CSV table.")) from error


def read_xlsx(data: bytes) -> tablib.Dataset:
    """The first sheet of a workbook, streamed and bounded whatever the sheet declares."""
    import openpyxl

    if len(data) > MAX_BYTES:
        raise TooLargeFile(
            _("The file is larger than %(size)s.") % {"size": filesizeformat(MAX_BYTES)}
        )
    not_a_workbook = UnreadableFile(_("The file is not a readable Excel (.xlsx) workbook."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise not_a_workbook from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise TooLargeFile(
            _("The workbook unpacks to more than %(size)s; is it the right file?")
            % {"size": filesizeformat(MAX_UNPACKED_BYTES)}
        )
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise not_a_workbook from error
    try:
        sheets = [s for s in book.worksheets if hasattr(s, "reset_dimensions")]
        if not sheets:
            raise not_a_workbook
        sheet = sheets[0]
        # The declared dimension (A1:XFD1048576 in a bomb) is not believed: rows are
        # read as they come, at most MAX_COLUMNS + 1 wide, until past the bound.
        sheet.reset_dimensions()

        def rows():
            cells = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
            for number, row in enumerate(cells, start=1):
                if number > MAX_SHEET_ROWS:
                    raise too_many_rows()
                if row and len(row) > MAX_COLUMNS and not _is_empty(row[MAX_COLUMNS]):
                    raise too_many_columns()
                yield number, row[:MAX_COLUMNS]

        try:
            return table_dataset(rows())
        except UnreadableFile:
            raise
        except Exception as error:
            raise not_a_workbook from error
    finally:
        book.close()


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
        return read_csv(in_stream)

    def export_data(self, dataset, **kwargs):
        text = _map_cells(dataset, escape_formula).export("csv", **kwargs)
        return ("\ufeff" + text).encode("utf-8")


class EscapingXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        return read_xlsx(in_stream)

    def export_data(self, dataset, **kwargs):
        return workbook_bytes([(dataset.title or "Sheet", dataset)])


FORMATS = [JapaneseExcelCSV, EscapingXLSX]


class ColumnNamedExportForm(SelectableFieldsExportForm):
    """The library's export form, each column's checkbox labelled with its header alone.

    Its ``resource-id`` attribute becomes ``data-resource-id``: valid HTML, and no script
    reads it (the admin has one resource a model).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if "resource-id" in field.widget.attrs:
                field.widget.attrs["data-resource-id"] = field.widget.attrs.pop("resource-id")

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        return field.column_name if field else field_name


# --- writing XLSX ------------------------------------------------------------


def column_width(values) -> int:
    """A width that shows most cells whole: Japanese characters count double."""
    widest = 0
    for value in values:
        for line in text_lines(value):
            widest = max(widest, sum(2 if ord(ch) > 0x2E80 else 1 for ch in line))
    return max(8, min(widest + 2, 60))


def text_lines(value) -> list[str]:
    if value is None:
        return [""]
    if isinstance(value, datetime.datetime):
        return ["2024-04-01 09:00"]
    return str(value).splitlines() or [""]


def workbook_bytes(sheets) -> bytes:
    """An XLSX of ``(title, dataset)`` sheets: the header bold and frozen, numbers as
    numbers, times as dates, widths to fit, long texts wrapped."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for title, dataset in sheets:
        sheet = book.create_sheet(title=title[:31])
        headers = list(dataset.headers or [])
        sheet.append([escape_formula(h) for h in headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        wrap = Alignment(wrap_text=True, vertical="top")
        for row in dataset:
            sheet.append([escape_formula(value) for value in row])
        for index, header in enumerate(headers, start=1):
            column = [header, *(row[index - 1] for row in dataset)]
            sheet.column_dimensions[get_column_letter(index)].width = column_width(column)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, datetime.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(cell.value, str) and "\n" in cell.value:
                    cell.alignment = wrap
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
