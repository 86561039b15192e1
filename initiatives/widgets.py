"""How the import reads the columns that name other things: fiscal years, case studies by
number, departments by name."""

from django.utils.translation import gettext as _
from import_export import widgets

from core.fiscal_years import parse_fiscal_year
from initiatives.models import CaseStudy
from wards.models import Department


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
