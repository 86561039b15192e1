"""Request parameters cleaned before any view reads them.

PostgreSQL refuses a NUL character (0x00) in text, so a ``?q=%00`` that reaches a query
answers 500 there while SQLite passes. The middleware drops NUL from every GET key and
value, for the public pages and the admin alike, so that no view, filter or admin lookup
has to remember to. Posted forms need no such help: Django's form fields refuse a NUL
with a message (ProhibitNullCharactersValidator), which tells the writer, where silently
dropping it would not.

Numbers out of range for a date (``?published_at__year=99999999999``, the admin's date
hierarchy and list filters) reach a date built in Python, which raises: the middleware
drops such a parameter and says so in a message, rather than answer 500.
"""

from django.contrib import messages
from django.http import HttpResponseRedirect, QueryDict
from django.utils.translation import gettext as _

NUL = "\x00"

# The admin's date lookups and the largest value each takes: Python's dates end in 9999.
DATE_PART_LIMITS = {"__year": (1, 9999), "__month": (1, 12), "__day": (1, 31)}


def strip_nul(text: str) -> str:
    return text.replace(NUL, "")


def cleaned(query: QueryDict) -> QueryDict | None:
    """``query`` without NUL characters, or None when it holds none (nothing to copy)."""
    if not any(
        NUL in key or any(NUL in value for value in values) for key, values in query.lists()
    ):
        return None
    result = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        result.setlist(strip_nul(key), [strip_nul(value) for value in values])
    result._mutable = False
    return result


def out_of_range_date_parts(query: QueryDict) -> list[str]:
    """The keys of ``query`` that name a date part (``…__year``) with a value that is not a
    whole number within that part's range."""
    refused = []
    for key, value in query.items():
        for suffix, (low, high) in DATE_PART_LIMITS.items():
            if key.endswith(suffix):
                try:
                    number = int(value)
                except ValueError:
                    refused.append(key)
                    break
                if not low <= number <= high:
                    refused.append(key)
                break
    return refused


class CleanParametersMiddleware:
    """Drops NUL characters from the names and values of GET parameters, and redirects a
    GET with a date part out of range to the same address without it.

    Stands after MessageMiddleware (it adds a message).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = cleaned(request.GET)
        if query is not None:
            request.GET = query
        refused = out_of_range_date_parts(request.GET) if request.method == "GET" else []
        if refused:
            kept = request.GET.copy()
            for key in refused:
                del kept[key]
            messages.warning(
                request,
                _("A date in the address was out of range and was left out: %(names)s.")
                % {"names": ", ".join(sorted(refused))[:200]},
            )
            query = kept.urlencode()
            return HttpResponseRedirect(request.path + (f"?{query}" if query else ""))
        return self.get_response(request)
