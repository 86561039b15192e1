"""Rollups of commitments for the progress pages: counts per state, never averages.

Each commitment is counted once, in the state it shows: a stale one (更新なし) is counted
as stale, not in the status it last had, so no average or share hides it.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from core.names import localized_html
from initiatives.models import STALE, STATES, CommitmentStatus


def state_label(state: str):
    if state == STALE:
        return _("no update for 12 months")
    return CommitmentStatus(state).label


@dataclass
class RollupRow:
    label: object
    url: str | None
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[int]:
        return [self.counts.get(state, 0) for state in STATES]


@dataclass
class Rollup:
    """Rows (a ward, a vision) by state, and the column totals."""

    rows: list[RollupRow]
    states: list[tuple[str, object]] = field(
        default_factory=lambda: [(state, state_label(state)) for state in STATES]
    )

    @property
    def totals(self) -> RollupRow:
        counts = dict.fromkeys(STATES, 0)
        for row in self.rows:
            for state, n in row.counts.items():
                counts[state] += n
        return RollupRow(_("All"), None, counts)


def rollup(objects, counts: dict, *, none_label, link=None) -> Rollup:
    """A row per object with any commitment (``counts`` keyed by pk, from
    ``CommitmentQuerySet.state_counts_by``), then one for those with none (key None)."""
    rows = [
        RollupRow(localized_html(obj), link(obj) if link else None, counts[obj.pk])
        for obj in objects
        if obj.pk in counts
    ]
    if None in counts:
        rows.append(RollupRow(none_label, None, counts[None]))
    return Rollup(rows)


@dataclass(frozen=True)
class StateSummary:
    """How many commitments of a ward or vision are in each state (``counts``)."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def items(self) -> list[tuple[str, object, int]]:
        return [(state, state_label(state), n) for state, n in self.counts.items() if n]

    @property
    def stale(self) -> int:
        return self.counts.get(STALE, 0)
