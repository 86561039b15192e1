from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from core.breadcrumbs import BreadcrumbsMixin, ObjectBreadcrumbsMixin
from feedback.models import Opinion
from initiatives.models import CaseStudy, wards_with_initiative_counts
from portal.object_pages import OverviewMixin
from proposals.models import Proposal
from wards.models import Ward


class WardListView(BreadcrumbsMixin, ListView):
    """Every ward with its number of published initiatives.

    Model: ``Ward`` through ``wards_with_initiative_counts()``.
    Template: ``wards/ward_list.html``. Context: ``ward_list``, ``breadcrumbs``.
    """

    model = Ward
    breadcrumbs = [(_("Wards"), reverse_lazy("wards:list"))]

    def get_queryset(self):
        return wards_with_initiative_counts()


class WardDetailView(ObjectBreadcrumbsMixin, OverviewMixin, ListView):
    """One ward: its initiatives a page at a time, the cases that hold them, a timeline.

    Model: ``Ward`` through ``Ward.objects.for_detail_page()``; its published initiatives,
    newest first, 20 a page (``?page=``; a page out of range shows the nearest, with a
    notice). Template: ``wards/ward_detail.html``. Context: ``ward``, ``page_obj`` (the
    initiatives), ``notices``, ``initiative_list_url`` (the filterable list of the ward's
    initiatives), ``cases`` (a ``CaseHolding``: the first
    cases holding its initiatives, each with ``initiative_count`` and
    ``report_opinions``), ``case_list_url``, ``departments``, ``timeline`` (by fiscal
    year: the measures of those cases' focus areas, their organisational changes, and
    the ward's initiatives counted, see ``core.timeline``), ``breadcrumbs``.
    ``proposal_counts`` (its published proposals, ``total`` and ``answered``) and
    ``proposals`` (the newest few of them) take 2 queries.
    ``commitment_summary`` (its commitments by state, 1 query) and ``progress_url``.
    15 queries whatever the number of initiatives (14 when no year names its initiatives).
    """

    proposals_shown = 5
    template_name = "wards/ward_detail.html"
    list_parameter = "ward"
    breadcrumbs = WardListView.breadcrumbs

    def object_queryset(self):
        return Ward.objects.for_detail_page()

    def of_object(self, queryset):
        return queryset.for_ward(self.object)

    def case_queryset(self):
        return CaseStudy.objects.for_ward_page().prefetch_related(
            Opinion.objects.report_prefetch("opinions")
        )

    def dated(self, cases):
        return [
            *(m for case in cases for m in case.focus_area.measures.all()),
            *(c for case in cases for c in case.organisational_changes.all()),
        ]

    def get_context_data(self, **kwargs):
        published = Proposal.objects.published().for_ward(self.object)
        return {
            **super().get_context_data(**kwargs),
            "departments": self.object.departments.all(),
            "proposal_counts": published.answer_counts(),
            "proposals": published.for_list_page()[: self.proposals_shown],
        }
