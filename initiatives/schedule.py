"""Initiatives published at a future time: the page cache moves its version at that time
(core.pagecache), and the lists' cached facet counts start again."""

from django.db.models import Min
from django.utils import timezone

from core import pagecache, versions
from initiatives.models import Initiative, InitiativeStatus
from initiatives.receivers import COUNTED_DATA


def next_publication():
    """When the next initiative already published with a time ahead appears (1 query)."""
    return Initiative.objects.filter(
        status=InitiativeStatus.PUBLISHED, published_at__gt=timezone.now()
    ).aggregate(next=Min("published_at"))["next"]


def register() -> None:
    pagecache.register_next_change(next_publication)
    pagecache.schedule_reached.connect(
        lambda **kwargs: versions.move(COUNTED_DATA),
        weak=False,
        dispatch_uid="initiatives.schedule",
    )
