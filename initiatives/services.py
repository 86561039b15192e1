"""Writes that span several models of initiatives (HackSoft's services): each a function
named ``<entity>_<action>`` with keyword-only arguments."""

from django.db import transaction
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
from initiatives.receivers import COMMITMENT_DATA
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
