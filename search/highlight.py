"""The matching passage of a document, with the match in ``<mark>``.

The text is escaped piece by piece and only our own ``<mark>`` tags are added, so
data text is never trusted as HTML.
"""

from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString

from search.models import SearchDocument, SearchQuery
from search.text import normalise, normalised_form, reading, reading_form

BEFORE = 40
AFTER = 80


def match_spans(text: str, query: SearchQuery) -> list[tuple[int, int]]:
    """Where ``query`` occurs in ``text``: by normalised form, else by reading."""
    # The plain forms are quicker to test than the mapped ones are to build.
    if query.normalised and query.normalised in normalise(text):
        return normalised_form(text).spans_of(query.normalised)
    if query.reading and query.reading in reading(text):
        return reading_form(text).spans_of(query.reading)
    return []


def highlight(text: str, spans: list[tuple[int, int]]) -> SafeString:
    html = SafeString()
    position = 0
    for start, end in sorted(spans):
        if start < position:
            continue
        html += escape(text[position:start]) + format_html("<mark>{}</mark>", text[start:end])
        position = end
    return html + escape(text[position:])


def excerpt(text: str, spans: list[tuple[int, int]]) -> SafeString:
    """A window of ``text`` around its first match, or its beginning when none."""
    if spans:
        first_start, first_end = min(spans)
        start, end = max(0, first_start - BEFORE), min(len(text), first_end + AFTER)
    else:
        start, end = 0, min(len(text), BEFORE + AFTER)
    inside = [(s - start, e - start) for s, e in spans if s >= start and e <= end]
    html = highlight(text[start:end], inside)
    if start > 0:
        html = SafeString("…") + html
    if end < len(text):
        html += SafeString("…")
    return html


@dataclass(frozen=True)
class Result:
    document: SearchDocument
    url: str
    title: SafeString
    passage: SafeString


def result(document: SearchDocument, query: SearchQuery, url: str) -> Result:
    body = " ".join(document.body.split("\n"))
    return Result(
        document=document,
        url=url,
        title=highlight(document.title, match_spans(document.title, query)),
        passage=excerpt(body, match_spans(body, query)),
    )
