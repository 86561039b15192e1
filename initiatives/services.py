"""Writes that span several models of initiatives (HackSoft's services): each a function
named ``<entity>_<action>`` with keyword-only arguments."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core import versions
from initiatives.models import Initiative, InitiativePart, InitiativePoint
from initiatives.point_text import point_key
from initiatives.receivers import COUNTED_DATA
from initiatives.signals import initiative_points_replaced, initiatives_imported


def initiative_points_replace(*, initiative, points: dict[str, list[tuple[int, str, str]]]):
    """Make the initiative's points of each part equal to ``points``.

    A part whose points are unchanged is left alone; a changed part is written anew,
    and an item at the same place with the same text keeps its editorial note.
    """
    current = {part: [] for part in InitiativePart.values}
    for point in InitiativePoint.objects.filter(initiative=initiative):
        current[point.part].append(point)
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


# --- the import's writes -------------------------------------------------------


def initiatives_import_save(*, rows, user=None):
    """Write the rows an import planned (initiatives.resources.PlannedRow), in bulk.

    One transaction: the initiatives (created and updated, with their history rows), their
    departments (with the history's copy of them) and the lists that changed (an item at
    the same place with the same text keeps its editorial note). About 20 queries for
    10,000 rows, whatever the rows hold; nothing is read but the points being replaced.
    Then ``initiatives_imported`` tells the search index (and the lists' cached counts
    move), as bulk writes send no post_save.
    """
    if not rows:
        return
    now = timezone.now()
    user = user if getattr(user, "pk", None) else None
    created = [row for row in rows if row.new]
    updated = [row for row in rows if not row.new]
    for row in rows:
        instance = row.instance
        # Bulk writes pass by the pre_save signal that keeps these copies.
        instance.ward_position = instance.ward.position
        instance.case_number = instance.case_study.number if instance.case_study_id else None
        instance.updated_at = now
        if row.new:
            instance.created_at = now
    history = Initiative.history.model
    with transaction.atomic():
        if created:
            bulk_create_with_history(
                [row.instance for row in created],
                Initiative,
                batch_size=1000,
                default_user=user,
                default_date=now,
            )
        changed_fields = sorted(
            {field for row in updated for field in _changed_model_fields(row)}
            | {"updated_at", "ward_position", "case_number"}
        )
        # A version for each changed initiative; one whose lists alone changed keeps its
        # history, as the points have their own.
        fields_changed = [
            row for row in updated if _changed_model_fields(row) or "departments" in row.changed
        ]
        if fields_changed:
            bulk_update_with_history(
                [row.instance for row in fields_changed],
                Initiative,
                changed_fields,
                batch_size=500,
                default_user=user,
                default_date=now,
            )
        _save_departments(rows, created + fields_changed, history, now)
        _save_points(rows, user, now)
        pks = [row.instance.pk for row in rows]
        transaction.on_commit(lambda: versions.move(COUNTED_DATA))
        initiatives_imported.send(sender=Initiative, pks=pks)


IMPORT_FIELDS = {
    "ward": "ward",
    "case": "case_study",
    "is_main": "is_main",
    "position": "position",
    "title": "title",
    "summary": "summary",
    "editorial_note": "editorial_note",
    "fiscal_year_start": "fiscal_year_start",
    "fiscal_year_end": "fiscal_year_end",
    "status": "status",
    "published_at": "published_at",
}


def _changed_model_fields(row) -> set:
    return {IMPORT_FIELDS[key] for key in row.changed if key in IMPORT_FIELDS}


def _save_departments(rows, versioned, history, now):
    through = Initiative.departments.through
    replaced = [row for row in rows if not row.new and "departments" in row.changed]
    if replaced:
        through.objects.filter(initiative_id__in=[row.instance.pk for row in replaced]).delete()
    through.objects.bulk_create(
        [
            through(initiative_id=row.instance.pk, department_id=department.pk)
            for row in [*[r for r in rows if r.new], *replaced]
            for department in row.departments or []
        ],
        batch_size=2000,
    )
    # simple_history keeps each version's departments; its bulk helpers do not write them.
    m2m_history = history._meta.get_field("historicalinitiative_departments").related_model
    versions_of = dict(history.objects.filter(history_date=now).values_list("id", "history_id"))
    m2m_history.objects.bulk_create(
        [
            m2m_history(
                history_id=versions_of[row.instance.pk],
                initiative_id=row.instance.pk,
                department_id=department.pk,
            )
            for row in versioned
            if row.instance.pk in versions_of
            for department in row.departments_after
        ],
        batch_size=2000,
    )


def _save_points(rows, user, now):
    replaced = [(row, part) for row in rows for part in row.points if not row.new]
    notes = {}
    if replaced:
        condition = Q()
        for part in InitiativePart.values:
            pks = [row.instance.pk for row, p in replaced if p == part]
            if pks:
                condition |= Q(initiative_id__in=pks, part=part)
        old = list(
            InitiativePoint.objects.filter(condition).order_by("initiative_id", "part", "position")
        )
        for point in old:
            notes.setdefault((point.initiative_id, point.part), []).append(point)
        # Deleted without a signal a point (a history row and an index update each):
        # their history rows are written here in bulk, the index hears of the import.
        point_history = InitiativePoint.history.model
        point_history.objects.bulk_create(
            [
                point_history(
                    **{
                        f.attname: getattr(p, f.attname)
                        for f in InitiativePoint._meta.concrete_fields
                    },
                    history_type="-",
                    history_date=now,
                    history_user=user,
                )
                for p in old
            ],
            batch_size=2000,
        )
        InitiativePoint.objects.filter(pk__in=[p.pk for p in old])._raw_delete("default")
    new_points = []
    for row in rows:
        for part, wanted in row.points.items():
            kept = {
                (index, p.text): p.editorial_note
                for index, p in enumerate(notes.get((row.instance.pk, part), []), start=1)
            }
            new_points += [
                InitiativePoint(
                    initiative_id=row.instance.pk,
                    part=part,
                    position=position,
                    depth=depth,
                    style=style,
                    text=text,
                    editorial_note=kept.get((position, text), ""),
                )
                for position, (depth, style, text) in enumerate(wanted, start=1)
            ]
    if new_points:
        bulk_create_with_history(
            new_points, InitiativePoint, batch_size=2000, default_user=user, default_date=now
        )
