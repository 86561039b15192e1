"""The filters of ``/progress/`` (the commitments' dashboard), with facet counts.

Built on the lists' facet engine (``portal.facets.FacetedFilterSet``): every filter state
is an address (``?status=in_progress&ward=miyamae&vision=1&fy=2024``), a parameter that
does not parse is ignored and named in a notice, and each choice shows how many
commitments it would give with the other filters applied. ``status`` filters by the
state a commitment shows, ``stale`` (更新なし) included; ``fy`` by the fiscal year of a
published progress report.
"""

from functools import cached_property

import django_filters
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy

from core import versions
from initiatives.models import (
    STALE,
    STATES,
    Commitment,
    ProgressReport,
)
from initiatives.models.commitments import stale_condition
from initiatives.receivers import COMMITMENT_DATA
from portal.facets import Facet, FacetedFilterSet, Option
from portal.filters import YearFilter, vision_filter, ward_filter
from portal.progress import state_label


class CommitmentFilter(FacetedFilterSet):
    """Commitments by shown state, ward, vision and the fiscal year of their reports."""

    status = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("Status"),
        choices=[(state, state) for state in STATES],
        method="filter_status",
    )
    ward = ward_filter(method="filter_ward")
    vision = vision_filter(field_name="initiative__case_study__vision")
    fy = YearFilter(label=gettext_lazy("Reported in fiscal year"), method="filter_fy")

    facet_paths = {
        "status": "state",
        "ward": "initiative__ward",
        "vision": "initiative__case_study__vision",
    }

    class Meta:
        model = Commitment
        fields = []

    def filter_status(self, queryset, name, value):
        """By the state shown, written as conditions on the commitment's own columns
        rather than on the ``state`` annotation, so that an index can find them."""
        if not value:
            return queryset
        stale = stale_condition()
        condition = Q()
        for state in value:
            condition |= stale if state == STALE else Q(status=state) & ~stale
        return queryset.filter(condition)

    def filter_ward(self, queryset, name, value):
        return queryset.filter(initiative__ward__in=value) if value else queryset

    def filter_fy(self, queryset, name, value):
        reported = ProgressReport.objects.published().filter(fiscal_year=value)
        return queryset.filter(pk__in=reported.values("commitment"))

    @cached_property
    def facet_cache_key(self) -> str:
        # Staleness moves with the date; the counts with any commitment, report or what
        # groups them (initiatives.receivers.COMMITMENT_DATA).
        base = FacetedFilterSet.facet_cache_key.func(self)
        today = timezone.localdate().isoformat()
        return f"{base}:{versions.current(COMMITMENT_DATA)}:{today}"

    def counts_by_year(self) -> dict[int, int]:
        """Commitments with a published report of each fiscal year (1 query)."""
        rows = (
            ProgressReport.objects.published()
            .filter(commitment__in=self.queryset_without("fy").order_by().values("pk"))
            .order_by()
            .values("fiscal_year")
            .annotate(n=Count("commitment", distinct=True))
        )
        return dict(sorted((row["fiscal_year"], row["n"]) for row in rows if row["fiscal_year"]))

    def count_facets(self) -> list[Facet]:
        facets = []
        counts = self.counts_by("status")
        chosen = self.selected("status")
        facets.append(
            Facet(
                "status",
                str(self.form.fields["status"].label),
                True,
                [
                    Option(
                        state,
                        str(state_label(state)),
                        counts.get(state, 0),
                        state in chosen,
                        get_language() or "ja",
                    )
                    for state in STATES
                    if counts.get(state, 0) or state in chosen
                ],
            )
        )
        facets += [self.choice_facet("ward"), self.choice_facet("vision"), self.year_facet()]
        return facets
