"""Import and export of initiatives (CSV and XLSX, through the admin).

Columns (the header row names them; a missing ``vision`` column is fine, it is only
exported, as the vision follows from the case):

``id``  empty for a new initiative; otherwise an initiative of your ward.
``ward``  the ward's slug (kawasaki, saiwai, …); ward staff may leave it empty.
``case``  the case study's number, or empty.  ``vision``  exported only.
``is_main``, ``position``, ``title``, ``summary`` (paragraphs split by a blank line),
``editorial_note``.
``aims``, ``contents``, ``future``  one item a line. An item of a sub-list starts with
``- ``; a paragraph starts with ``[段落] ``, a label with ``[見出し] ``
(for a sub-item, after the ``- ``). Editorial notes of items are kept while the
item's text and place stay the same.
``departments``  one name a line: the ward's departments, or city-level bureaux.
``fiscal_year_start``, ``fiscal_year_end``  2010, 2010年度, 平成22年度 or 令和元年度.
``status``  draft or published.  ``published_at``  e.g. 2024-04-01 09:00:00 (Japan time).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from simple_history.utils import bulk_create_with_history

from initiatives.fiscal_years import ERAS, FIRST_ERA_YEAR
from initiatives.models import (
    CaseStudy,
    Initiative,
    InitiativePart,
    InitiativePoint,
    InitiativeStatus,
    PointStyle,
)
from search import index as search_index
from wards.models import Department
from wards.resources import WardScopedResourceMixin, WardWidget

SUB_ITEM = "- "
STYLE_MARKERS = {PointStyle.PARAGRAPH: "[段落] ", PointStyle.LABEL: "[見出し] "}
BARE_MARKERS = {SUB_ITEM.strip(), *(marker.strip() for marker in STYLE_MARKERS.values())}
PART_COLUMNS = {
    InitiativePart.AIM: "aims",
    InitiativePart.CONTENT: "contents",
    InitiativePart.FUTURE: "future",
}
LAST_FISCAL_YEAR = 2200
ERA_YEAR = re.compile(r"^(?P<era>\D+?)(?P<number>元|\d+)年度?$")


def encode_points(points) -> str:
    """Points as lines of text: ``(depth, style, text)`` tuples or InitiativePoints."""
    lines = []
    for point in points:
        depth, style, text = point if isinstance(point, tuple) else _point_key(point)
        lines.append(f"{SUB_ITEM if depth else ''}{STYLE_MARKERS.get(style, '')}{text}")
    return "\n".join(lines)


def decode_points(value) -> list[tuple[int, str, str]]:
    """The inverse of encode_points; raises ValueError for a marker without text."""
    points = []
    for line in str(value or "").splitlines():
        line = line.rstrip()
        if not line.strip():
            continue
        depth = 0
        if line.startswith(SUB_ITEM):
            depth, line = 1, line[len(SUB_ITEM) :]
        style = PointStyle.BULLET
        for candidate, marker in STYLE_MARKERS.items():
            if line.startswith(marker):
                style, line = candidate, line[len(marker) :]
        if not line.strip() or line.strip() in BARE_MARKERS:
            raise ValueError(
                _("Item %(number)s has a marker but no text.") % {"number": len(points) + 1}
            )
        points.append((depth, str(style), line))
    return points


def _point_key(point) -> tuple[int, str, str]:
    return (point.depth, point.style, point.text.replace("\r\n", "\n").replace("\n", " "))


def parse_fiscal_year(value) -> int | None:
    """2010, "2010", "2010年度", "平成22年度", "令和元年度" → the Gregorian starting year."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    text = text.removesuffix("年度") if text.rstrip("年度").isdigit() else text
    if text.isdigit():
        year = int(text)
    else:
        match = ERA_YEAR.match(text)
        firsts = {name: first for first, name, _romanised in ERAS}
        if not match or match["era"] not in firsts:
            raise ValueError(
                _("%(value)s is not a fiscal year: write 2010 or 平成22年度.") % {"value": value}
            )
        number = 1 if match["number"] == "元" else int(match["number"])
        year = firsts[match["era"]] + number - 1
    if not FIRST_ERA_YEAR <= year <= LAST_FISCAL_YEAR:
        raise ValueError(
            _("%(value)s is not a fiscal year between %(first)s and %(last)s.")
            % {"value": value, "first": FIRST_ERA_YEAR, "last": LAST_FISCAL_YEAR}
        )
    return year


class FiscalYearWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        return parse_fiscal_year(value)


class CaseStudyWidget(widgets.ForeignKeyWidget):
    """A case study named by its number (1–4); the cases are read once per import."""

    def __init__(self, **kwargs):
        super().__init__(CaseStudy, field="number", **kwargs)
        self.cases = None

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        if self.cases is None:
            self.cases = {case.number: case for case in CaseStudy.objects.all()}
        try:
            return self.cases[int(float(str(value).strip()))]
        except (ValueError, KeyError):
            raise ValueError(
                _("There is no case study %(value)s; the cases are %(known)s.")
                % {"value": value, "known": ", ".join(map(str, self.cases)) or "-"}
            ) from None


class DepartmentsWidget(widgets.ManyToManyWidget):
    """Departments by name, one a line: the row's ward's own, else a city-level bureau.

    All departments are read once per import.
    """

    def __init__(self, **kwargs):
        super().__init__(Department, separator="\n", field="name", **kwargs)
        self.departments = None

    def clean(self, value, row=None, **kwargs):
        names = [n.strip() for n in str(value or "").splitlines() if n.strip()]
        if self.departments is None:
            self.departments = {
                (d.ward.slug if d.ward_id else None, d.name): d
                for d in Department.objects.select_related("ward")
            }
        slug = str((row or {}).get("ward") or "").strip()
        found, unknown = [], []
        for name in names:
            department = self.departments.get((slug, name)) or self.departments.get((None, name))
            if department is None:
                unknown.append(name)
            else:
                found.append(department)
        if unknown:
            raise ValueError(
                _("Unknown department %(names)s: neither of the ward %(ward)s nor city-level.")
                % {"names": "、".join(unknown), "ward": slug}
            )
        return found


class InitiativeResource(WardScopedResourceMixin, resources.ModelResource):
    required_columns = ("id", "title")

    ward = fields.Field(attribute="ward", column_name="ward", widget=WardWidget())
    case = fields.Field(attribute="case_study", column_name="case", widget=CaseStudyWidget())
    vision = fields.Field(column_name="vision", readonly=True)
    aims = fields.Field(column_name="aims")
    contents = fields.Field(column_name="contents")
    future = fields.Field(column_name="future")
    departments = fields.Field(
        attribute="departments", column_name="departments", widget=DepartmentsWidget()
    )
    fiscal_year_start = fields.Field(
        attribute="fiscal_year_start", column_name="fiscal_year_start", widget=FiscalYearWidget()
    )
    fiscal_year_end = fields.Field(
        attribute="fiscal_year_end", column_name="fiscal_year_end", widget=FiscalYearWidget()
    )

    class Meta:
        model = Initiative
        fields = (
            "id",
            "ward",
            "case",
            "vision",
            "is_main",
            "position",
            "title",
            "summary",
            "editorial_note",
            "aims",
            "contents",
            "future",
            "departments",
            "fiscal_year_start",
            "fiscal_year_end",
            "status",
            "published_at",
        )
        import_id_fields = ("id",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return super().get_queryset().prefetch_related("points")

    def export(self, queryset=None, **kwargs):
        if queryset is not None:
            queryset = queryset.select_related("ward", "case_study__vision").prefetch_related(
                "points", "departments"
            )
        return super().export(queryset, **kwargs)

    # --- export -------------------------------------------------------------

    def dehydrate_vision(self, initiative):
        return initiative.case_study.vision.number if initiative.case_study_id else ""

    def dehydrate_aims(self, initiative):
        return encode_points(self.points_of(initiative)[InitiativePart.AIM])

    def dehydrate_contents(self, initiative):
        return encode_points(self.points_of(initiative)[InitiativePart.CONTENT])

    def dehydrate_future(self, initiative):
        return encode_points(self.points_of(initiative)[InitiativePart.FUTURE])

    def points_of(self, initiative) -> dict[str, list[tuple[int, str, str]]]:
        """The initiative's points by part: as imported, or else as stored."""
        if hasattr(initiative, "imported_points"):
            return initiative.imported_points
        return stored_points(initiative)

    # --- import -------------------------------------------------------------

    def import_instance(self, instance, row, **kwargs):
        published_at = instance.published_at
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if (
            published_at is not None
            and instance.published_at is not None
            and instance.published_at == published_at.replace(microsecond=0)
        ):
            # The file holds whole seconds; an unchanged time keeps its fraction.
            instance.published_at = published_at
        if "departments" in row:
            try:
                self.fields["departments"].clean(row)
            except ValueError as error:
                errors["departments"] = ValidationError(str(error))
        points = stored_points(instance) if instance.pk else {p: [] for p in PART_COLUMNS}
        for part, column in PART_COLUMNS.items():
            if column in row:
                try:
                    points[part] = decode_points(row[column])
                except ValueError as error:
                    errors[column] = ValidationError(str(error))
        instance.imported_points = points
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Check a row in Python, without a query per database constraint.

        The widgets have already found the ward and case, and checked the fiscal years'
        range; the database constraints stay the last guard when the row is saved.
        """
        errors = dict(import_validation_errors or {})
        if instance.ward_id is None and "ward" not in errors:
            errors["ward"] = ValidationError(_("Each row needs a ward."), code="required")
        start, end = instance.fiscal_year_start, instance.fiscal_year_end
        if end is not None and start is None:
            errors.setdefault(
                "fiscal_year_end", ValidationError(_("A last fiscal year needs a first one."))
            )
        elif end is not None and end < start:
            errors.setdefault(
                "fiscal_year_end",
                ValidationError(_("The last fiscal year comes before the first one.")),
            )
        if instance.status == InitiativeStatus.PUBLISHED and instance.published_at is None:
            errors.setdefault(
                "published_at", ValidationError(_("A published initiative needs a time."))
            )
        try:
            instance.full_clean(
                exclude=[*errors, "ward", "case_study"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(self.errors_by_column(errors))

    def errors_by_column(self, errors: dict) -> dict:
        """Name each error by its column in the file, not by the model's field."""
        columns = {f.attribute: f.column_name for f in self.fields.values() if f.attribute}
        return {columns.get(key, key): value for key, value in errors.items()}

    def skip_row(self, instance, original, row, import_validation_errors=None):
        fields_unchanged = super().skip_row(instance, original, row, import_validation_errors)
        # Only the lists changed: the initiative itself is not saved again, so that
        # its history shows no empty change.
        instance.fields_unchanged = fields_unchanged and original.pk is not None
        return fields_unchanged and instance.imported_points == stored_points(original)

    def do_instance_save(self, instance, is_create):
        if not getattr(instance, "fields_unchanged", False):
            super().do_instance_save(instance, is_create)

    def save_m2m(self, instance, row, **kwargs):
        if not getattr(instance, "fields_unchanged", False):
            super().save_m2m(instance, row, **kwargs)

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        if not (self._is_dry_run(kwargs) and not self._is_using_transactions(kwargs)):
            initiative_points_replace(initiative=instance, points=instance.imported_points)


def stored_points(initiative) -> dict[str, list[tuple[int, str, str]]]:
    points = {part: [] for part in PART_COLUMNS}
    if initiative.pk is None:
        return points
    for point in initiative.points.all():
        points[point.part].append(_point_key(point))
    return points


def initiative_points_replace(*, initiative, points: dict[str, list[tuple[int, str, str]]]):
    """Make the initiative's points of each part equal to ``points``.

    A part whose points are unchanged is left alone; a changed part is written anew,
    and an item at the same place with the same text keeps its editorial note.
    """
    current = {part: [] for part in PART_COLUMNS}
    for point in InitiativePoint.objects.filter(initiative=initiative):
        current[point.part].append(point)
    new_points = []
    for part, wanted in points.items():
        old = current[part]
        if [_point_key(p) for p in old] == wanted:
            continue
        notes = {(index, p.text): p.editorial_note for index, p in enumerate(old, start=1)}
        InitiativePoint.objects.filter(pk__in=[p.pk for p in old]).delete()
        new_points += [
            InitiativePoint(
                initiative=initiative,
                part=part,
                position=position,
                depth=depth,
                style=style,
                text=text,
                editorial_note=notes.get((position, text), ""),
            )
            for position, (depth, style, text) in enumerate(wanted, start=1)
        ]
    if new_points:
        bulk_create_with_history(new_points, InitiativePoint)
        # A bulk create sends no post_save, which is what re-indexes an initiative
        # for the search when its points change.
        search_index.schedule(Initiative, [initiative.pk])
