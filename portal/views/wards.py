from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from core.breadcrumbs import BreadcrumbsMixin
from core.names import localized_html
from core.pagination import DeferredJoinPaginator
from core.timeline import by_fiscal_year, count_initiatives_by_year
from feedback.models import Opinion
from initiatives.models import CaseStudy, Initiative, wards_with_initiative_counts
from portal.object_pages import ObjectInitiativesMixin
from portal.overviews import initiative_list_url
from wards.models import Ward


class WardListView(BreadcrumbsMixin, ListView):
    """Every ward with its number of published initiatives.

    Model: ``Ward`` through ``wards_with_initiative_counts()``.
    Template: ``wards/ward_list.html``. Context: ``ward_list``, ``breadcrumbs``.
    """

    model = Ward

    def get_queryset(self):
        return wards_with_initiative_counts()

    def get_breadcrumbs(self):
        return [(_("Wards"), reverse("wards:list"))]


class WardDetailView(BreadcrumbsMixin, ObjectInitiativesMixin, ListView):
    """One ward: its initiatives a page at a time, the cases that hold them, a timeline.

    Model: ``Ward`` through ``Ward.objects.for_detail_page()``; its published initiatives,
    newest first, 20 a page (``?page=``; a page out of range shows the nearest, with a
    notice). Template: ``wards/ward_detail.html``. Context: ``ward``, ``page_obj`` (the
    initiatives), ``elided_page_range``, ``notices``, ``initiative_list_url`` (the
    filterable list of the ward's initiatives), ``cases`` (a ``CaseHolding``: the first
    cases holding its initiatives, each with ``initiative_count`` and
    ``report_opinions``), ``case_list_url``, ``departments``, ``timeline`` (by fiscal
    year: the measures of those cases' focus areas, their organisational changes, and
    the ward's initiatives counted, see ``core.timeline``), ``breadcrumbs``.
    12 queries whatever the number of initiatives (11 when no year names its initiatives).
    """

    paginator_class = DeferredJoinPaginator
    cases_shown = 10
    template_name = "wards/ward_detail.html"

    def object_queryset(self):
        return Ward.objects.for_detail_page()

    def of_object(self, initiatives):
        return initiatives.for_ward(self.object)

    def get_queryset(self):
        return self.of_object(Initiative.objects.for_cards())

    def get_breadcrumbs(self):
        return [(_("Wards"), reverse("wards:list")), (localized_html(self.object), None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ward = self.object
        cases = (
            CaseStudy.objects.for_ward_page()
            .prefetch_related(Opinion.objects.report_prefetch("opinions"))
            .holding(self.published_initiatives(), limit=self.cases_shown)
        )
        context["initiative_list_url"] = initiative_list_url(ward=ward.slug)
        context["cases"] = cases
        context["case_list_url"] = f"{reverse('initiatives:case-list')}?ward={ward.slug}"
        context["departments"] = ward.departments.all()
        context["timeline"] = by_fiscal_year(
            [
                *(m for case in cases.cases for m in case.focus_area.measures.all()),
                *(c for case in cases.cases for c in case.organisational_changes.all()),
            ],
            count_initiatives_by_year(
                self.published_initiatives(),
                lambda year: initiative_list_url(ward=ward.slug, fy=year),
            ),
        )
        return context
