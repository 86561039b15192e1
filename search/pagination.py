"""Pages of search results: a capped count, and pages read without ranking every match."""

from django.core.paginator import Paginator
from django.db import models
from django.utils.functional import cached_property

from search.models import RANKING, RANKS, SearchDocument, SearchQuery


class RankedMatches:
    """The visible documents matching ``query``, ranked, as the paginator takes them:
    ``count()`` (up to ``cap + 1``) and slices.

    Ranking every match of a common word (13,000 documents hold 宮前) reads them all. On
    PostgreSQL a page is therefore the union of the matches of each rank, each ordered and
    limited on its own. The matches of a rank that is common are read in the order of the
    (kind, object id) index, a scan that stops once it has the page; those of a rarer rank
    are found by the gram index and sorted.
    """

    cap = 1000
    # A rank is read in index order when the first cap + 1 matches counted hold at least
    # this many times the page's end of it: the scan then reads at most about a tenth of
    # the documents (page end × documents ÷ matches of the rank), usually a few hundred.
    ordered_scan_factor = 10

    def __init__(self, query: SearchQuery, fields=()):
        self.query = query
        self.documents = SearchDocument.objects.visible().only(*fields)

    def count(self) -> int:
        return self.sample["counted"]

    @cached_property
    def sample(self) -> dict[str, int]:
        """The number of matches, counted up to ``cap + 1``, and of those of each rank."""
        ranks = {f"rank_{rank}": models.Count("rank", filter=models.Q(rank=rank)) for rank in RANKS}
        return (
            self.documents.matching(self.query)
            .ranked(self.query)
            .order_by()
            .values("rank")[: self.cap + 1]
            .aggregate(counted=models.Count("*"), **ranks)
        )

    def __getitem__(self, window: slice) -> list[SearchDocument]:
        if self.documents.db_vendor != "postgresql":
            return list(self.documents.matching(self.query).ranked(self.query)[window])
        start, stop = window.start or 0, window.stop
        if start >= stop:
            return []
        first, *others = [
            self.documents.ranked_as(self.query, rank, by_index=not self.common(rank, stop))[:stop]
            for rank in RANKS
        ]
        return list(first.union(*others, all=True).order_by(*RANKING)[start:stop])

    def common(self, rank: int, stop: int) -> bool:
        return (
            self.sample["counted"] > self.cap
            and self.sample[f"rank_{rank}"] >= self.ordered_scan_factor * stop
        )


class CappedPaginator(Paginator):
    """Pages through the first ``cap`` of the ``RankedMatches``; ``capped`` when there are
    more (counting them all would cost as much as ranking them)."""

    @property
    def cap(self) -> int:
        return self.object_list.cap

    @cached_property
    def count(self) -> int:
        return min(self.object_list.count(), self.cap)

    @property
    def capped(self) -> bool:
        return self.object_list.count() > self.cap
