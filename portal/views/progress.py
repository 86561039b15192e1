from django.core.cache import cache
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView

from core.breadcrumbs import BreadcrumbsMixin
from initiatives.models import Commitment, Vision
from portal.facets import FACET_CACHE_SECONDS
from portal.list_pages import FacetedListMixin
from portal.progress import rollup
from portal.progress_filters import CommitmentFilter
from proposals.models import published_proposals_prefetch
from wards.models import Ward

PROGRESS_PARAMETERS = ("status", "ward", "vision", "fy", "page")


class ProgressDashboardView(BreadcrumbsMixin, FacetedListMixin, FilterView):
    """``/progress/``: every public commitment of the city, with its state and last report.

    Model: ``Commitment`` through ``Commitment.objects.for_dashboard()``, filtered by
    ``CommitmentFilter`` (``?status=…&ward=…&vision=…&fy=…``), 20 a page in city order.
    Template: ``progress/dashboard.html``. Context: ``commitment_list``, ``page_obj``,
    ``filter``, ``facets``, ``notices``, ``widenings``, ``by_ward`` and ``by_vision``
    (``Rollup``s of the filtered commitments: counts per state, each commitment once,
    the stale as stale), ``breadcrumbs``. The counts, facets and rollups are cached per
    filter state, language and day (staleness moves with the date).
    """

    model = Commitment
    canonical_parameters = PROGRESS_PARAMETERS
    filterset_class = CommitmentFilter
    template_name = "progress/dashboard.html"
    breadcrumbs = [(_("Progress of the commitments"), reverse_lazy("progress:dashboard"))]

    def get_queryset(self):
        # With the published proposals that led to each (1 query a page).
        return Commitment.objects.for_dashboard().prefetch_related(published_proposals_prefetch())

    def rollups(self):
        commitments = self.filterset.qs
        return {
            "by_ward": commitments.state_counts_by("initiative__ward"),
            "by_vision": commitments.state_counts_by("initiative__case_study__vision"),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = cache.get_or_set(
            f"{self.filterset.facet_cache_key}:rollups", self.rollups, FACET_CACHE_SECONDS
        )
        dashboard = reverse("progress:dashboard")
        context["by_ward"] = rollup(
            Ward.objects.all(),
            counts["by_ward"],
            none_label=_("The city (report sections)"),
            link=lambda ward: f"{dashboard}?ward={ward.slug}",
        )
        context["by_vision"] = rollup(
            Vision.objects.all(),
            counts["by_vision"],
            none_label=_("No vision"),
            link=lambda vision: f"{dashboard}?vision={vision.number}",
        )
        return context
