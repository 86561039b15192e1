"""Writes that span several models of initiatives (HackSoft's services): each a function
named ``<entity>_<action>`` with keyword-only arguments."""

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.history import check_version, tracked_fields, version_close, version_open
from initiatives.models import (
    Initiative,
    InitiativePart,
    InitiativePoint,
    Photo,
    grouped_by_part,
)
from initiatives.point_text import point_key
from initiatives.signals import initiative_points_replaced


def initiative_points_replace(*, initiative, points: dict[str, list[tuple[int, str, str]]]):
    """Make the initiative's points of each part equal to ``points``.

    A part whose points are unchanged is left alone; a changed part is written anew,
    and an item at the same place with the same text keeps its editorial note.
    """
    # One version of the initiative, whatever the number of points written.
    token = version_open(initiative)
    try:
        changed = _points_replace(initiative, points)
    except BaseException:
        version_close(initiative, token, record=False)
        raise
    version_close(initiative, token, record=changed)


def _points_replace(initiative, points) -> bool:
    current = grouped_by_part(
        InitiativePoint.objects.filter(initiative=initiative), InitiativePart.values
    )
    new_points = []
    changed = False
    for part, wanted in points.items():
        old = current[part]
        if [point_key(p) for p in old] == wanted:
            continue
        changed = True
        notes = {(index, p.text): p.editorial_note for index, p in enumerate(old, start=1)}
        InitiativePoint.objects.filter(pk__in=[p.pk for p in old]).delete()
        new_points += [
            InitiativePoint(
                initiative=initiative,
                part=part,
                position=position,
                depth=depth,
                style=style,
                text=text,
                editorial_note=notes.get((position, text), ""),
            )
            for position, (depth, style, text) in enumerate(wanted, start=1)
        ]
    if new_points:
        bulk_create_with_history(new_points, InitiativePoint)
        # A bulk create sends no post_save: whatever mirrors an initiative's points (the
        # search index) hears of them by this signal.
        initiative_points_replaced.send(sender=Initiative, pks=[initiative.pk])
    return changed


def initiative_check_version(*, initiative, version):
    """Refuse a change of ``initiative`` based on a version older than its current one.

    For the admin's form and for imports: a row exported at version 3 of an initiative
    that someone has since saved (version 4) raises ``core.history.StaleVersion``
    (a ``ValidationError`` whose message, in the user's language, says who changed it,
    when and which fields; ``error.conflict`` holds the details). ``version`` None is
    refused too (a form or row that does not say which version it was based on). In a
    transaction, the initiative's row stays locked until it ends (on PostgreSQL).
    """
    check_version(initiative, version)


@transaction.atomic
def initiative_restore_version(*, initiative, history_id, user):
    """Make ``initiative`` what it was at the version ``history_id``: its fields, its
    departments, its points and its photos (captions, alternative text and order; a photo
    since deleted comes back with its file, one added since goes). One transaction; the
    restore is itself a new version, by ``user``. Returns the restored historical record.
    """
    record = initiative.history.get(history_id=history_id)
    token = version_open(initiative)
    try:
        _restore(initiative, record)
    except BaseException:
        version_close(initiative, token, record=False)
        raise
    number = record.version
    version_close(
        initiative,
        token,
        user=user,
        reason=_("Restored version %(number)s") % {"number": number},
    )
    return record


def _restore(initiative, record):
    for field in tracked_fields(record):
        setattr(initiative, field.attname, getattr(record, field.attname))
    initiative.save()
    departments = [row.department_id for row in record.departments.all()]
    initiative.departments.set(departments)
    snapshot = record.snapshot or {}
    if "points" in snapshot:
        InitiativePoint.objects.filter(initiative=initiative).delete()
        bulk_create_with_history(
            [InitiativePoint(initiative=initiative, **point) for point in snapshot["points"]],
            InitiativePoint,
        )
        initiative_points_replaced.send(sender=Initiative, pks=[initiative.pk])
    if "photos" in snapshot:
        wanted = {photo["id"]: photo for photo in snapshot["photos"]}
        Photo.objects.filter(initiative=initiative).exclude(pk__in=wanted).delete()
        existing = {photo.pk: photo for photo in Photo.objects.filter(initiative=initiative)}
        for pk, values in wanted.items():
            # A photo deleted since comes back as a new row (its id may have been reused).
            photo = existing.get(pk) or Photo(initiative=initiative)
            photo.position = values["position"]
            photo.caption = values["caption"]
            photo.alt_text = values["alt_text"]
            photo.image = values["image"]
            photo.thumbnail = values["thumbnail"]
            photo.save()
