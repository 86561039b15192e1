"""When the open data last changed: the version, ETag and Last-Modified of every file.

``portal.receivers`` moves the ``open-data`` version on any save or deletion of an
exported model. An initiative whose publication time comes shows without being saved,
so the newest publication time that has come is part of the version too (one query,
served by the index of the newest published initiatives).
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone

from core import versions
from initiatives.models import Initiative

OPEN_DATA = "open-data"


@dataclass(frozen=True)
class Freshness:
    key: str
    last_modified: datetime

    @property
    def etag(self) -> str:
        return self.key


def freshness(request=None) -> Freshness:
    """Once a request: ``condition()`` asks for the ETag and Last-Modified separately."""
    if request is not None and hasattr(request, "_open_data_freshness"):
        return request._open_data_freshness
    version = versions.current(OPEN_DATA)
    newest = Initiative.objects.published().aggregate(newest=Max("published_at"))["newest"]
    changed = cache.get_or_set(f"{OPEN_DATA}:changed:{version}", timezone.now, None)
    last_modified = max(changed, newest) if newest else changed
    stamp = int(newest.timestamp()) if newest else 0
    result = Freshness(key=f"{version}-{stamp}", last_modified=last_modified)
    if request is not None:
        request._open_data_freshness = result
    return result


def move() -> None:
    versions.move(OPEN_DATA)
