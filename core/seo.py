"""What search engines and link previews read: canonical and language-alternate addresses.

A page's canonical address has no query string, except on the views that name the
parameters worth keeping in ``canonical_parameters``: the initiative and case lists keep
the filters that DESIGN.md gives a stable meaning (``ward``, ``vision``, ``fy``) and the
page number, sorted, and drop everything else. Free text (``q``), sort orders, other facets
and tracking parameters (``utm_*``, ``fbclid``) would otherwise make endless copies of one
page; a filtered list by ward or vision is a page worth finding on its own.
"""

from django.http import QueryDict

LIST_PARAMETERS = ("ward", "vision", "fy", "page")

# Open Graph names a locale as language_TERRITORY.
OG_LOCALES = {"ja": "ja_JP", "en": "en_US"}


def canonical_query(query: QueryDict, parameters) -> str:
    """The query string of the canonical address: the given parameters only, sorted."""
    kept = QueryDict(mutable=True)
    for name in parameters:
        values = sorted({value.strip() for value in query.getlist(name) if value.strip()})
        if name == "page":
            values = [value for value in values if value != "1"]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


def canonical_path(request, view=None) -> str:
    """This page's path with the query string its view keeps (see the module's docstring)."""
    query = canonical_query(request.GET, getattr(view, "canonical_parameters", ()))
    return f"{request.path}?{query}" if query else request.path
