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

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources

from initiatives.models import (
    Initiative,
    InitiativePart,
    InitiativeStatus,
)
from initiatives.point_text import decode_points, encode_points, points_by_part
from initiatives.services import initiative_points_replace
from initiatives.widgets import CaseStudyWidget, DepartmentsWidget, FiscalYearWidget
from wards.resources import WardScopedResourceMixin, WardWidget

PART_COLUMNS = {
    InitiativePart.AIM: "aims",
    InitiativePart.CONTENT: "contents",
    InitiativePart.FUTURE: "future",
}


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
        return points_by_part(initiative)

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
        points = points_by_part(instance) if instance.pk else {p: [] for p in PART_COLUMNS}
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
        return fields_unchanged and instance.imported_points == points_by_part(original)

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
