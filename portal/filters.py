"""Filters of the initiative and case-study lists, with facet counts.

Every filter state is a GET address (``?ward=miyamae&ward=takatsu&fy=2010``). A
parameter that does not parse (an unknown ward, ``fy=abc``) is left out and named in
a notice; the other filters still apply.
"""

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property

import django_filters
from django import forms
from django.core.cache import cache
from django.db import connections
from django.db.models import BooleanField, Count, F, Func, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core import versions
from core.fiscal_years import FIRST_ERA_YEAR, LAST_YEAR, format_fiscal_year
from core.names import localized
from initiatives.models import CaseStudy, FocusArea, Initiative, Pillar, Vision, running_in
from initiatives.receivers import COUNTED_DATA
from search import index as search_index
from search.models import DocumentKind, SearchDocument, SearchQuery
from wards.models import Department, Ward

FACET_CACHE_SECONDS = 300
MAX_LISTED_MATCHES = 5000
# The documents the lists' text filter reads (cases: their own and their initiatives').
TEXT_FILTER_KINDS = (DocumentKind.INITIATIVE, DocumentKind.CASE_STUDY)


class AnyOf(Func):
    """``field = ANY(%s)`` with the values as one array parameter (PostgreSQL)."""

    output_field = BooleanField()

    def __init__(self, field: str, values: list):
        super().__init__(F(field))
        self.values = values

    def as_sql(self, compiler, connection, **extra_context):
        field = self.source_expressions[0]
        column, params = compiler.compile(field)
        # Typed as the column: an array of another type is compared row by row, unhashed.
        array_type = field.output_field.cast_db_type(connection)
        return f"{column} = ANY(%s::{array_type}[])", (*params, self.values)


def current_fiscal_year() -> int:
    today = timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_ERA_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"inputmode": "numeric"}))
        super().__init__(*args, **kwargs)


class SortFilter(django_filters.ChoiceFilter):
    """``sort=<key>`` from a whitelist: key → (label, order_by fields)."""

    def __init__(self, *args, orders, **kwargs):
        self.orders = orders
        choices = [(key, label) for key, (label, _fields) in orders.items()]
        super().__init__(*args, choices=choices, empty_label=gettext_lazy("report order"), **kwargs)

    def filter(self, qs, value):
        if value in self.orders:
            return qs.order_by(*self.orders[value][1])
        return qs


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int
    selected: bool
    lang: str = "ja"


def option_label(obj) -> tuple[str, str]:
    """An option's (label, language): the English name on English pages where there is one.

    A department is named with its ward, since every ward has its 地域振興課.
    """
    text, language = localized(obj)
    if isinstance(obj, Department) and obj.ward_id:
        ward, ward_language = localized(obj.ward)
        text = f"{text}（{ward}）" if language == "ja" else f"{text} ({ward})"
        language = "ja" if "ja" in (language, ward_language) else language
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


def running_between(first: int | None, last: int | None) -> Q:
    """Initiatives running at some time from fiscal year ``first`` to ``last``."""
    condition = Q(fiscal_year_start__isnull=False)
    if last is not None:
        condition &= Q(fiscal_year_start__lte=last)
    if first is not None:
        condition &= Q(fiscal_year_end__isnull=True) | Q(fiscal_year_end__gte=first)
    return condition


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
        raise NotImplementedError

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
        facets = []
        for name in self.facet_paths:
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
            facets.append(Facet(name, str(field.label), multiple, options))
        years = self.counts_by_year()
        chosen = self.selected("fy")
        facets.append(
            Facet(
                "fy",
                str(self.form.fields["fy"].label),
                False,
                [
                    Option(
                        str(year),
                        format_fiscal_year(year),
                        count,
                        str(year) in chosen,
                        get_language() or "ja",
                    )
                    for year, count in years.items()
                ],
            )
        )
        return facets

    def notices(self) -> list[str]:
        if not self.is_bound:
            return []
        return [
            _("The filter “%(filter)s” was ignored: %(error)s")
            % {"filter": self.form.fields[name].label, "error": " ".join(errors)}
            for name, errors in self.form.errors.items()
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
                widenings.append(Widening(f"{label}: {raw}", remaining.urlencode()))
        return widenings


class InitiativeFilter(FacetedFilterSet):
    """The filters of ``/initiatives/``; ``ward``, ``vision``, ``fy`` and ``q`` as DESIGN.md."""

    ward = django_filters.ModelMultipleChoiceFilter(
        label=gettext_lazy("Ward"),
        queryset=Ward.objects.all(),
        to_field_name="slug",
        method="filter_ward",
    )
    vision = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Vision"),
        field_name="case_study__vision",
        queryset=Vision.objects.all(),
        to_field_name="number",
    )
    focus_area = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Focus area"),
        field_name="case_study__focus_area",
        queryset=FocusArea.objects.all(),
    )
    pillar = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Reform pillar"),
        field_name="pillars",
        queryset=Pillar.objects.all(),
        to_field_name="number",
    )
    department = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Department"),
        field_name="departments",
        queryset=Department.objects.select_related("ward"),
    )
    fy = YearFilter(label=gettext_lazy("Running in fiscal year"), method="filter_fy")
    fy_from = YearFilter(label=gettext_lazy("From fiscal year"), method="filter_fy_range")
    fy_to = YearFilter(label=gettext_lazy("To fiscal year"), method="filter_fy_range")
    q = django_filters.CharFilter(label=gettext_lazy("Text"), method="filter_q", max_length=200)
    sort = SortFilter(
        label=gettext_lazy("Sort by"),
        orders={
            "fy": (gettext_lazy("fiscal year, oldest first"), ("fiscal_year_start", "pk")),
            "-fy": (gettext_lazy("fiscal year, newest first"), ("-fiscal_year_start", "-pk")),
            "title": (gettext_lazy("title"), ("title", "pk")),
            "ward": (gettext_lazy("ward"), ("ward_position", "pk")),
        },
    )

    class Meta:
        model = Initiative
        fields = []

    def facet_rows(self, queryset):
        return queryset

    def filter_ward(self, queryset, name, value):
        # No ward chosen cleans to an empty queryset, which django-filter passes on.
        return queryset.for_wards(value) if value else queryset

    def filter_fy(self, queryset, name, value):
        return queryset.in_fiscal_year(value)

    def filter_fy_range(self, queryset, name, value):
        first = value if name == "fy_from" else None
        last = value if name == "fy_to" else None
        return queryset.filter(running_between(first, last))

    def filter_q(self, queryset, name, value):
        return queryset.filter(self.matching(value))

    def matching(self, value) -> Q | AnyOf:
        """The initiatives the search finds, searched once for the list and every facet.

        The ids are fetched, not left a subquery: the planner would walk the list's index
        in city order probing the search for each row, and the matches of a ward's name
        all lie in one stretch of that order (宮前: 54,000 probes, 4 s at 100,000). On
        PostgreSQL they go as one array parameter; SQLite takes at most 32,766 parameters,
        so past ``MAX_LISTED_MATCHES`` its ids stay a subquery.
        """
        if getattr(self, "_matches", None) is None or self._matches[0] != value:
            self._matches = (value, self.matching_condition(SearchQuery(value)))
        return self._matches[1]

    def matching_condition(self, query: SearchQuery) -> Q | AnyOf:
        """On PostgreSQL the ids are cached until an initiative's document changes: a
        visitor paging or narrowing a text search does not search again."""
        kind = DocumentKind.INITIATIVE
        matches = SearchDocument.objects.of_kind(kind).matching(query)
        ids = matches.order_by().values_list("object_id", flat=True)
        if connections[self.queryset.db].vendor == "postgresql":
            digest = hashlib.sha256(query.normalised.encode()).hexdigest()[:32]
            key = f"matches:{search_index.version(kind)}:{digest}"
            return AnyOf("pk", cache.get_or_set(key, lambda: list(ids), FACET_CACHE_SECONDS))
        listed = list(ids[: MAX_LISTED_MATCHES + 1])
        return Q(pk__in=ids if len(listed) > MAX_LISTED_MATCHES else listed)


class CaseStudyFilter(FacetedFilterSet):
    """The filters of ``/cases/``: cases with a published initiative that passes them."""

    ward = django_filters.ModelMultipleChoiceFilter(
        label=gettext_lazy("Ward"),
        queryset=Ward.objects.all(),
        to_field_name="slug",
        method="filter_initiatives",
    )
    vision = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Vision"), queryset=Vision.objects.all(), to_field_name="number"
    )
    focus_area = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Focus area"), queryset=FocusArea.objects.all()
    )
    pillar = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Reform pillar"),
        queryset=Pillar.objects.all(),
        to_field_name="number",
        method="filter_initiatives",
    )
    department = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Department"),
        queryset=Department.objects.select_related("ward"),
        method="filter_initiatives",
    )
    fy = YearFilter(label=gettext_lazy("Running in fiscal year"), method="filter_initiatives")
    fy_from = YearFilter(label=gettext_lazy("From fiscal year"), method="filter_initiatives")
    fy_to = YearFilter(label=gettext_lazy("To fiscal year"), method="filter_initiatives")
    q = django_filters.CharFilter(label=gettext_lazy("Text"), method="filter_q", max_length=200)
    sort = SortFilter(
        label=gettext_lazy("Sort by"),
        orders={
            "number": (gettext_lazy("number"), ("number",)),
            "title": (gettext_lazy("title"), ("title", "number")),
        },
    )

    class Meta:
        model = CaseStudy
        fields = []

    counted = "case_study"

    def facet_rows(self, queryset):
        return Initiative.objects.published().filter(case_study__in=queryset)

    def filter_initiatives(self, queryset, name, value):
        if name == "ward" and not value:
            return queryset
        if name in ("fy_from", "fy_to"):
            # One initiative must run within the whole range, not one from and one to.
            first, last = self.form.cleaned_data.get("fy_from"), self.form.cleaned_data.get("fy_to")
            if name == "fy_to" and first is not None:
                return queryset
            condition = running_between(first, last)
        else:
            condition = {
                "ward": Q(ward__in=value),
                "pillar": Q(pillars=value),
                "department": Q(departments=value),
                "fy": running_in(value),
            }[name]
        initiatives = Initiative.objects.published().filter(condition)
        return queryset.filter(pk__in=initiatives.values("case_study"))

    def filter_q(self, queryset, name, value):
        query = SearchQuery(value)
        cases = SearchDocument.objects.of_kind(DocumentKind.CASE_STUDY).matching(query)
        initiatives = SearchDocument.objects.of_kind(DocumentKind.INITIATIVE).matching(query)
        return queryset.filter(
            Q(pk__in=cases.values("object_id"))
            | Q(
                pk__in=Initiative.objects.published()
                .filter(pk__in=initiatives.values("object_id"))
                .values("case_study")
            )
        )
