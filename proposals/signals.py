"""What proposals tell the layers above them (the search index, the list's cache) about
writes: state changes by conditional UPDATE, which no ``post_save`` announces, and the
version of what the list counts."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

from core import versions

# Sent with ``pks``: the proposals whose state changed.
proposals_changed = Signal()

# The version of what the proposal list counts and caches (its facets and total).
COUNTED_DATA = "proposals:counted"


def data_changed(**kwargs) -> None:
    versions.move(COUNTED_DATA)


def connect() -> None:
    from proposals.models import Answer, Proposal

    for model in (Proposal, Answer):
        post_save.connect(data_changed, sender=model, dispatch_uid=f"proposals.saved.{model}")
        post_delete.connect(data_changed, sender=model, dispatch_uid=f"proposals.deleted.{model}")
    proposals_changed.connect(data_changed, dispatch_uid="proposals.changed")
