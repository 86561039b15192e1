"""``translate_url`` once per page: the header's language switch and the page's hreflang
alternates ask for the same addresses, and each answer costs a resolve and a reverse."""

from django.http import HttpRequest
from django.urls import translate_url


def translated_url(request: HttpRequest, path: str, language: str) -> str:
    """``translate_url(path, language)``, kept on the request for the rest of its page."""
    known = request.__dict__.setdefault("_translated_urls", {})
    key = (path, language)
    if key not in known:
        known[key] = translate_url(path, language)
    return known[key]
