import re

from django import template

register = template.Library()

CIRCLED_NUMBERS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@register.filter
def circled(number):
    """``4|circled`` → ④, as the report numbers its cases (事例④); plain digits past 20."""
    number = int(number)
    return CIRCLED_NUMBERS[number - 1] if 1 <= number <= len(CIRCLED_NUMBERS) else str(number)


@register.filter
def footnote_refs(text, footnotes):
    """Split text at the markers of the given footnotes, for linking each marker.

    Returns ``[(text, footnote or None), …]``; the template escapes every piece, so the
    text is never marked safe. The report writes a marker inside the text, e.g. 体育指導委員会（*）.
    """
    by_marker = {footnote.marker: footnote for footnote in footnotes}
    if not by_marker:
        return [(text, None)]
    # The capturing group keeps each marker: [text, marker, text, marker, …, text].
    pieces = re.split(f"({'|'.join(map(re.escape, by_marker))})", text)
    return [
        (pieces[i], by_marker.get(pieces[i + 1]) if i + 1 < len(pieces) else None)
        for i in range(0, len(pieces), 2)
    ]
