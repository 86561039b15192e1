from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from wards.models import Ward
from wards.names import localized_html
from wards.timeline import by_fiscal_year


class BreadcrumbsMixin:
    """Adds ``breadcrumbs``, ``[(label, url), …]`` from the front page to this page.

    The last entry is the page itself; ``includes/breadcrumbs.html`` renders the trail.
    A label that is Japanese text on an English page comes marked ``lang="ja"``
    (``wards.names.localized_html``).
    """

    def get_breadcrumbs(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = [(_("Home"), reverse("home")), *self.get_breadcrumbs()]
        return context


def unique(items):
    """The distinct items in their first order (model instances compare by primary key)."""
    return list(dict.fromkeys(items))


class WardListView(BreadcrumbsMixin, ListView):
    """Every ward with its number of published initiatives.

    Model: ``Ward`` through ``Ward.objects.with_initiative_counts()``.
    Template: ``wards/ward_list.html``. Context: ``ward_list``, ``breadcrumbs``.
    """

    model = Ward

    def get_queryset(self):
        return Ward.objects.with_initiative_counts()

    def get_breadcrumbs(self):
        return [(_("Wards"), reverse("wards:list"))]


class WardDetailView(BreadcrumbsMixin, DetailView):
    """One ward and everything that happened there.

    Model: ``Ward`` through ``Ward.objects.for_detail_page()``.
    Template: ``wards/ward_detail.html``. Context: ``ward`` (with ``published_initiatives``),
    ``case_studies`` (the cases its published initiatives belong to, each with
    ``report_opinions``), ``departments``, ``timeline`` (by fiscal year: the measures of
    those cases' focus areas, their organisational changes, the ward's initiatives),
    ``breadcrumbs``.
    """

    model = Ward

    def get_queryset(self):
        return Ward.objects.for_detail_page()

    def get_breadcrumbs(self):
        return [(_("Wards"), reverse("wards:list")), (localized_html(self.object), None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        initiatives = self.object.published_initiatives
        case_studies = unique(i.case_study for i in initiatives if i.case_study_id)
        context["case_studies"] = case_studies
        context["departments"] = self.object.departments.all()
        context["timeline"] = by_fiscal_year(
            [
                *(m for case in case_studies for m in case.focus_area.measures.all()),
                *(c for case in case_studies for c in case.organisational_changes.all()),
                *initiatives,
            ]
        )
        return context
