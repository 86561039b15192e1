"""Lists filtered by the facet engine (portal.facets), a page at a time."""

from core.pagination import ForgivingPaginationMixin
from portal.facets import FACET_CACHE_SECONDS


class FacetedListMixin(ForgivingPaginationMixin):
    """A filtered, paginated list whose filters show their counts.

    The page's queryset is its model's ``for_list_page()`` and its template
    ``<app>/<model>_list.html``, unless the page declares others.
    Invalid parameters are ignored (``strict = False``) and named in ``notices``. The
    paginator's count comes from the filter set's cache, with the facets; the filter form
    is a cached fragment under the same key.
    Adds to the context: ``facets``, ``notices``, ``widenings`` (the same search
    without each active filter, for an empty result) and ``active_filters`` (the same,
    named by the options' labels, above the results).
    """

    strict = False
    paginate_by = 20
    # As ListView names it (<app>/<model>_list.html), not FilterView's "_filter".
    template_name_suffix = "_list"

    def get_queryset(self):
        return self.model.objects.for_list_page()

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        paginator.count = self.filterset.count()
        return paginator

    def get_context_data(self, **kwargs):
        self.notices = self.filterset.notices()
        context = super().get_context_data(**kwargs)
        context["facets"] = self.filterset.facets()
        context["active_filters"] = self.filterset.active_filters(context["facets"])
        # The filter form with its hundreds of counted options is rendered once per filter
        # state and language, and kept as long as its counts (includes/facets.html).
        context["facets_cache_key"] = self.filterset.facet_cache_key
        context["facets_cache_seconds"] = FACET_CACHE_SECONDS
        context["widenings"] = self.filterset.widenings()
        return context
