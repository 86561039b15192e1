"""The filters of ``/proposals/``, with facet counts from the lists' facet engine.

``ward=<slug>`` (repeatable), ``status=<answer status>`` or ``status=none`` (not yet
answered), ``vision=<n>``, ``fy=<year>`` (the fiscal year the proposal was sent in).
As on the initiative list, a parameter that does not parse is ignored and named.
"""

from functools import cached_property

import django_filters
from django.db.models import Count
from django.utils.translation import get_language, gettext_lazy

from core import versions
from portal.facets import Facet, FacetedFilterSet, Option
from portal.filters import YearFilter, vision_filter, ward_filter
from proposals import signals
from proposals.models import AnswerStatus, Proposal

UNANSWERED = "none"


class ProposalFilter(FacetedFilterSet):
    ward = ward_filter(method="filter_ward")
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Answer"),
        choices=[(UNANSWERED, gettext_lazy("not answered yet")), *AnswerStatus.choices],
        method="filter_status",
    )
    vision = vision_filter(field_name="vision")
    fy = YearFilter(label=gettext_lazy("Fiscal year sent"), field_name="fiscal_year")

    facet_paths = {"ward": "ward", "vision": "vision"}

    class Meta:
        model = Proposal
        fields = ["ward", "status", "vision", "fy"]

    def filter_ward(self, queryset, name, value):
        return queryset.filter(ward__in=value) if value else queryset

    def filter_status(self, queryset, name, value):
        if value == UNANSWERED:
            return queryset.filter(answer__isnull=True)
        return queryset.filter(answer__status=value) if value else queryset

    def counts_by_year(self) -> dict[int, int]:
        rows = self.queryset_without("fy").order_by().values("fiscal_year")
        counts = rows.annotate(n=Count("pk"))
        return dict(sorted((row["fiscal_year"], row["n"]) for row in counts))

    def count_facets(self):
        facets = super().count_facets()
        rows = self.queryset_without("status").order_by().values("answer__status")
        counts = {row["answer__status"]: row["n"] for row in rows.annotate(n=Count("pk"))}
        counts[UNANSWERED] = counts.pop(None, 0)
        chosen = self.selected("status")
        options = [
            Option(value, str(label), counts.get(value, 0), value in chosen, get_language() or "ja")
            for value, label in self.form.fields["status"].choices
            if value and (counts.get(value) or value in chosen)
        ]
        facets.insert(1, Facet("status", str(self.form.fields["status"].label), False, options))
        return facets

    @cached_property
    def facet_cache_key(self) -> str:
        return f"{super().facet_cache_key}:{versions.current(signals.COUNTED_DATA)}"
