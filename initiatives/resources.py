"""Import and export of initiatives (CSV and XLSX, through the admin), in Japanese.

The columns (``COLUMNS``) have Japanese headers; an import also takes the English names
of earlier files (``id``, ``ward``, ``case``, …). Cells are read as staff write them
(initiatives.widgets): 宮前区 or miyamae, 公開 or published, 平成22年度 or 2010.

An import runs in two phases, so that a 10,000-row file takes seconds and the public
pages never wait for it:

1. ``planned_batches``: the rows are read and checked in Python, a thousand at a time,
   with the wards, cases, departments and each batch's existing initiatives read once (a
   handful of queries a batch, no writes). Every error of every row is collected, each
   by the row number the spreadsheet shows (the header is row 1) and the column's
   Japanese name.
2. ``initiatives_import_save`` (initiatives.services): not for a preview, each batch's
   bulk writes as soon as it is checked, all in one transaction that is rolled back if
   any row has an error. A batch at a time, a 10,000-row file never has all its rows
   planned in memory at once (some 60 MB).
"""

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources
from import_export.results import Error, Result, RowResult

from core.fiscal_years import FIRST_ERA_YEAR, LAST_YEAR
from core.history import version_conflict
from initiatives.models import Initiative, InitiativePart, InitiativePoint, InitiativeStatus
from initiatives.point_text import decode_points, encode_points, points_by_part
from initiatives.services import initiatives_import_save
from initiatives.widgets import (
    STATUS_NAMES,
    Lookups,
    normalised,
    read_boolean,
    read_datetime,
    read_fiscal_year,
    read_status,
    read_whole_number,
    text_of,
    write_datetime,
)
from wards.resources import WardScopedResourceMixin

# The preview shows this many rows; the counts and the errors cover the whole file.
PREVIEW_ROWS = 100
# Rows checked (and, on confirmation, written) at a time.
PLAN_BATCH = 1000
# Rows changed since the export whose message says who changed them, when and what (a
# few queries each); the rest say only that they were.
STALE_ROWS_DESCRIBED = 20


@dataclass(frozen=True)
class Column:
    key: str  # the English name of earlier files
    header: str  # the Japanese header the export writes
    help: str
    example: str = ""
    export_only: bool = False


COLUMNS = [
    Column(
        "id", "ID", gettext_lazy("Empty for a new initiative; else the ID of one of your ward.")
    ),
    Column(
        "ward",
        "区",
        gettext_lazy(
            "川崎区, 幸区, 中原区, 高津区, 宮前区, 多摩区 or 麻生区 (or kawasaki, …); "
            "ward staff may leave it empty."
        ),
    ),
    Column("case", "取組事例", gettext_lazy("The report's case study by number (1–4), or empty.")),
    Column(
        "vision",
        "区役所像",
        gettext_lazy("Exported only: it follows from the case."),
        export_only=True,
    ),
    Column("is_main", "主な取組", gettext_lazy("はい for the case's main initiative, else empty.")),
    Column("position", "表示順", gettext_lazy("Its place among the case's initiatives: 0, 1, 2 …")),
    Column(
        "title", "タイトル", gettext_lazy("Required: the initiative's name, without the ward's.")
    ),
    Column("summary", "概要", gettext_lazy("The narrative; paragraphs separated by a blank line.")),
    Column(
        "editorial_note",
        "編集注記",
        gettext_lazy("A correction shown beside the text; usually empty."),
    ),
    Column(
        "aims",
        "取組のねらい",
        gettext_lazy(
            "One item a line; “- ” before a sub-item, “[段落] ” before a paragraph, "
            "“[見出し] ” before a label."
        ),
    ),
    Column("contents", "取組内容", gettext_lazy("As 取組のねらい.")),
    Column("future", "今後の方向性等", gettext_lazy("As 取組のねらい.")),
    Column(
        "departments",
        "担当部署",
        gettext_lazy("One name a line: your ward's departments or the city's bureaux."),
    ),
    Column(
        "fiscal_year_start",
        "開始年度",
        gettext_lazy("2010, 2010年度, 平成22年度 or 令和元年度."),
    ),
    Column("fiscal_year_end", "終了年度", gettext_lazy("As 開始年度; empty while it runs on.")),
    Column("status", "状態", gettext_lazy("公開 or 下書き (published or draft).")),
    Column(
        "published_at",
        "公開日時",
        gettext_lazy("Japan time, e.g. 2024-04-01 09:00; required when 公開."),
    ),
    Column(
        "version",
        "版",
        gettext_lazy(
            "Written by the export: the initiative's version when the file was exported. "
            "Leave it as it is; empty for a new initiative. A row whose initiative was "
            "changed since is refused."
        ),
    ),
]
COLUMN = {column.key: column for column in COLUMNS}
PART_COLUMNS = {
    InitiativePart.AIM: "aims",
    InitiativePart.CONTENT: "contents",
    InitiativePart.FUTURE: "future",
}
# The model fields each column sets (departments and the lists are written apart).
FIELD_OF_COLUMN = {
    "ward": "ward",
    "case": "case_study",
    "is_main": "is_main",
    "position": "position",
    "title": "title",
    "summary": "summary",
    "editorial_note": "editorial_note",
    "fiscal_year_start": "fiscal_year_start",
    "fiscal_year_end": "fiscal_year_end",
    "status": "status",
    "published_at": "published_at",
}
MAX_LENGTHS = {"title": 200, "editorial_note": 300}


def header_key(header) -> str | None:
    """The column a header names: its Japanese header or its English name."""
    wanted = normalised(header)
    for column in COLUMNS:
        if wanted in (normalised(column.header), normalised(column.key)):
            return column.key
    return None


@dataclass
class PlannedRow:
    """What one row of the file will write."""

    number: int
    instance: Initiative
    new: bool
    changed: set = field(default_factory=set)  # column keys that differ from the stored row
    departments: list | None = None  # None: the file has no such column
    points: dict = field(default_factory=dict)  # part → points, only the parts that change
    original_points: dict = field(default_factory=dict)
    original_departments: list = field(default_factory=list)
    result: RowResult | None = None  # what the import reports of the row

    @property
    def changed_fields(self) -> set[str]:
        """The initiative's model fields that differ from the stored row."""
        return {FIELD_OF_COLUMN[key] for key in self.changed if key in FIELD_OF_COLUMN}


class InitiativeResource(WardScopedResourceMixin, resources.ModelResource):
    required_columns = ("title",)
    sheet_title = "取組"
    columns = COLUMNS

    id = fields.Field(column_name="ID")
    ward = fields.Field(column_name="区")
    case = fields.Field(column_name="取組事例")
    vision = fields.Field(column_name="区役所像", readonly=True)
    is_main = fields.Field(column_name="主な取組")
    position = fields.Field(column_name="表示順")
    title = fields.Field(column_name="タイトル")
    summary = fields.Field(column_name="概要")
    editorial_note = fields.Field(column_name="編集注記")
    aims = fields.Field(column_name="取組のねらい")
    contents = fields.Field(column_name="取組内容")
    future = fields.Field(column_name="今後の方向性等")
    departments = fields.Field(column_name="担当部署")
    fiscal_year_start = fields.Field(column_name="開始年度")
    fiscal_year_end = fields.Field(column_name="終了年度")
    status = fields.Field(column_name="状態")
    published_at = fields.Field(column_name="公開日時")
    version = fields.Field(column_name="版")

    class Meta:
        model = Initiative
        fields = tuple(column.key for column in COLUMNS)
        import_id_fields = ("id",)

    @classmethod
    def get_display_name(cls):
        return _("Initiatives")

    def get_diff_headers(self):
        return [column.header for column in COLUMNS if not column.export_only]

    # --- export -------------------------------------------------------------

    def export(self, queryset=None, **kwargs):
        if queryset is not None:
            queryset = queryset.select_related("ward", "case_study__vision").prefetch_related(
                "points", "departments"
            )
        dataset = super().export(queryset, **kwargs)
        dataset.title = self.sheet_title
        return dataset

    def template_sheets(self):
        """The import template: the columns with one example row, and what each holds.

        The example is the report's own first initiative (the first the report prints),
        without its ID, so that importing the template unchanged adds a copy of it.
        """
        example = (
            Initiative.objects.filter(in_report=True)
            .select_related("ward", "case_study__vision")
            .prefetch_related("points", "departments")
            .order_by("case_number", "-is_main", "position", "pk")
            .first()
        )
        headers = [c.header for c in COLUMNS if not c.export_only]
        rows = tablib.Dataset(headers=headers)
        if example is not None:
            values = dict(
                zip([c.header for c in COLUMNS], self.export_resource(example), strict=True)
            )
            values["ID"] = values["版"] = None
            rows.append([values[h] for h in headers])
        explanation = tablib.Dataset(headers=[_("Column"), _("English name"), _("What to write")])
        for column in COLUMNS:
            if not column.export_only:
                explanation.append([column.header, column.key, str(column.help)])
        return [(self.sheet_title, rows), (_("Column explanations"), explanation)]

    def dehydrate_id(self, initiative):
        return initiative.pk

    def dehydrate_ward(self, initiative):
        return initiative.ward.name

    def dehydrate_case(self, initiative):
        return initiative.case_study.number if initiative.case_study_id else None

    def dehydrate_vision(self, initiative):
        return initiative.case_study.vision.number if initiative.case_study_id else None

    def dehydrate_is_main(self, initiative):
        return "はい" if initiative.is_main else ""

    def dehydrate_position(self, initiative):
        return initiative.position

    def dehydrate_title(self, initiative):
        return initiative.title

    def dehydrate_summary(self, initiative):
        return initiative.summary

    def dehydrate_editorial_note(self, initiative):
        return initiative.editorial_note

    def dehydrate_aims(self, initiative):
        return encode_points(points_by_part(initiative)[InitiativePart.AIM])

    def dehydrate_contents(self, initiative):
        return encode_points(points_by_part(initiative)[InitiativePart.CONTENT])

    def dehydrate_future(self, initiative):
        return encode_points(points_by_part(initiative)[InitiativePart.FUTURE])

    def dehydrate_departments(self, initiative):
        return "\n".join(sorted(d.name for d in initiative.departments.all()))

    def dehydrate_fiscal_year_start(self, initiative):
        return initiative.fiscal_year_start

    def dehydrate_fiscal_year_end(self, initiative):
        return initiative.fiscal_year_end

    def dehydrate_status(self, initiative):
        return STATUS_NAMES[initiative.status][0]

    def dehydrate_published_at(self, initiative):
        return write_datetime(initiative.published_at)

    def dehydrate_version(self, initiative):
        return initiative.version

    # --- import -------------------------------------------------------------

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        **kwargs,
    ):
        """Check every row, then (not for a preview, and only without errors) write them.

        All or nothing: the writes are one transaction, rolled back if any row has an
        error, and every row is checked either way, so that every error is listed.
        """
        result = self.get_result_class()()
        batches = self.planned_batches(dataset, result)
        if dry_run:
            for _batch in batches:
                pass
            return result
        user = kwargs.get("user") or self.user
        try:
            with transaction.atomic():
                for batch in batches:
                    if not (result.has_errors() or result.has_validation_errors()):
                        initiatives_import_save(rows=batch, user=user)
                        for row in batch:
                            # The new instances have their ids now.
                            row.result.add_instance_info(row.instance)
                if result.has_errors() or result.has_validation_errors():
                    transaction.set_rollback(True)
        except ValidationError as error:
            result.append_base_error(Error(ValueError(error.messages[0])))
            if raise_errors:
                raise
        except DatabaseError as error:
            result.append_base_error(Error(error))
            if raise_errors:
                raise
        return result

    def planned_batches(self, dataset, result: Result) -> Iterator[list[PlannedRow]]:
        """The rows that change something, checked ``PLAN_BATCH`` at a time; ``result``
        gathers every row's outcome, the errors and the preview's first rows meanwhile."""
        result.diff_headers = self.get_diff_headers()
        result.total_rows = len(dataset)
        result.preview_rows = []
        try:
            keys = self.column_keys(dataset.headers or [])
        except ValidationError as error:
            result.append_base_error(Error(ValueError(error.messages[0])))
            return
        numbers = getattr(dataset, "row_numbers", None) or range(2, len(dataset) + 2)
        lookups = self.lookups = Lookups()
        self.stale_rows = 0
        self.row_of_id = {}
        numbered = zip(numbers, dataset, strict=False)
        while chunk := list(itertools.islice(numbered, PLAN_BATCH)):
            rows = [(n, dict(zip(keys, values, strict=False))) for n, values in chunk]
            yield self.plan_batch(rows, result, lookups)

    def plan_batch(self, rows, result: Result, lookups) -> list[PlannedRow]:
        existing, foreign = self.existing_initiatives(rows)
        planned = []
        for number, row in rows:
            row.pop(None, None)
            row_result = RowResult()
            try:
                plan = self.plan_row(number, row, lookups, existing, foreign)
            except ValidationError as error:
                row_result.import_type = RowResult.IMPORT_TYPE_INVALID
                row_result.validation_error = error
                result.append_invalid_row(number, row, error)
                result.increment_row_result_total(row_result)
                continue
            if plan.new:
                row_result.import_type = RowResult.IMPORT_TYPE_NEW
            elif plan.changed:
                row_result.import_type = RowResult.IMPORT_TYPE_UPDATE
            else:
                row_result.import_type = RowResult.IMPORT_TYPE_SKIP
            row_result.instance = plan.instance
            row_result.object_id = plan.instance.pk
            row_result.object_repr = plan.instance.title
            row_result.number = number
            if len(result.preview_rows) < PREVIEW_ROWS:
                row_result.cells = self.preview_cells(plan, row)
                result.preview_rows.append(row_result)
            result.increment_row_result_total(row_result)
            result.append_row_result(row_result)
            if row_result.import_type != RowResult.IMPORT_TYPE_SKIP:
                plan.result = row_result
                planned.append(plan)
        return planned

    def column_keys(self, headers) -> list[str | None]:
        keys = [header_key(h) for h in headers]
        seen = [k for k in keys if k]
        doubled = sorted({COLUMN[k].header for k in seen if seen.count(k) > 1})
        if doubled:
            raise ValidationError(
                _("The column %(columns)s appears twice; keep one.")
                % {"columns": "、".join(doubled)}
            )
        missing = [COLUMN[k].header for k in self.required_columns if k not in keys]
        if missing:
            raise ValidationError(
                _("The file has no column %(columns)s. The columns are: %(expected)s.")
                % {
                    "columns": "、".join(missing),
                    "expected": "、".join(c.header for c in COLUMNS if not c.export_only),
                }
            )
        return [k if k and not COLUMN[k].export_only else None for k in keys]

    def existing_initiatives(self, rows):
        """The file's initiatives this account may change (by id), and the ids it may not."""
        ids = set()
        for _number, row in rows:
            try:
                pk = read_whole_number(row.get("id"), default=None, largest=2**63)
            except ValueError:
                continue
            if pk is not None:
                ids.add(pk)
        if not ids:
            return {}, set()
        queryset = self.get_queryset().filter(pk__in=ids).select_related("ward", "case_study")
        existing = {i.pk: i for i in queryset}
        # Their lists and departments as plain values: 10,000 initiatives hold some
        # 70,000 points, too many to build as model instances for a comparison.
        for initiative in existing.values():
            initiative.stored_points = {part: [] for part in InitiativePart.values}
            initiative.stored_departments = []
        points = InitiativePoint.objects.filter(initiative_id__in=existing).order_by(
            "initiative_id", "position", "pk"
        )
        for initiative_id, part, depth, style, text in points.values_list(
            "initiative_id", "part", "depth", "style", "text"
        ):
            existing[initiative_id].stored_points[part].append(
                (depth, style, text.replace("\r\n", "\n").replace("\n", " "))
            )
        links = Initiative.departments.through.objects.filter(initiative_id__in=existing)
        for initiative_id, department_id in links.values_list("initiative_id", "department_id"):
            existing[initiative_id].stored_departments.append(department_id)
        missing = ids - set(existing)
        foreign = set()
        if missing:
            foreign = set(Initiative.objects.filter(pk__in=missing).values_list("pk", flat=True))
        return existing, foreign

    def plan_row(self, number, row, lookups, existing, foreign) -> PlannedRow:
        errors = {}

        def error(key, message):
            errors.setdefault(COLUMN[key].header, []).append(message)

        def read(key, reader, default=None):
            if key not in row:
                return default
            try:
                return reader(row[key])
            except ValueError as problem:
                error(key, str(problem))
                return default

        # The initiative: a new one, or one of the account's ward by its id.
        original, pk = None, None
        if "id" in row:
            try:
                pk = read_whole_number(row["id"], default=None, largest=2**63)
            except ValueError:
                error(
                    "id",
                    _("The ID %(id)s is not a number: leave it empty for a new initiative.")
                    % {"id": text_of(row["id"])},
                )
            if pk is not None:
                earlier = self.row_of_id.setdefault(pk, number)
                if earlier != number:
                    # Both rows would write the initiative: its lists would be doubled.
                    error(
                        "id",
                        _("The ID %(id)s is in row %(row)s too: keep one row an initiative.")
                        % {"id": pk, "row": earlier},
                    )
                original = existing.get(pk)
                if original is None and pk in foreign:
                    error(
                        "id",
                        _("The ID %(id)s belongs to another ward: you cannot change it.")
                        % {"id": pk},
                    )
                elif original is None:
                    error(
                        "id",
                        _(
                            "There is no initiative with the ID %(id)s; leave the ID "
                            "empty to add a new one."
                        )
                        % {"id": pk},
                    )
        new = original is None
        instance = (
            Initiative()
            if new
            else Initiative(
                **{
                    f.attname: getattr(original, f.attname)
                    for f in Initiative._meta.concrete_fields
                }
            )
        )
        if not new:
            instance._state.adding = False
            instance.ward = original.ward

        # The ward: a ward-staff account's own, named or left empty.
        ward = read("ward", lookups.ward, default=original.ward if original else None)
        if self.restricted:
            own = self.own_ward
            if own is None:
                error("ward", _("Your account belongs to no ward; ask the secretariat."))
            elif ward is None:
                ward = own
            elif ward != own:
                error(
                    "ward",
                    _("This row is for %(ward)s; you can import only rows of %(own)s.")
                    % {"ward": ward.name, "own": own.name},
                )
        if ward is None and COLUMN["ward"].header not in errors:
            error(
                "ward",
                _("Each row needs a ward: write one of %(known)s.")
                % {"known": "、".join(w.name for w in lookups.wards)},
            )
        values = {"ward": ward}
        if "case" in row:
            values["case_study"] = read("case", lookups.case)
        if "is_main" in row:
            values["is_main"] = read("is_main", read_boolean, default=False)
        if "position" in row:
            values["position"] = read("position", read_whole_number, default=0)
        for key in ("title", "summary", "editorial_note"):
            if key in row:
                text = text_of(row[key]).strip() if key == "title" else text_of(row[key])
                text = text.replace("\r\n", "\n")
                limit = MAX_LENGTHS.get(key)
                if limit and len(text) > limit:
                    error(
                        key,
                        _("The text has %(length)s characters; at most %(limit)s.")
                        % {"length": len(text), "limit": limit},
                    )
                values[key] = text
        if not (values.get("title") if "title" in row else instance.title):
            error("title", _("The title is empty: write the initiative's name."))
        for key in ("fiscal_year_start", "fiscal_year_end"):
            if key in row:
                values[key] = read(key, read_fiscal_year)
        if "status" in row:
            values["status"] = read("status", read_status, default=instance.status)
        if "published_at" in row:
            published_at = read("published_at", read_datetime)
            # The file holds whole seconds; an unchanged time keeps its fraction.
            if (
                original is not None
                and published_at is not None
                and original.published_at is not None
                and original.published_at.replace(microsecond=0) == published_at
            ):
                published_at = original.published_at
            values["published_at"] = published_at

        for name, value in values.items():
            setattr(instance, name, value)
        start, end = instance.fiscal_year_start, instance.fiscal_year_end
        for key, year in (("fiscal_year_start", start), ("fiscal_year_end", end)):
            if year is not None and not FIRST_ERA_YEAR <= year <= LAST_YEAR:
                error(
                    key,
                    _("%(year)s is not between %(first)s and %(last)s.")
                    % {"year": year, "first": FIRST_ERA_YEAR, "last": LAST_YEAR},
                )
        if end is not None and start is None:
            error("fiscal_year_end", _("A last fiscal year needs a first one: fill in 開始年度."))
        elif end is not None and start is not None and end < start:
            error("fiscal_year_end", _("The last fiscal year comes before the first one."))
        if (
            instance.status == InitiativeStatus.PUBLISHED
            and instance.published_at is None
            and COLUMN["published_at"].header not in errors
        ):
            error(
                "published_at",
                _(
                    "A published initiative needs a time: write e.g. "
                    "2024-04-01 09:00, or make it 下書き."
                ),
            )

        planned = PlannedRow(number=number, instance=instance, new=new)
        if "departments" in row:
            departments = read("departments", lambda v: lookups.departments_of(v, ward), default=[])
            old = sorted(original.stored_departments) if original else []
            if sorted(d.pk for d in departments) != old:
                planned.changed.add("departments")
            planned.departments = departments
        stored = original.stored_points if original else {p: [] for p in InitiativePart.values}
        planned.original_points = stored
        planned.original_departments = original.stored_departments if original else []
        for part, key in PART_COLUMNS.items():
            if key in row:
                points = read(key, decode_points, default=[])
                if points != stored[part]:
                    planned.points[part] = points
                    planned.changed.add(key)
        if original is not None:
            for key, name in FIELD_OF_COLUMN.items():
                if key in row and getattr(instance, name) != getattr(original, name):
                    planned.changed.add(key)
            if planned.changed:
                problem = self.exported_version_problem(original, row)
                if problem:
                    error("version", problem)
        if errors:
            raise ValidationError(
                {
                    column: [ValidationError(m) for m in messages]
                    for column, messages in errors.items()
                }
            )
        return planned

    def exported_version_problem(self, original, row) -> str | None:
        """Why a row that changes ``original`` may not, if someone changed it after the
        export.

        The export writes each initiative's version in 版; a row that changes something
        must carry the version it was exported at, and it must still be the current one,
        or the row would silently undo the other person's change. Writing the current
        version into 版 imports the row over theirs, after looking.
        """
        try:
            exported = read_whole_number(row.get("version"), default=None, largest=2**31)
        except ValueError as problem:
            return str(problem)
        current = original.version
        if exported is None:
            return _(
                "This row changes ID %(id)s but has no 版, so it cannot be told whether "
                "someone changed the initiative after the file was made: export the file "
                "again and make your changes in it (the initiative is at 版 %(current)s)."
            ) % {"id": original.pk, "current": current}
        if exported > current:
            return _(
                "版 %(version)s is not a version of ID %(id)s, which is at 版 %(current)s: "
                "export the file again."
            ) % {"version": exported, "id": original.pk, "current": current}
        if exported < current:
            return self.stale_row_message(original, exported)
        return None

    def stale_row_message(self, original, exported) -> str:
        """Who changed the row's initiative since its export, when, and what (for the
        first rows; a file exported long ago may hold thousands of such rows)."""
        self.stale_rows += 1
        values = {"id": original.pk, "version": exported, "current": original.version}
        advice = (
            _(
                "Export the file again and bring your change into it, or, to import this row "
                "over their change, write %(current)s in 版."
            )
            % values
        )
        if self.stale_rows > STALE_ROWS_DESCRIBED:
            return (
                _(
                    "ID %(id)s was changed after this file was exported (版 %(version)s; "
                    "now 版 %(current)s)."
                )
                % values
                + " "
                + advice
            )
        conflict = version_conflict(original, exported)
        return (
            _(
                "ID %(id)s was changed after this file was exported (版 %(version)s; now "
                "版 %(current)s): by %(people)s, at %(when)s (%(fields)s)."
            )
            % {
                **values,
                "people": "、".join(conflict.people),
                "when": conflict.when,
                "fields": "、".join(c.label for c in conflict.changes) or "—",
            }
            + " "
            + advice
        )

    def preview_cells(self, plan: PlannedRow, row) -> list[dict]:
        """The row as the preview shows it: each column's value, and whether it changes."""
        instance = plan.instance
        values = {
            "id": instance.pk or "",
            "ward": instance.ward.name if instance.ward_id else "",
            "case": instance.case_study.number if instance.case_study_id else "",
            "is_main": "はい" if instance.is_main else "",
            "position": instance.position,
            "title": instance.title,
            "summary": instance.summary,
            "editorial_note": instance.editorial_note,
            "fiscal_year_start": instance.fiscal_year_start or "",
            "fiscal_year_end": instance.fiscal_year_end or "",
            "status": STATUS_NAMES[instance.status][0],
            "published_at": write_datetime(instance.published_at) or "",
            "version": instance.version if not plan.new else "",
        }
        for part, key in PART_COLUMNS.items():
            values[key] = encode_points(plan.points.get(part, plan.original_points[part]))
        if plan.departments is not None:
            values["departments"] = "\n".join(d.name for d in plan.departments)
        elif instance.pk:
            by_id = {d.pk: d.name for d in self.lookups.departments.values()}
            values["departments"] = "\n".join(by_id.get(pk, "") for pk in plan.original_departments)
        else:
            values["departments"] = ""
        return [
            {
                "header": column.header,
                "value": values[column.key],
                "changed": not plan.new and column.key in plan.changed,
            }
            for column in COLUMNS
            if not column.export_only
        ]
