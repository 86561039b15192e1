"""Writes that span several models of initiatives (HackSoft's services): each a function
named ``<entity>_<action>`` with keyword-only arguments."""

from simple_history.utils import bulk_create_with_history

from initiatives.models import Initiative, InitiativePart, InitiativePoint, grouped_by_part
from initiatives.point_text import point_key
from initiatives.signals import initiative_points_replaced


def initiative_points_replace(*, initiative, points: dict[str, list[tuple[int, str, str]]]):
    """Make the initiative's points of each part equal to ``points``.

    A part whose points are unchanged is left alone; a changed part is written anew,
    and an item at the same place with the same text keeps its editorial note.
    """
    current = grouped_by_part(
        InitiativePoint.objects.filter(initiative=initiative), InitiativePart.values
    )
    new_points = []
    for part, wanted in points.items():
        old = current[part]
        if [point_key(p) for p in old] == wanted:
            continue
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
