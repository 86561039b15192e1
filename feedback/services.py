"""Writes on committee comments.

Every change after creation is one conditional UPDATE on the version the user saw
(optimistic concurrency): it returns False, and changes nothing, when the comment was
changed meanwhile or is no longer in a state that allows the change.
"""

from django.db.models import F
from django.utils import timezone

from feedback.models import Opinion, OpinionSource, OpinionState
from feedback.signals import comments_changed


def comment_create(*, author, case_study, topic, body, initiative=None, parent=None) -> Opinion:
    return Opinion.objects.create(
        source=OpinionSource.MEMBER,
        state=OpinionState.PENDING,
        author=author,
        case_study=case_study,
        topic=topic,
        body=body,
        initiative=initiative,
        parent=parent,
    )


def _change(queryset, *, comment_id: int, version: int, **values) -> bool:
    changed = queryset.filter(pk=comment_id, version=version).update(
        version=F("version") + 1, updated_at=timezone.now(), **values
    )
    if changed != 1:
        return False
    comments_changed.send(sender=Opinion, pks=[comment_id])
    return True


def comment_update(*, comment_id, author, version, topic, body, initiative) -> bool:
    """An author's edit, accepted only while the comment awaits moderation."""
    return _change(
        Opinion.objects.from_members().by_author(author).awaiting_moderation(),
        comment_id=comment_id,
        version=version,
        topic=topic,
        body=body,
        initiative=initiative,
    )


def comment_withdraw(*, comment_id, author, version) -> bool:
    """The author takes back a comment that awaits moderation or is published.

    Its replies stay as they are: the case page shows a withdrawn comment as a stub
    (「このコメントは取り下げられました」) under which its published replies stand, and a reply
    awaiting moderation may still be published there. So no reply that was shown, or
    that its author is told is published, ever vanishes with the comment above it.
    """
    return _change(
        Opinion.objects.from_members()
        .by_author(author)
        .filter(state__in=[OpinionState.PENDING, OpinionState.PUBLISHED]),
        comment_id=comment_id,
        version=version,
        state=OpinionState.WITHDRAWN,
    )


def comment_publish(*, comment_id, version) -> bool:
    return _change(
        Opinion.objects.from_members().awaiting_moderation(),
        comment_id=comment_id,
        version=version,
        state=OpinionState.PUBLISHED,
        published_at=timezone.now(),
        rejection_reason="",
    )


def comment_reject(*, comment_id, version, reason) -> bool:
    return _change(
        Opinion.objects.from_members().awaiting_moderation(),
        comment_id=comment_id,
        version=version,
        state=OpinionState.REJECTED,
        rejection_reason=reason,
    )
