"""Facet counts for the lists' filters: how many results each choice would give.

A ``FacetedFilterSet`` counts, per filter, the published initiatives (or the cases
holding them) that choosing each value would leave, with every other active filter
applied; the counts, the total and the filter form are cached per filter state until
the data they count changes.
"""

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property

import django_filters
from django import forms
from django.core.cache import cache
from django.db.models import Count
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import versions
from core.fiscal_years import current_fiscal_year, format_fiscal_year
from core.names import localized
from initiatives.models import Vision
from initiatives.receivers import COUNTED_DATA
from search import index as search_index
from search.models import DocumentKind
from wards.models import Department

FACET_CACHE_SECONDS = 300
# The documents the lists' text filter reads (cases: their own and their initiatives').
TEXT_FILTER_KINDS = (DocumentKind.INITIATIVE, DocumentKind.CASE_STUDY)


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int
    selected: bool
    lang: str = "ja"


def option_label(obj) -> tuple[str, str]:
    """An option's (label, language): the English name on English pages where there is one.

    A department is named with its ward.
    """
    if isinstance(obj, Department):
        return obj.localized_label()
    text, language = localized(obj)
    if isinstance(obj, Vision):
        text = f"{obj.number} {text}"
    return text, language


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    multiple: bool
    options: list[Option]


@dataclass(frozen=True)
class Widening:
    """A link that drops one active filter value."""

    label: str
    query_string: str
    name: str = ""
    value: str = ""


class FacetedFilterSet(django_filters.FilterSet):
    """A FilterSet whose choices show how many results choosing each would give.

    The counts are grouped over published initiatives (``facet_rows``): one aggregate
    query per facet, with every other active filter applied (so choosing a second ward
    shows what that ward adds).
    """

    # filter name → path from an initiative to the value counted.
    facet_paths = {
        "ward": "ward",
        "vision": "case_study__vision",
        "focus_area": "case_study__focus_area",
        "pillar": "pillars",
        "department": "departments",
    }
    # What one result is, seen from an initiative.
    counted = "pk"

    def facet_rows(self, queryset):
        """The rows the counts group, from the list's rows: those rows themselves, unless
        the list counts something else (a list of cases counts their initiatives)."""
        return queryset

    def queryset_without(self, name: str):
        queryset = self.queryset.all()
        if not self.is_bound:
            return queryset
        for other, value in self.form.cleaned_data.items():
            if other not in (name, "sort"):
                queryset = self.filters[other].filter(queryset, value)
        return queryset

    def counts_by(self, name: str) -> dict:
        rows = self.facet_rows(self.queryset_without(name)).order_by()
        path = self.facet_paths[name]
        # An initiative is one row per value of the facet (filters are single-valued or
        # many-to-one), so only a count of cases needs DISTINCT, which sorts every row.
        counts = rows.values(path).annotate(n=Count(self.counted, distinct=self.counted != "pk"))
        return {row[path]: row["n"] for row in counts}

    def counts_by_year(self) -> dict[int, int]:
        """Results running in each fiscal year, from the (first, last) year pairs.

        One query grouped by the pairs; the years an ongoing initiative runs in end
        with the current fiscal year.
        """
        rows = self.facet_rows(self.queryset_without("fy")).order_by()
        rows = rows.filter(fiscal_year_start__isnull=False)
        current = current_fiscal_year()
        results_by_year: dict[int, set] = defaultdict(set)
        counts: Counter = Counter()
        if self.counted == "pk":
            for start, end, n in rows.fiscal_year_spans():
                for year in range(start, (end or max(start, current)) + 1):
                    counts[year] += n
        else:
            spans = rows.values_list(self.counted, "fiscal_year_start", "fiscal_year_end")
            for result, start, end in spans.distinct():
                for year in range(start, (end or max(start, current)) + 1):
                    results_by_year[year].add(result)
            counts.update({year: len(results) for year, results in results_by_year.items()})
        return dict(sorted(counts.items()))

    def selected(self, name: str) -> set[str]:
        return set(self.data.getlist(name)) if self.is_bound else set()

    def facets(self) -> list[Facet]:
        """The facets of this filter state, from the cache while the data is unchanged.

        Counting takes one aggregate query per facet over every published initiative;
        ``initiatives.receivers`` moves ``COUNTED_DATA`` on any change of the data they
        count, and entries expire anyway (an initiative's publication time may come).
        """
        key = self.facet_cache_key
        facets = cache.get(key)
        if facets is None:
            facets = self.count_facets()
            cache.set(key, facets, FACET_CACHE_SECONDS)
        return facets

    def count(self) -> int:
        """How many results this filter state has, cached with its facets (same key, same
        expiry): at 100,000 initiatives the count costs more than a page of results."""
        return cache.get_or_set(f"{self.facet_cache_key}:count", self.qs.count, FACET_CACHE_SECONDS)

    @cached_property
    def facet_cache_key(self) -> str:
        state = (
            sorted(
                (key, value)
                for key, values in self.data.lists()
                if key not in ("page", "sort")
                for value in values
            )
            if self.is_bound
            else []
        )
        digest = hashlib.sha256(json.dumps(state).encode()).hexdigest()[:32]
        # The text filter matches search documents, which change apart from the data
        # counted (an imported point re-indexes its initiative without saving it).
        texts = ".".join(str(search_index.version(kind)) for kind in TEXT_FILTER_KINDS)
        counted = versions.current(COUNTED_DATA)
        return f"facets:{type(self).__name__}:{counted}:{texts}:{get_language()}:{digest}"

    def count_facets(self) -> list[Facet]:
        return [*(self.choice_facet(name) for name in self.facet_paths), self.year_facet()]

    def choice_facet(self, name: str) -> Facet:
        """The facet of a model-choice filter: each object with its count, the chosen ones
        kept even when nothing matches them."""
        field = self.form.fields[name]
        counts = self.counts_by(name)
        chosen = self.selected(name)
        options = []
        for obj in field.queryset:
            value = str(getattr(obj, field.to_field_name or "pk"))
            count = counts.get(obj.pk, 0)
            if count or value in chosen:
                label, language = option_label(obj)
                options.append(Option(value, label, count, value in chosen, language))
        multiple = isinstance(field, forms.ModelMultipleChoiceField)
        return Facet(name, str(field.label), multiple, options)

    def year_facet(self) -> Facet:
        """The fiscal years (``fy``) with their counts, in both eras."""
        chosen = self.selected("fy")
        language = get_language() or "ja"
        options = [
            Option(str(year), format_fiscal_year(year), count, str(year) in chosen, language)
            for year, count in self.counts_by_year().items()
        ]
        return Facet("fy", str(self.form.fields["fy"].label), False, options)

    def notices(self) -> list[str]:
        if not self.is_bound:
            return []
        return [
            _("The filter “%(filter)s” was ignored: %(error)s")
            % {"filter": self.form.fields[name].label, "error": " ".join(errors)}
            for name, errors in self.form.errors.items()
        ]

    def active_filters(self, facets) -> list[Widening]:
        """The active filter values as the results' heading names them (the option's label,
        e.g. 宮前区 for ``ward=miyamae``), each with the same search without it."""
        labels = {
            (facet.name, option.value): f"{facet.label}: {option.label}"
            for facet in facets
            for option in facet.options
        }
        return [
            Widening(
                labels.get((widening.name, widening.value), widening.label),
                widening.query_string,
                name=widening.name,
                value=widening.value,
            )
            for widening in self.widenings()
        ]

    def widenings(self) -> list[Widening]:
        """For each active filter value, the same search without it."""
        if not self.is_bound:
            return []
        widenings = []
        for name, value in self.form.cleaned_data.items():
            if (
                name == "sort"
                or value in (None, "")
                or (hasattr(value, "__len__") and not len(value))
            ):
                continue
            label = self.form.fields[name].label
            for raw in self.data.getlist(name):
                remaining = QueryDict(mutable=True)
                for key, values in self.data.lists():
                    if key == "page":
                        continue
                    kept = [v for v in values if not (key == name and v == raw)]
                    if kept:
                        remaining.setlist(key, kept)
                widenings.append(
                    Widening(f"{label}: {raw}", remaining.urlencode(), name=name, value=raw)
                )
        return widenings
