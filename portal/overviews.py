"""The data at a glance: the vision × ward grid of ``/visions/`` (built in Python from rows
the page has already fetched, so it costs no query of its own) and the wards of each case.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, F
from django.urls import reverse

from initiatives.models import published_condition
from wards.models import Ward


def initiative_list_url(**filters) -> str:
    """``/initiatives/`` filtered with DESIGN.md's parameters (``ward``, ``vision``, ``fy``)."""
    return f"{reverse('initiatives:list')}?{urlencode(filters)}"


@dataclass(frozen=True)
class GridCell:
    vision: object
    ward: object
    count: int

    @property
    def url(self) -> str:
        return initiative_list_url(vision=self.vision.number, ward=self.ward.slug)


@dataclass(frozen=True)
class GridRow:
    vision: object
    cells: list[GridCell]

    @property
    def total(self) -> int:
        return sum(cell.count for cell in self.cells)

    @property
    def url(self) -> str:
        return initiative_list_url(vision=self.vision.number)


@dataclass(frozen=True)
class VisionWardGrid:
    wards: list
    rows: list[GridRow]


def vision_ward_grid(*, visions, wards, counts) -> VisionWardGrid:
    """A row per vision, a cell per ward: how many published initiatives serve that vision
    there. ``counts`` are the rows of ``Initiative.objects.counts_by_vision_and_ward()``;
    a pair that has none is a cell of 0."""
    by_pair = {(row["vision_number"], row["ward_slug"]): row["count"] for row in counts}
    wards = list(wards)
    rows = [
        GridRow(
            vision=vision,
            cells=[
                GridCell(vision=vision, ward=ward, count=by_pair.get((vision.number, ward.slug), 0))
                for ward in wards
            ],
        )
        for vision in visions
    ]
    return VisionWardGrid(wards=wards, rows=rows)


@dataclass(frozen=True)
class WardCount:
    ward: object
    count: int


def wards_by_case(cases) -> dict[int, list[WardCount]]:
    """``{case id: [WardCount, …]}``: the wards holding published initiatives of each of
    ``cases``, in the city's order, with how many each holds (1 grouped query, read from
    the index ``initiative_case_published``)."""
    wards = (
        Ward.objects.filter(
            published_condition("initiatives__"),
            initiatives__case_study__in=[case.pk for case in cases],
        )
        .annotate(case_study_id=F("initiatives__case_study"), initiative_count=Count("initiatives"))
        .order_by("position")
    )
    by_case: dict[int, list[WardCount]] = {}
    for ward in wards:
        by_case.setdefault(ward.case_study_id, []).append(WardCount(ward, ward.initiative_count))
    return by_case
