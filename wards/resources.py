"""Import and export of departments, and the ward scoping every import needs.

django-import-export looks an imported row up among all objects of the model, whatever
the admin shows, and would let a row name any ward: ``WardScopedResourceMixin`` keeps a
ward-staff account to its own ward's rows and says so, in the row's ward or id column.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from wards.models import Department, Ward
from wards.roles import sees_every_ward, ward_of


class WardWidget(widgets.ForeignKeyWidget):
    """A ward named by its slug (kawasaki, saiwai, …); the seven are read once per import."""

    def __init__(self, **kwargs):
        super().__init__(Ward, field="slug", **kwargs)
        self.wards = None

    def clean(self, value, row=None, **kwargs):
        slug = str(value or "").strip()
        if not slug:
            return None
        if self.wards is None:
            self.wards = {ward.slug: ward for ward in Ward.objects.all()}
        try:
            return self.wards[slug]
        except KeyError:
            raise ValueError(
                _("There is no ward %(slug)s; the wards are %(known)s.")
                % {"slug": slug, "known": ", ".join(self.wards)}
            ) from None


class WardScopedResourceMixin:
    """Keeps the import and export of a ward-staff account to its own ward.

    ``user`` is the account that imports or exports; the admin passes it. Without a
    user (scripts, the benchmark) nothing is restricted.
    """

    ward_column = "ward"

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    @property
    def restricted(self) -> bool:
        return self.user is not None and not sees_every_ward(self.user)

    @property
    def own_ward(self):
        return ward_of(self.user) if self.user is not None else None

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.curated_by(self.user) if self.user is not None else queryset

    def export(self, queryset=None, **kwargs):
        if queryset is not None and self.user is not None:
            queryset = queryset.curated_by(self.user)
        return super().export(queryset, **kwargs)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        missing = [c for c in self.required_columns if c not in (dataset.headers or [])]
        if missing:
            raise ValidationError(
                _("The file has no column %(columns)s. The columns are: %(expected)s.")
                % {
                    "columns": ", ".join(missing),
                    "expected": ", ".join(f.column_name for f in self.get_import_fields()),
                },
                code="missing_column",
            )

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        if self.restricted:
            self.check_row_ward(row)
        self.check_row_id(row)

    def check_row_ward(self, row):
        own = self.own_ward
        if own is None:
            raise ValidationError(
                {self.ward_column: _("Your account belongs to no ward; ask the secretariat.")}
            )
        slug = str(row.get(self.ward_column) or "").strip()
        if not slug:
            row[self.ward_column] = own.slug
        elif slug != own.slug:
            raise ValidationError(
                {
                    self.ward_column: _(
                        "This row is for the ward %(slug)s; you can import only rows of %(own)s."
                    )
                    % {"slug": slug, "own": own.slug}
                }
            )

    def get_instance(self, instance_loader, row):
        if row.get("id") in (None, ""):
            return None
        return super().get_instance(instance_loader, row)

    def check_row_id(self, row):
        """An id must name an existing object this account may change, never a new one."""
        value = row.get("id")
        if value in (None, ""):
            return
        try:
            pk = widgets.IntegerWidget().clean(value)
        except (TypeError, ValueError, ArithmeticError):
            raise ValidationError(
                {"id": _("The id %(id)s is not a number.") % {"id": value}}
            ) from None
        if self.get_queryset().filter(pk=pk).exists():
            return
        if self._meta.model.objects.filter(pk=pk).exists():
            message = _("The id %(id)s belongs to another ward: you cannot change it.")
        else:
            message = _("There is no row with the id %(id)s; leave the id empty to add a new one.")
        raise ValidationError({"id": message % {"id": pk}})


class DepartmentResource(WardScopedResourceMixin, resources.ModelResource):
    """Departments by ward slug and name; an empty ward is a city-level bureau."""

    required_columns = ("id", "name")

    ward = fields.Field(attribute="ward", column_name="ward", widget=WardWidget())

    class Meta:
        model = Department
        fields = ("id", "ward", "name", "name_en")
        import_id_fields = ("id",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
