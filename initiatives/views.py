from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from initiatives.accessibility import load_results
from initiatives.filters import FACET_CACHE_SECONDS, CaseStudyFilter, InitiativeFilter
from initiatives.models import CaseStudy, Initiative, ReformPlan, Vision
from initiatives.overviews import vision_ward_grid
from initiatives.pagination import ForgivingPaginationMixin
from initiatives.report_page import load_report_page
from initiatives.seo import LIST_PARAMETERS
from wards.models import Ward
from wards.names import localized_html, marked_japanese
from wards.timeline import by_fiscal_year
from wards.views import BreadcrumbsMixin, unique

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

    def get_queryset(self):
        return Vision.objects.for_list_page()

    def get_breadcrumbs(self):
        return [(_("Visions"), reverse("initiatives:vision-list"))]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["grid"] = vision_ward_grid(
            visions=context["vision_list"],
            wards=Ward.objects.all(),
            counts=Initiative.objects.counts_by_vision_and_ward(),
        )
        return context


class VisionDetailView(BreadcrumbsMixin, DetailView):
    """One vision: its focus areas and measures, its case studies and their initiatives.

    Model: ``Vision`` through ``Vision.objects.for_detail_page()``, found by ``number``.
    Template: ``initiatives/vision_detail.html``. Context: ``vision``, ``timeline`` (by
    fiscal year: its measures, its cases' organisational changes and published
    initiatives), ``breadcrumbs``.
    """

    model = Vision
    slug_field = slug_url_kwarg = "number"

    def get_queryset(self):
        return Vision.objects.for_detail_page()

    def get_breadcrumbs(self):
        return [
            (_("Visions"), reverse("initiatives:vision-list")),
            (localized_html(self.object), None),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        vision = self.object
        case_studies = vision.case_studies.all()
        context["timeline"] = by_fiscal_year(
            [
                *(m for area in vision.focus_areas.all() for m in area.measures.all()),
                *(c for case in case_studies for c in case.organisational_changes.all()),
                *(i for case in case_studies for i in case.published_initiatives),
            ]
        )
        return context


class ReformPlanView(BreadcrumbsMixin, DetailView):
    """The reform plan in force: aims, six pillars, practical initiatives, opinions.

    Model: ``ReformPlan`` through ``ReformPlan.objects.for_detail_page().current()``.
    Template: ``initiatives/reformplan_detail.html``.
    Context: ``reformplan``, ``section`` (its report section), ``breadcrumbs``.
    """

    model = ReformPlan

    def get_object(self, queryset=None):
        return get_object_or_404(ReformPlan.objects.for_detail_page().current())

    def get_breadcrumbs(self):
        return [(_("Reform plan"), None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["section"] = self.object.section
        return context


class FacetedListMixin(ForgivingPaginationMixin):
    """A filtered, paginated list whose filters show their counts.

    Invalid parameters are ignored (``strict = False``) and named in ``notices``. The
    paginator's count comes from the filter set's cache, with the facets; the filter form
    is a cached fragment under the same key.
    Adds to the context: ``facets``, ``notices`` and ``widenings`` (the same search
    without each active filter, for an empty result).
    """

    strict = False
    paginate_by = 20

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        paginator.count = self.filterset.count()
        return paginator

    def get_context_data(self, **kwargs):
        self.notices = self.filterset.notices()
        context = super().get_context_data(**kwargs)
        context["facets"] = self.filterset.facets()
        # The filter form with its hundreds of counted options is rendered once per filter
        # state and language, and kept as long as its counts (includes/facets.html).
        context["facets_cache_key"] = self.filterset.facet_cache_key()
        context["facets_cache_seconds"] = FACET_CACHE_SECONDS
        context["notices"] = self.notices
        context["widenings"] = self.filterset.widenings()
        return context


class CaseStudyListView(BreadcrumbsMixin, FacetedListMixin, FilterView):
    """The report's case studies with their vision and the wards of their initiatives.

    Model: ``CaseStudy`` through ``CaseStudy.objects.for_list_page()``, filtered by
    ``CaseStudyFilter``. Template: ``initiatives/casestudy_list.html``.
    Context: ``casestudy_list`` (each with ``published_initiatives``), ``page_obj``,
    ``filter``, ``facets``, ``notices``, ``widenings``, ``breadcrumbs``.
    """

    model = CaseStudy
    canonical_parameters = LIST_PARAMETERS
    filterset_class = CaseStudyFilter
    template_name = "initiatives/casestudy_list.html"

    def get_queryset(self):
        return CaseStudy.objects.for_list_page()

    def get_breadcrumbs(self):
        return [(_("Case studies"), reverse("initiatives:case-list"))]


class CaseStudyDetailView(BreadcrumbsMixin, DetailView):
    """One case study with its initiatives and the report's opinions on it.

    Model: ``CaseStudy`` through ``CaseStudy.objects.for_detail_page()``, found by ``number``.
    Template: ``initiatives/casestudy_detail.html`` (its ``comments`` block is for the
    committee's comments). Context: ``casestudy``, ``main_initiatives``,
    ``other_initiatives``, ``wards`` (the wards of its initiatives), ``opinions`` (from the
    report), ``breadcrumbs``.
    """

    model = CaseStudy
    slug_field = slug_url_kwarg = "number"

    def get_queryset(self):
        return CaseStudy.objects.for_detail_page()

    def get_breadcrumbs(self):
        return [
            (_("Case studies"), reverse("initiatives:case-list")),
            (localized_html(self.object, "label"), None),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        initiatives = self.object.published_initiatives
        context["main_initiatives"] = [i for i in initiatives if i.is_main]
        context["other_initiatives"] = [i for i in initiatives if not i.is_main]
        context["wards"] = sorted(unique(i.ward for i in initiatives), key=lambda w: w.position)
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
    template_name = "initiatives/initiative_list.html"

    def get_queryset(self):
        return Initiative.objects.for_list_page()

    def paginate_queryset(self, queryset, page_size):
        # The page's ids come from an index-only scan in the list's order, then its rows by
        # primary key: a scan reading whole rows would read every row it skips (a text
        # filter's matches may lie past 50,000 others in city order).
        paginator, page, ids, is_paginated = super().paginate_queryset(
            queryset.values_list("pk", flat=True), page_size
        )
        ids = list(ids)
        rows = Initiative.objects.for_list_page().in_bulk(ids)
        page.object_list = [rows[pk] for pk in ids if pk in rows]
        return paginator, page, page.object_list, is_paginated

    def get_breadcrumbs(self):
        return [(_("Initiatives"), reverse("initiatives:list"))]


class InitiativeDetailView(BreadcrumbsMixin, DetailView):
    """One published initiative; drafts and future-dated ones are not found (404).

    Model: ``Initiative`` through ``Initiative.objects.for_detail_page()``.
    Template: ``initiatives/initiative_detail.html``.
    Context: ``initiative``, ``departments``, ``breadcrumbs``.
    """

    model = Initiative

    def get_queryset(self):
        return Initiative.objects.for_detail_page()

    def get_breadcrumbs(self):
        return [
            (_("Initiatives"), reverse("initiatives:list")),
            (marked_japanese(self.object.title), None),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["departments"] = self.object.departments.all()
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

    def get_breadcrumbs(self):
        return [(_("Accessibility policy"), None)]

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
