"""Writes that span several models of initiatives (HackSoft's services): each a function
named ``<entity>_<action>`` with keyword-only arguments."""

import json

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core import versions
from core.history import check_version, tracked_fields, version_close, version_open
from initiatives.models import (
    REPORTED_STATUSES,
    Commitment,
    CommitmentStatus,
    Initiative,
    InitiativePart,
    InitiativePoint,
    Photo,
    ProgressReport,
    ReportState,
    grouped_by_part,
)
from initiatives.point_text import point_key
from initiatives.receivers import COMMITMENT_DATA, COUNTED_DATA
from initiatives.signals import initiative_points_replaced, initiatives_imported


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


# --- the import's writes -------------------------------------------------------


def initiatives_import_save(*, rows, user=None):
    """Write the rows an import planned (initiatives.resources.PlannedRow), in bulk.

    One transaction: the initiatives (created and updated, with their history rows), their
    departments (with the history's copy of them) and the lists that changed (an item at
    the same place with the same text keeps its editorial note). A few dozen queries for
    10,000 rows, whatever they hold: new rows are written by COPY on PostgreSQL and one
    prepared INSERT on SQLite, with ids taken from the table's sequence beforehand, as
    Django's bulk_create spends most of an import's time preparing each value. Then
    ``initiatives_imported`` tells the search index (and the lists' cached counts move),
    as bulk writes send no post_save.
    """
    if not rows:
        return
    now = timezone.now()
    user_id = getattr(user, "pk", None)
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
    # A version for each changed initiative, its lists included: a version is the whole
    # initiative (core.history).
    fields_changed = [
        row for row in updated if row.changed_fields or "departments" in row.changed or row.points
    ]
    with transaction.atomic():
        _refuse_rows_changed_meanwhile(updated)
        if created:
            columns = [f.attname for f in Initiative._meta.concrete_fields]
            for row, pk in zip(created, _new_ids(Initiative, len(created)), strict=True):
                row.instance.pk = pk
                row.instance._state.adding = False
            _insert(
                Initiative,
                columns,
                [[getattr(row.instance, c) for c in columns] for row in created],
            )
        if fields_changed:
            # A new version, so that a change form opened before the import is refused.
            for row in fields_changed:
                row.instance.version += 1
            changed_fields = sorted(
                {field for row in fields_changed for field in row.changed_fields}
                | {"updated_at", "ward_position", "case_number", "version"}
            )
            _update(Initiative, changed_fields, [row.instance for row in fields_changed])
        versioned = created + fields_changed
        _save_points(rows, user_id, now)
        # Whole versions (core.history): each with the points and captions as now written.
        _insert_history(
            Initiative,
            [(row.instance, "+" if row.new else "~") for row in versioned],
            user_id,
            now,
            snapshots=Initiative.version_snapshots,
        )
        # After the versions: each version's departments are written beside it.
        _save_departments(rows, versioned, history, now)
        pks = [row.instance.pk for row in rows]
        transaction.on_commit(lambda: versions.move(COUNTED_DATA))
        initiatives_imported.send(sender=Initiative, pks=pks)


def _refuse_rows_changed_meanwhile(updated) -> None:
    """Refuse the whole import if an initiative it updates was saved after the rows were
    checked against it (someone saved it while the import was being confirmed): the rows
    hold that check's version. The rows stay locked until the import's writes end (on
    PostgreSQL; SQLite's write lock holds everything)."""
    if not updated:
        return
    planned = {row.instance.pk: row.instance.version for row in updated}
    stored = dict(
        Initiative.objects.select_for_update()
        .filter(pk__in=planned)
        .order_by()
        .values_list("pk", "version")
    )
    moved = sorted(pk for pk, version in planned.items() if stored.get(pk) != version)
    if moved:
        named = "、".join(f"ID {pk}" for pk in moved[:20]) + ("…" if len(moved) > 20 else "")
        raise ValidationError(
            _(
                "Someone saved %(ids)s while this import was being confirmed. Nothing was "
                "imported: export the file again and bring your changes into it."
            )
            % {"ids": named}
        )


def _new_ids(model, count: int) -> list[int]:
    """``count`` ids for new rows of ``model``, which no other writer will take."""
    if not count:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [pk for (pk,) in cursor.fetchall()]
        # SQLite: the transaction holds the write lock, so nobody else adds rows meanwhile.
        cursor.execute(
            f"SELECT MAX(m) FROM (SELECT MAX({connection.ops.quote_name(column)}) AS m "
            f"FROM {connection.ops.quote_name(table)} UNION ALL "
            "SELECT seq FROM sqlite_sequence WHERE name = %s)",
            [table],
        )
        first = (cursor.fetchone()[0] or 0) + 1
        return list(range(first, first + count))


def _insert(model, attnames: list[str], rows) -> None:
    """Insert rows of plain values (ids included) into ``model``'s table at once.

    ``rows`` may be a generator, so that 70,000 points' rows never all exist at once.
    """
    if isinstance(rows, list) and not rows:
        return
    quote = connection.ops.quote_name
    fields = [
        next(f for f in model._meta.concrete_fields if f.attname == name) for name in attnames
    ]
    columns = ", ".join(quote(f.column) for f in fields)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        moments = [i for i, f in enumerate(fields) if f.get_internal_type() == "DateTimeField"]
        adapt = connection.ops.adapt_datetimefield_value

        def adapted():
            for row in rows:
                for i in moments:
                    row[i] = adapt(row[i])
                yield row

        placeholders = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", adapted())


def _update(model, names: list[str], objects) -> None:
    """Set these fields of these objects, one prepared UPDATE run for every object."""
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    rows = [[getattr(o, f.attname) for f in fields] + [o.pk] for o in objects]
    if connection.vendor != "postgresql":
        moments = [i for i, f in enumerate(fields) if f.get_internal_type() == "DateTimeField"]
        for row in rows:
            for i in moments:
                row[i] = connection.ops.adapt_datetimefield_value(row[i])
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(model._meta.db_table)} SET {assignments} "
            f"WHERE {quote(model._meta.pk.column)} = %s",
            rows,
        )


# Versions whose snapshots are read and written at a time: 10,000 versions' snapshots
# would hold some 35 MB at once.
SNAPSHOT_BATCH = 1000


def _insert_history(model, versions_of: list[tuple], user_id, now, snapshots=None) -> None:
    """simple_history's rows for these (object, "+" / "~" / "-") versions, a thousand at a
    time; ``snapshots(pks)`` fills a versioned model's ``snapshot`` column."""
    history = model.history.model
    columns = [f.attname for f in history._meta.concrete_fields if f.attname != "history_id"]
    extra = {
        "history_date": now,
        "history_user_id": user_id,
        "history_change_reason": None,
    }

    def value(obj, kind, column, snapshot):
        if column == "history_type":
            return kind
        if column in extra:
            return extra[column]
        if column == "snapshot":
            return json.dumps(snapshot, cls=DjangoJSONEncoder)
        return getattr(obj, column)

    for start in range(0, len(versions_of), SNAPSHOT_BATCH):
        batch = versions_of[start : start + SNAPSHOT_BATCH]
        taken = snapshots([obj.pk for obj, _kind in batch]) if snapshots else {}
        rows = [
            [value(obj, kind, c, taken.get(obj.pk, {})) for c in columns] for obj, kind in batch
        ]
        _insert(history, columns, rows)


def _save_departments(rows, versioned, history, now):
    through = Initiative.departments.through
    replaced = [row for row in rows if not row.new and "departments" in row.changed]
    if replaced:
        through.objects.filter(initiative_id__in=[row.instance.pk for row in replaced]).delete()
    links = [
        (row.instance.pk, department.pk)
        for row in [*[r for r in rows if r.new], *replaced]
        for department in row.departments or []
    ]
    ids = _new_ids(through, len(links))
    _insert(
        through,
        ["id", "initiative_id", "department_id"],
        [
            [pk, initiative, department]
            for pk, (initiative, department) in zip(ids, links, strict=True)
        ],
    )
    if not versioned:
        return
    # simple_history keeps each version's departments; its bulk helpers do not write them.
    m2m_history = history._meta.get_field("historicalinitiative_departments").related_model
    versions_of = dict(history.objects.filter(history_date=now).values_list("id", "history_id"))
    links = through.objects.filter(
        initiative_id__in=[row.instance.pk for row in versioned]
    ).values_list("id", "initiative_id", "department_id")
    _insert(
        m2m_history,
        ["id", "history_id", "initiative_id", "department_id"],
        [
            [link, versions_of[initiative], initiative, department]
            for link, initiative, department in links
            if initiative in versions_of
        ],
    )


def _save_points(rows, user_id, now):
    """Replace the lists that changed: the old items' history rows and the new items'
    are copied inside the database (INSERT … SELECT), not through 80,000 Python rows."""
    replaced = [(row.instance.pk, part) for row in rows if not row.new for part in row.points]
    notes = {}
    for condition in _points_of(replaced):
        old = InitiativePoint.objects.filter(condition)
        # An item at the same place with the same text keeps its editorial note: only the
        # lists that hold a note are read.
        noted = Q()
        lists = list(old.exclude(editorial_note="").values_list("initiative_id", "part").distinct())
        for part in InitiativePart.values:
            pks = [pk for pk, p in lists if p == part]
            if pks:
                noted |= Q(initiative_id__in=pks, part=part)
        if noted:
            places = {}
            for initiative_id, part, text, note in (
                old.filter(noted)
                .order_by("initiative_id", "part", "position", "pk")
                .values_list("initiative_id", "part", "text", "editorial_note")
            ):
                place = places[initiative_id, part] = places.get((initiative_id, part), 0) + 1
                notes[(initiative_id, part, place, text)] = note
        # Deleted without a signal a point (a history row and an index update each):
        # their history rows are written here at once, the index hears of the import.
        _copy_to_history(old, "-", user_id, now)
        old._raw_delete(connection.alias)

    def new_points():
        for row in rows:
            for part, wanted in row.points.items():
                for position, (depth, style, text) in enumerate(wanted, start=1):
                    note = notes.get((row.instance.pk, part, position, text), "")
                    yield row.instance.pk, part, position, depth, style, text, note

    count = sum(len(wanted) for row in rows for wanted in row.points.values())
    if not count:
        return
    columns = [
        "id",
        "initiative_id",
        "part",
        "position",
        "depth",
        "style",
        "text",
        "editorial_note",
    ]
    ids = _new_ids(InitiativePoint, count)
    _insert(
        InitiativePoint,
        columns,
        ([pk, *values] for pk, values in zip(ids, new_points(), strict=True)),
    )
    written = [(row.instance.pk, part) for row in rows for part in row.points]
    for condition in _points_of(written):
        _copy_to_history(InitiativePoint.objects.filter(condition), "+", user_id, now)


# Initiatives in one statement's condition: SQLite takes at most 32,766 parameters.
POINTS_CONDITION_BATCH = 5000


def _points_of(initiative_parts):
    """Conditions that select the points of these (initiative id, part) pairs, a few
    thousand initiatives each."""
    for start in range(0, len(initiative_parts), POINTS_CONDITION_BATCH):
        by_part = {}
        for pk, part in initiative_parts[start : start + POINTS_CONDITION_BATCH]:
            by_part.setdefault(part, []).append(pk)
        condition = Q()
        for part, pks in by_part.items():
            condition |= Q(initiative_id__in=pks, part=part)
        yield condition


def _copy_to_history(queryset, kind: str, user_id, now) -> None:
    """simple_history's rows ("+" / "~" / "-") for the rows of ``queryset``, copied by the
    database itself."""
    model = queryset.model
    history = model.history.model
    extra = {
        "history_date": Value(now, output_field=models.DateTimeField()),
        "history_type": Value(kind, output_field=models.CharField()),
        "history_user_id": Value(user_id, output_field=models.IntegerField()),
        "history_change_reason": Value(None, output_field=models.TextField()),
    }
    columns = [f for f in history._meta.concrete_fields if f.attname != "history_id"]
    selected = queryset.order_by().annotate(**{f"h_{k}": v for k, v in extra.items()})
    values = selected.values_list(
        *[f"h_{f.attname}" if f.attname in extra else f.attname for f in columns]
    )
    sql, params = values.query.sql_with_params()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} "
            f"({', '.join(quote(f.column) for f in columns)}) {sql}",
            params,
        )


def commitment_refresh(*, commitment: Commitment) -> Commitment:
    """Set the commitment's value, status and last report from its published reports.

    The latest published report gives the status and the time; the latest that gives a
    value gives the value. With none left, the report's own commitment returns to its
    as-reported state, and another keeps the status staff gave it.
    """
    reports = list(
        ProgressReport.objects.filter(
            commitment=commitment,
            state=ReportState.PUBLISHED,
            published_at__lte=timezone.now(),
        ).order_by("-published_at", "-pk")
    )
    if reports:
        commitment.status = reports[0].new_status
        commitment.last_reported_at = reports[0].published_at
        commitment.current_value = next(
            (r.new_value for r in reports if r.new_value is not None), None
        )
    else:
        commitment.last_reported_at = None
        commitment.current_value = None
        if commitment.from_report:
            commitment.status = CommitmentStatus.AS_REPORTED
    commitment.save(update_fields=["status", "last_reported_at", "current_value"])
    return commitment


@transaction.atomic
def progress_report_publish(*, report: ProgressReport, published_at=None) -> ProgressReport:
    """Publish a progress report and move its commitment's value and status (both saved
    with their history, in one transaction)."""
    report.state = ReportState.PUBLISHED
    report.published_at = published_at or report.published_at or timezone.now()
    report.save()
    commitment_refresh(commitment=report.commitment)
    return report


@transaction.atomic
def progress_report_save(*, report: ProgressReport) -> ProgressReport:
    """Save a report (draft, published or withdrawn to a draft) and bring its commitment in
    line with its published reports."""
    if report.state == ReportState.PUBLISHED and report.published_at is None:
        report.published_at = timezone.now()
    report.save()
    commitment_refresh(commitment=report.commitment)
    return report


@transaction.atomic
def progress_report_delete(*, report: ProgressReport) -> None:
    commitment = report.commitment
    report.delete()
    commitment_refresh(commitment=commitment)


def commitment_create_from_point(
    *, point: InitiativePoint, target_value=None, target_unit: str = "", period: str = ""
) -> Commitment:
    """A commitment of the point's initiative with the point's text as written.

    From the report's own initiative it starts as the report left it (no status); from
    one entered since, not started.
    """
    in_report = point.initiative.in_report
    return Commitment.objects.create(
        initiative=point.initiative,
        point=point,
        text=point.text,
        position=point.position,
        target_value=target_value,
        target_unit=target_unit,
        period=period,
        from_report=in_report,
        status=CommitmentStatus.AS_REPORTED if in_report else CommitmentStatus.NOT_STARTED,
    )


@transaction.atomic
def commitment_statuses_update(*, commitments, status: str) -> int:
    """Give these commitments ``status`` (the admin's bulk action), with their history.

    Only the statuses a report may give: the as-reported state is the report's, not one
    that anyone sets."""
    if status not in dict(REPORTED_STATUSES):
        raise ValueError(status)
    changed = [c for c in commitments if c.status != status]
    for commitment in changed:
        commitment.status = status
    bulk_update_with_history(changed, Commitment, ["status"], batch_size=500)
    # A bulk update sends no post_save: the progress pages' counts move here.
    versions.move(COMMITMENT_DATA)
    return len(changed)
