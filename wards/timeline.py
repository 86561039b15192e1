"""A timeline by fiscal year, built in Python from objects a page has already loaded.

It knows no model: each object offers ``timeline_entry()`` (a ``TimelineEntry``, or None
when it has no fiscal year). It lives in ``wards`` because ``wards`` depends on no other
app, so every page may use it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class TimelineEntry:
    key: str  # unique across kinds, e.g. "measure-12": the same object loaded twice is one entry
    fiscal_year: int
    kind: str
    title: str
    url: str
    ongoing: bool = False
    last_fiscal_year: int | None = None


def by_fiscal_year(objects) -> list[tuple[int, list[TimelineEntry]]]:
    """``[(fiscal year, [entry, …]), …]``, oldest year first; within a year, the entries
    in the order of ``objects``. Objects without a fiscal year are left out."""
    entries = {}
    for obj in objects:
        entry = obj.timeline_entry()
        if entry is not None:
            entries.setdefault(entry.key, entry)
    years: dict[int, list[TimelineEntry]] = {}
    for entry in entries.values():
        years.setdefault(entry.fiscal_year, []).append(entry)
    return sorted(years.items())
