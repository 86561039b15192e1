"""The filters of the initiative and case-study lists, declared once for both, and the
ward and vision filters that every list takes.

Every filter state is a GET address (``?ward=miyamae&ward=takatsu&fy=2010``). A
parameter that does not parse (an unknown ward, ``fy=abc``) is left out and named in
a notice; the other filters still apply.
"""

import hashlib

import django_filters
from django import forms
from django.core.cache import cache
from django.db import connections
from django.db.models import BooleanField, F, Func, Q
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.fiscal_years import FIRST_ERA_YEAR, LAST_YEAR
from initiatives.models import CaseStudy, FocusArea, Initiative, Pillar, Vision, running_in
from portal.facets import FACET_CACHE_SECONDS, FacetedFilterSet
from search import index as search_index
from search.models import DocumentKind, SearchDocument, SearchQuery
from wards.models import Department, Ward

MAX_LISTED_MATCHES = 5000


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


@extend_schema_field(OpenApiTypes.INT)  # for the API's schema (portal/api)
class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_ERA_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"inputmode": "numeric"}))
        super().__init__(*args, **kwargs)


class SortFilter(django_filters.OrderingFilter):
    """``sort=<key>`` from the choices given, each ordered ``tiebreak`` after its own field
    (in the same direction), so that a page of results never shifts between requests.

    ``default`` is the key applied when there is none, named first in the sort box (no
    empty choice then); the key ``report`` is the queryset's own order, the report's.
    Without a default, no sort is the report's order."""

    REPORT_ORDER = "report"

    def __init__(self, *args, tiebreak, default=None, **kwargs):
        self.tiebreak = tiebreak
        self.default = default
        kwargs.setdefault("empty_label", None if default else gettext_lazy("report order"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            if self.default is None:
                return qs
            value = [self.default]
        ordering = []
        for param in value:
            if param == self.REPORT_ORDER:
                return qs
            field = self.get_ordering_value(param)
            tiebreak = f"-{self.tiebreak}" if field.startswith("-") else self.tiebreak
            ordering += [field] if field.lstrip("-") == self.tiebreak else [field, tiebreak]
        return qs.order_by(*ordering)


def running_between(first: int | None, last: int | None) -> Q:
    """Initiatives running at some time from fiscal year ``first`` to ``last``."""
    condition = Q(fiscal_year_start__isnull=False)
    if last is not None:
        condition &= Q(fiscal_year_start__lte=last)
    if first is not None:
        condition &= Q(fiscal_year_end__isnull=True) | Q(fiscal_year_end__gte=first)
    return condition


def ward_filter(method: str):
    """``ward=<slug>``, repeatable, applied by ``method``."""
    return django_filters.ModelMultipleChoiceFilter(
        label=gettext_lazy("Ward"), queryset=Ward.objects.all(), to_field_name="slug", method=method
    )


def vision_filter(**kwargs):
    """``vision=<number>``, on ``field_name`` or applied by ``method``."""
    return django_filters.ModelChoiceFilter(
        label=gettext_lazy("Vision"),
        queryset=Vision.objects.all(),
        to_field_name="number",
        **kwargs,
    )


def choice(label, queryset, *, multiple=False, **kwargs):
    """A filter choosing among ``queryset``, applied by the list's ``filter_initiatives``."""
    filter_class = (
        django_filters.ModelMultipleChoiceFilter if multiple else django_filters.ModelChoiceFilter
    )
    return filter_class(label=label, queryset=queryset, method="filter_initiatives", **kwargs)


class ListFilterSet(FacetedFilterSet):
    """The filters ``/initiatives/`` and ``/cases/`` share: the same parameters, labels and
    choices, each applied by the list's own ``filter_initiatives`` (an initiative's value
    or, for a case, the values of its published initiatives) or ``filter_q``."""

    ward = ward_filter(method="filter_initiatives")
    vision = vision_filter(method="filter_initiatives")
    focus_area = choice(gettext_lazy("Focus area"), FocusArea.objects.all())
    pillar = choice(gettext_lazy("Reform pillar"), Pillar.objects.all(), to_field_name="number")
    department = choice(gettext_lazy("Department"), Department.objects.select_related("ward"))
    fy = YearFilter(label=gettext_lazy("Running in fiscal year"), method="filter_initiatives")
    fy_from = YearFilter(label=gettext_lazy("From fiscal year"), method="filter_initiatives")
    fy_to = YearFilter(label=gettext_lazy("To fiscal year"), method="filter_initiatives")

    @property
    def qs(self):
        # An unbound filter set (no parameters at all) filters nothing, and so would sort
        # nothing either: the default sort applies all the same.
        queryset = super().qs
        sort = self.filters.get("sort")
        if not self.is_bound and getattr(sort, "default", None):
            queryset = sort.filter(queryset, None)
        return queryset

    q = django_filters.CharFilter(label=gettext_lazy("Text"), method="filter_q", max_length=200)

    def filter_initiatives(self, queryset, name, value):
        raise NotImplementedError

    def filter_q(self, queryset, name, value):
        raise NotImplementedError


class InitiativeFilter(ListFilterSet):
    """The filters of ``/initiatives/``; ``ward``, ``vision``, ``fy`` and ``q`` as DESIGN.md."""

    # Newly published initiatives first by default, where a visitor looks first (served by
    # the index initiative_newest); the report's order is one choice away.
    sort = SortFilter(
        label=gettext_lazy("Sort by"),
        fields={
            "published_at": "new",
            "fiscal_year_start": "fy",
            "title": "title",
            "ward_position": "ward",
        },
        choices=[
            ("-new", gettext_lazy("newest first")),
            (SortFilter.REPORT_ORDER, gettext_lazy("report order")),
            ("fy", gettext_lazy("fiscal year, oldest first")),
            ("-fy", gettext_lazy("fiscal year, newest first")),
            ("title", gettext_lazy("title")),
            ("ward", gettext_lazy("ward")),
        ],
        tiebreak="pk",
        default="-new",
    )

    class Meta:
        model = Initiative
        fields = []

    def filter_initiatives(self, queryset, name, value):
        if name == "ward":
            # No ward chosen cleans to an empty queryset, which django-filter passes on.
            return queryset.for_wards(value) if value else queryset
        if name == "fy":
            return queryset.in_fiscal_year(value)
        if name in ("fy_from", "fy_to"):
            first = value if name == "fy_from" else None
            last = value if name == "fy_to" else None
            return queryset.filter(running_between(first, last))
        return queryset.filter(**{self.facet_paths[name]: value})

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


class CaseStudyFilter(ListFilterSet):
    """The filters of ``/cases/``: cases with a published initiative that passes them."""

    sort = SortFilter(
        label=gettext_lazy("Sort by"),
        choices=[("number", gettext_lazy("number")), ("title", gettext_lazy("title"))],
        tiebreak="number",
    )

    class Meta:
        model = CaseStudy
        fields = []

    counted = "case_study"

    def facet_rows(self, queryset):
        return Initiative.objects.published().filter(case_study__in=queryset)

    def filter_initiatives(self, queryset, name, value):
        if name in ("vision", "focus_area"):
            # A case's own vision and focus area, not its initiatives'.
            return queryset.filter(**{name: value})
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
