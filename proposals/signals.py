"""What proposals tell the layers above them (the search index) about writes that no
``post_save`` announces: state changes by conditional UPDATE."""

import time

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

# Sent with ``pks``: the proposals whose state changed.
proposals_changed = Signal()

VERSION_KEY = "proposals:version"


def version() -> int:
    """Moves whenever a proposal or an answer changes: part of the key of anything cached
    from them (the list's facet counts)."""
    return cache.get_or_set(VERSION_KEY, time.time_ns)


def data_changed(**kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns())


def connect() -> None:
    from proposals.models import Answer, Proposal

    for model in (Proposal, Answer):
        post_save.connect(data_changed, sender=model, dispatch_uid=f"proposals.saved.{model}")
        post_delete.connect(data_changed, sender=model, dispatch_uid=f"proposals.deleted.{model}")
    proposals_changed.connect(data_changed, dispatch_uid="proposals.changed")
