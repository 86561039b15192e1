from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from initiatives.models import CaseStudy, Initiative
from initiatives.object_pages import ObjectInitiativesMixin
from initiatives.overviews import initiative_list_url
from initiatives.pagination import DeferredJoinPaginator
from wards.models import Ward
from wards.names import localized_html
from wards.timeline import by_fiscal_year, count_initiatives_by_year


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
    the ward's initiatives counted, see ``wards.timeline``), ``breadcrumbs``.
    The template's ``{% ward_proposals %}`` adds the ward's published proposals, counted
    with how many are answered, and the newest of them (2 queries).
    14 queries whatever the number of initiatives (13 when no year names its initiatives).
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
        cases = CaseStudy.objects.for_ward_page().holding(
            self.published_initiatives(), limit=self.cases_shown
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
