"""A timeline by fiscal year: dated objects one by one, initiatives counted per year.

It knows no model: each object offers ``timeline_entry()`` (a ``TimelineEntry``, or None
when it has no fiscal year), and initiatives come as a queryset offering
``fiscal_year_spans()`` and ``starting_in(years)``. It lives in ``wards`` because
``wards.models`` depends on no other app, so every app's models may use it.

A ward or a vision holds thousands of initiatives: listing each would make a page of
megabytes that nobody reads. Each year shows how many of them began that year and links
the initiative list filtered to the years they run in; a year in which only a few began
lists those few by name.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

# A year in which at most this many initiatives began lists them; above, it counts them.
LISTED_PER_YEAR = 5


@dataclass(frozen=True)
class TimelineEntry:
    key: str  # unique across kinds, e.g. "measure-12": the same object loaded twice is one entry
    fiscal_year: int
    kind: str
    title: str
    url: str
    ongoing: bool = False
    last_fiscal_year: int | None = None


@dataclass(frozen=True)
class InitiativesOfYear:
    """The initiatives of one fiscal year: ``started`` began in it, ``running`` ran in it
    (those that began earlier and had not ended included), ``url`` lists the running ones,
    and ``entries`` names the ones that began when there are at most ``LISTED_PER_YEAR``
    (else it is empty)."""

    started: int
    running: int
    url: str
    entries: tuple[TimelineEntry, ...] = ()

    @property
    def others_running(self) -> bool:
        """Whether the listed entries leave out initiatives running that year."""
        return self.running > len(self.entries)


@dataclass(frozen=True)
class TimelineYear:
    fiscal_year: int
    entries: list[TimelineEntry] = field(default_factory=list)
    initiatives: InitiativesOfYear | None = None


def count_initiatives_by_year(
    initiatives, url_for_year: Callable[[int], str]
) -> dict[int, InitiativesOfYear]:
    """``{first fiscal year: InitiativesOfYear}`` for ``initiatives`` (a queryset), in two
    queries whatever their number: their (first year, last year) pairs counted, then the
    initiatives of the years in which few began. ``url_for_year(year)`` is the address of
    the list of those running in that year."""
    spans = list(initiatives.fiscal_year_spans())
    started = Counter()
    for first, _last, count in spans:
        started[first] += count
    listed_years = [year for year, count in started.items() if count <= LISTED_PER_YEAR]
    entries: dict[int, list[TimelineEntry]] = {}
    for initiative in initiatives.starting_in(listed_years):
        entry = initiative.timeline_entry()
        entries.setdefault(entry.fiscal_year, []).append(entry)
    return {
        year: InitiativesOfYear(
            started=count,
            running=sum(
                n for first, last, n in spans if first <= year and (last is None or last >= year)
            ),
            url=url_for_year(year),
            entries=tuple(entries.get(year, ())),
        )
        for year, count in started.items()
    }


def by_fiscal_year(objects, initiatives: dict[int, InitiativesOfYear] | None = None):
    """``[TimelineYear, …]``, oldest year first: each year's entries in the order of
    ``objects`` (objects without a fiscal year are left out), then its ``initiatives``
    (from ``count_initiatives_by_year``)."""
    entries = {}
    for obj in objects:
        entry = obj.timeline_entry()
        if entry is not None:
            entries.setdefault(entry.key, entry)
    years: dict[int, list[TimelineEntry]] = {}
    for entry in entries.values():
        years.setdefault(entry.fiscal_year, []).append(entry)
    initiatives = initiatives or {}
    return [
        TimelineYear(year, entries=years.get(year, []), initiatives=initiatives.get(year))
        for year in sorted(years.keys() | initiatives.keys())
    ]
