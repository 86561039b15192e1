"""The admin's import and export of initiatives, driven as staff drive them: the files they
upload, the two steps of an import (preview, then confirm) and the export of every column.

Every import test reads these from here, so that a test module never leans on another.
"""

import csv
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from initiatives.models import Initiative, InitiativePoint
from initiatives.resources import InitiativeResource

CSV, XLSX = "0", "1"
IMPORT_URL = "/admin/initiatives/initiative/import/"
PROCESS_URL = "/admin/initiatives/initiative/process_import/"
EXPORT_URL = "/admin/initiatives/initiative/export/"
HEADER = ["id", "ward", "case", "title", "aims", "fiscal_year_start", "status"]


def csv_bytes(rows, encoding="utf-8", header=HEADER):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, content, file_format=CSV, name="initiatives.csv"):
    """The import's first step: the preview, before anything is saved."""
    return client.post(
        IMPORT_URL,
        {
            "resource": "0",
            "format": file_format,
            "import_file": SimpleUploadedFile(name, content),
        },
    )


def confirm(client, preview):
    return client.post(PROCESS_URL, preview.context["confirm_form"].initial)


def snapshot():
    """Everything an import could write."""
    return (
        Initiative.objects.count(),
        InitiativePoint.objects.count(),
        Initiative.history.count(),
        InitiativePoint.history.count(),
        sorted(Initiative.objects.values_list("pk", "title", "ward__slug")),
    )


def every_column():
    """The export form's fields, with every column ticked."""
    return {f"initiativeresource_{name}": "on" for name in InitiativeResource.Meta.fields}


def export_csv(client):
    return client.post(EXPORT_URL, {"resource": "0", "format": CSV, **every_column()})
