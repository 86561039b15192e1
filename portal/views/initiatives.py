from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from core.breadcrumbs import BreadcrumbsMixin, ObjectBreadcrumbsMixin
from core.pagination import DeferredJoinPaginator
from core.seo import LIST_PARAMETERS
from feedback.models import Opinion
from initiatives.models import CaseStudy, Initiative, ReformPlan, Vision
from portal.accessibility import load_results
from portal.filters import CaseStudyFilter, InitiativeFilter
from portal.list_pages import FacetedListMixin
from portal.object_pages import ObjectDetailMixin, ObjectInitiativesMixin, OverviewMixin
from portal.overviews import vision_ward_grid, wards_by_case
from portal.report_page import load_report_page
from proposals.models import Proposal, published_proposals_prefetch
from wards.models import Ward

# Querysets are built in get_queryset(), not as class attributes: "published" compares
# with the time of the request, not with the time the module was imported.


class HomeView(TemplateView):
    """The front page: what the portal is, the visions, the wards, the newest initiatives.

    Models: ``Vision``, ``Ward``, and ``Initiative`` through
    ``Initiative.objects.for_home_page()``. Template: ``initiatives/home.html``.
    Context: ``visions``, ``wards``, ``newest_initiatives``.
    """

    template_name = "initiatives/home.html"
    newest_count = 6

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["visions"] = Vision.objects.all()
        context["wards"] = Ward.objects.all()
        context["newest_initiatives"] = Initiative.objects.for_home_page()[: self.newest_count]
        return context


class VisionListView(BreadcrumbsMixin, ListView):
    """The four visions with their focus areas and case studies, and the vision × ward grid.

    Models: ``Vision`` through ``Vision.objects.for_list_page()``, ``Ward``, and
    ``Initiative.objects.counts_by_vision_and_ward()`` (5 queries).
    Template: ``initiatives/vision_list.html``.
    Context: ``vision_list``, ``grid`` (a ``VisionWardGrid``), ``breadcrumbs``.
    """

    model = Vision
    breadcrumbs = [(_("Visions"), reverse_lazy("initiatives:vision-list"))]

    def get_queryset(self):
        return Vision.objects.for_list_page()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["grid"] = vision_ward_grid(
            visions=context["vision_list"],
            wards=Ward.objects.all(),
            counts=Initiative.objects.counts_by_vision_and_ward(),
        )
        return context


class VisionDetailView(ObjectBreadcrumbsMixin, OverviewMixin, ListView):
    """One vision: its focus areas and measures, its case studies, its initiatives a page
    at a time, a timeline.

    Model: ``Vision`` through ``Vision.objects.for_detail_page()``, found by ``number``;
    the published initiatives of its cases, newest first, 20 a page (``?page=``; a page out
    of range shows the nearest, with a notice). Template: ``initiatives/vision_detail.html``.
    Context: ``vision``, ``cases`` (a ``CaseHolding``: the first cases serving it, each with
    ``initiative_count``), ``case_list_url``, ``page_obj`` (the initiatives), ``notices``,
    ``initiative_list_url`` (the filterable list of its initiatives), ``timeline`` (by
    fiscal year: its measures, the organisational
    changes of those cases, its initiatives counted, see ``core.timeline``),
    ``commitment_summary`` (its commitments by state), ``progress_url``, ``breadcrumbs``.
    12 queries whatever the data (11 when no year names its initiatives).
    """

    template_name = "initiatives/vision_detail.html"
    slug_field = slug_url_kwarg = "number"
    list_parameter = "vision"
    breadcrumbs = VisionListView.breadcrumbs

    def object_queryset(self):
        return Vision.objects.for_detail_page()

    def of_object(self, queryset):
        return queryset.for_vision(self.object)

    def case_queryset(self):
        return CaseStudy.objects.for_vision_page()

    def dated(self, cases):
        return [
            *(m for area in self.object.focus_areas.all() for m in area.measures.all()),
            *(c for case in cases for c in case.organisational_changes.all()),
        ]


class ReformPlanView(BreadcrumbsMixin, DetailView):
    """The reform plan in force: aims, six pillars, practical initiatives, opinions.

    Model: ``ReformPlan`` through ``ReformPlan.objects.for_detail_page().current()``.
    Template: ``initiatives/reformplan_detail.html``.
    Context: ``reformplan``, ``section`` (its report section), ``breadcrumbs``.
    """

    model = ReformPlan
    breadcrumbs = [(_("Reform plan"), None)]

    def get_object(self, queryset=None):
        return get_object_or_404(
            ReformPlan.objects.for_detail_page()
            .prefetch_related(Opinion.objects.report_prefetch("section__opinions"))
            .current()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["section"] = self.object.section
        return context


class CaseStudyListView(BreadcrumbsMixin, FacetedListMixin, FilterView):
    """The report's case studies with their vision and the wards of their initiatives.

    Model: ``CaseStudy`` through ``CaseStudy.objects.for_list_page()``, filtered by
    ``CaseStudyFilter``. Template: ``initiatives/casestudy_list.html``.
    Context: ``casestudy_list`` (each with ``wards``: ``WardCount``s, how many published
    initiatives of the case each ward holds, from one grouped query over the page's
    cases), ``page_obj``, ``filter``, ``facets``, ``notices``, ``widenings``,
    ``breadcrumbs``.
    """

    model = CaseStudy
    canonical_parameters = LIST_PARAMETERS
    filterset_class = CaseStudyFilter
    breadcrumbs = [(_("Case studies"), reverse_lazy("initiatives:case-list"))]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cases = context["casestudy_list"]
        wards = wards_by_case(cases)
        for case in cases:
            case.wards = wards.get(case.pk, [])
        return context


class CaseStudyDetailView(ObjectBreadcrumbsMixin, ObjectInitiativesMixin, ListView):
    """One case study: its main initiative in full, the others a page at a time, the
    report's opinions on it.

    Model: ``CaseStudy`` through ``CaseStudy.objects.for_detail_page()``, found by
    ``number``; its other published initiatives in the case's order, 20 a page
    (``?page=``; a page out of range shows the nearest, with a notice).
    Template: ``initiatives/casestudy_detail.html`` (its ``comments`` block is for the
    committee's comments). Context: ``casestudy``, ``main_initiatives``, ``page_obj`` (the
    other initiatives), ``notices``, ``wards`` (``WardCount``s: the wards of its
    initiatives, each with how many it holds), ``opinions`` (from the report),
    ``breadcrumbs``. 8 queries for a visitor, whatever the number of initiatives.
    """

    template_name = "initiatives/casestudy_detail.html"
    slug_field = slug_url_kwarg = "number"
    breadcrumbs = CaseStudyListView.breadcrumbs
    crumb_field = "label"

    def object_queryset(self):
        return CaseStudy.objects.for_detail_page().prefetch_related(
            Opinion.objects.report_prefetch("opinions")
        )

    def of_object(self, queryset):
        return queryset.for_case_study(self.object).select_related("ward")

    def get_queryset(self):
        return self.published_initiatives().filter(is_main=False).order_by("position", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["main_initiatives"] = self.published_initiatives().filter(is_main=True)
        context["wards"] = wards_by_case([self.object]).get(self.object.pk, [])
        context["opinions"] = self.object.report_opinions
        return context


class InitiativeListView(BreadcrumbsMixin, FacetedListMixin, FilterView):
    """Published initiatives, by ward in the city's order, then by case, filtered.

    Model: ``Initiative`` through ``Initiative.objects.for_list_page()``, filtered by
    ``InitiativeFilter`` (``?ward=…&vision=…&fy=…&q=…&sort=…``).
    Template: ``initiatives/initiative_list.html``. Context: ``initiative_list``,
    ``page_obj``, ``filter``, ``facets``, ``notices``, ``widenings``, ``breadcrumbs``.
    """

    model = Initiative
    canonical_parameters = LIST_PARAMETERS
    filterset_class = InitiativeFilter
    # A page's ids come from an index-only scan in city order: a scan reading whole rows
    # would read every row it skips (a text filter's matches may lie past 50,000 others).
    paginator_class = DeferredJoinPaginator
    breadcrumbs = [(_("Initiatives"), reverse_lazy("initiatives:list"))]

    def get_paginator(self, queryset, per_page, **kwargs):
        return super().get_paginator(queryset, per_page, rows=self.get_queryset(), **kwargs)


class InitiativeDetailView(ObjectDetailMixin, DetailView):
    """One published initiative; drafts and future-dated ones are not found (404).

    Model: ``Initiative`` through ``Initiative.objects.for_detail_page()``; its
    commitments through ``for_initiative_page()`` (3 queries: with their published reports
    and the published proposals that led to each).
    Template: ``initiatives/initiative_detail.html``.
    Context: ``initiative``, ``departments``, ``commitments`` (with their published
    reports), ``proposals`` (the published proposals that led to it), ``breadcrumbs``.
    """

    model = Initiative
    breadcrumbs = InitiativeListView.breadcrumbs
    crumb_field = "title"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["departments"] = self.object.departments.all()
        context["commitments"] = self.object.commitments.for_initiative_page().prefetch_related(
            published_proposals_prefetch()
        )
        context["proposals"] = (
            Proposal.objects.published().filter(initiative=self.object).for_list_page()
        )
        return context


class ReportView(TemplateView):
    """The whole report section in the source's order.

    Template ``initiatives/report.html``; context ``page`` (a ``ReportPage``, read by
    ``load_report_page`` in a fixed number of queries) and ``report``.
    """

    template_name = "initiatives/report.html"

    def get_context_data(self, **kwargs):
        page = load_report_page()
        return super().get_context_data(page=page, report=page.report, **kwargs)


class AccessibilityView(BreadcrumbsMixin, TemplateView):
    """The accessibility policy (アクセシビリティ方針) with the latest test results.

    Template: ``initiatives/accessibility.html``. Context: ``results`` (from
    ``initiatives/accessibility_results.json``), ``breadcrumbs``.
    """

    template_name = "initiatives/accessibility.html"
    breadcrumbs = [(_("Accessibility policy"), None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["results"] = load_results()
        return context


@require_GET
def robots_txt(request):
    """``/robots.txt``: public pages may be crawled, staff and sign-in pages not; the sitemap."""
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    return render(
        request,
        "robots.txt",
        {"sitemap_url": sitemap_url},
        content_type="text/plain; charset=utf-8",
    )
