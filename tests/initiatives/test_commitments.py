"""Commitments and their progress reports: the database's rules, the progress share, the
stale rule at its boundary, and the services that move a commitment."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.fiscal_years import format_date, months_before
from initiatives.models import STALE, Commitment, CommitmentStatus, ProgressReport, ReportState
from initiatives.services import (
    commitment_create_from_point,
    commitment_statuses_update,
    progress_report_delete,
    progress_report_publish,
    progress_report_save,
)
from tests.factories import (
    CommitmentFactory,
    InitiativeFactory,
    InitiativePointFactory,
    ProgressReportFactory,
)

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 12, 1, 15, 0))


def reported(commitment, at):
    commitment.last_reported_at = at
    commitment.save()
    return commitment


# --- The stale rule ------------------------------------------------------------------


def test_twelve_months_before_a_day_is_the_same_day_a_year_earlier_or_the_months_last():
    assert months_before(datetime.date(2026, 12, 1), 12) == datetime.date(2025, 12, 1)
    assert months_before(datetime.date(2028, 2, 29), 12) == datetime.date(2027, 2, 28)
    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)


@pytest.mark.parametrize(
    ("last_report", "stale"),
    [
        # 11 months and 30 days before 2026-12-01 is 2025-12-02: not yet stale.
        (timezone.make_aware(datetime.datetime(2025, 12, 2, 0, 0)), False),
        (timezone.make_aware(datetime.datetime(2025, 12, 2, 23, 59)), False),
        # 12 months before: stale, whatever the hour of the report.
        (timezone.make_aware(datetime.datetime(2025, 12, 1, 23, 59)), True),
        (timezone.make_aware(datetime.datetime(2025, 12, 1, 0, 0)), True),
        (timezone.make_aware(datetime.datetime(2024, 4, 1, 9, 0)), True),
    ],
)
def test_a_commitment_goes_stale_twelve_months_after_its_last_report_and_not_a_day_sooner(
    last_report, stale
):
    commitment = reported(CommitmentFactory(status=CommitmentStatus.IN_PROGRESS), last_report)

    assert commitment.is_stale(NOW) is stale
    assert Commitment.objects.stale(NOW).filter(pk=commitment.pk).exists() is stale
    state = Commitment.objects.with_state(NOW).get(pk=commitment.pk).state
    assert state == (STALE if stale else CommitmentStatus.IN_PROGRESS)


def test_a_commitment_entered_by_staff_goes_stale_twelve_months_after_its_entry_without_reports():
    fresh = CommitmentFactory()
    old = CommitmentFactory()
    Commitment.objects.filter(pk=fresh.pk).update(
        entered_at=timezone.make_aware(datetime.datetime(2025, 12, 2, 10, 0))
    )
    Commitment.objects.filter(pk=old.pk).update(
        entered_at=timezone.make_aware(datetime.datetime(2025, 12, 1, 10, 0))
    )

    assert list(Commitment.objects.stale(NOW)) == [old]


@pytest.mark.parametrize("status", [CommitmentStatus.ACHIEVED, CommitmentStatus.CANCELLED])
def test_an_achieved_or_cancelled_commitment_does_not_go_stale(status):
    commitment = reported(
        CommitmentFactory(status=status), timezone.make_aware(datetime.datetime(2020, 4, 1))
    )

    assert not commitment.is_stale(NOW)
    assert not Commitment.objects.stale(NOW).exists()


def test_the_stale_state_names_the_last_reports_date_in_the_japanese_era():
    assert format_date(datetime.date(2025, 12, 1), language="ja") == "令和7年12月1日"
    assert format_date(datetime.date(2019, 5, 1), language="ja") == "令和元年5月1日"
    assert format_date(datetime.date(2019, 4, 30), language="ja") == "平成31年4月30日"
    assert format_date(datetime.date(2025, 12, 1), language="en") == "1 December 2025"


# --- Counting ------------------------------------------------------------------------


def test_state_counts_count_each_commitment_once_and_a_stale_one_as_stale():
    long_ago = timezone.now() - datetime.timedelta(days=400)
    reported(CommitmentFactory(status=CommitmentStatus.IN_PROGRESS), long_ago)
    reported(CommitmentFactory(status=CommitmentStatus.IN_PROGRESS), timezone.now())
    CommitmentFactory(status=CommitmentStatus.ACHIEVED)

    counts = Commitment.objects.state_counts()

    assert counts[STALE] == 1
    assert counts[CommitmentStatus.IN_PROGRESS] == 1
    assert counts[CommitmentStatus.ACHIEVED] == 1
    assert sum(counts.values()) == Commitment.objects.count() == 3


# --- The database's rules ------------------------------------------------------------


def test_the_as_reported_state_is_only_for_the_reports_commitments_with_nothing_reported():
    initiative = InitiativeFactory()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Commitment.objects.create(
            initiative=initiative, text="職員の約束", status=CommitmentStatus.AS_REPORTED
        )
    commitment = Commitment.objects.create(
        initiative=initiative,
        text="報告書の約束",
        status=CommitmentStatus.AS_REPORTED,
        from_report=True,
    )
    commitment.current_value = Decimal("3")
    with transaction.atomic(), pytest.raises(IntegrityError):
        commitment.save()


def test_a_commitment_needs_an_initiative_or_a_report_section():
    commitment = Commitment(text="どこの約束でもない", status=CommitmentStatus.NOT_STARTED)
    with pytest.raises(ValidationError) as error:
        commitment.full_clean()
    assert "commitment_has_initiative_or_section" in str(error.value)


def test_a_status_outside_the_choices_is_refused_by_the_database():
    commitment = CommitmentFactory()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Commitment.objects.filter(pk=commitment.pk).update(status="done")


def test_a_published_report_needs_a_time_and_every_report_a_year_or_a_date():
    commitment = CommitmentFactory()
    with transaction.atomic(), pytest.raises(IntegrityError):
        ProgressReport.objects.create(
            commitment=commitment, fiscal_year=2024, text="x", new_status="in_progress",
            state=ReportState.PUBLISHED,
        )  # fmt: skip
    with transaction.atomic(), pytest.raises(IntegrityError):
        ProgressReport.objects.create(commitment=commitment, text="x", new_status="in_progress")


def test_a_report_dated_but_without_a_fiscal_year_takes_the_fiscal_year_of_its_date():
    report = ProgressReportFactory(fiscal_year=None, reported_on=datetime.date(2025, 3, 31))
    assert report.fiscal_year == 2024
    report = ProgressReportFactory(fiscal_year=None, reported_on=datetime.date(2025, 4, 1))
    assert report.fiscal_year == 2025


# --- The progress share --------------------------------------------------------------


def test_the_progress_share_follows_from_the_latest_value_and_the_target():
    commitment = CommitmentFactory(target_value=8, target_unit="か所")
    assert commitment.progress_share is None

    commitment.current_value = Decimal("3")
    assert commitment.progress_percent == 38
    commitment.current_value = Decimal("10")
    assert commitment.progress_percent == 125
    assert commitment.progress_bar_value == 100


def test_without_a_target_there_is_no_share_whatever_the_value():
    commitment = CommitmentFactory(current_value=Decimal("5"))
    assert commitment.progress_share is None


# --- Services ------------------------------------------------------------------------


def test_publishing_a_report_moves_the_commitments_value_status_and_date():
    commitment = CommitmentFactory(target_value=8, target_unit="か所")
    report = ProgressReportFactory(
        commitment=commitment, new_status=CommitmentStatus.IN_PROGRESS, new_value=3
    )
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.NOT_STARTED
    assert commitment.current_value is None

    progress_report_publish(report=report)

    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.IN_PROGRESS
    assert commitment.current_value == 3
    assert commitment.last_reported_at == report.published_at
    assert commitment.history.count() == 2


def test_a_later_report_without_a_value_keeps_the_last_value_reported():
    commitment = CommitmentFactory(target_value=8, target_unit="か所")
    first = ProgressReportFactory(commitment=commitment, new_value=3)
    progress_report_publish(report=first, published_at=timezone.now() - datetime.timedelta(days=2))
    second = ProgressReportFactory(commitment=commitment, new_status=CommitmentStatus.UNDER_REVIEW)
    progress_report_publish(report=second)

    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.UNDER_REVIEW
    assert commitment.current_value == 3


def test_withdrawing_the_only_report_returns_the_reports_commitment_to_its_as_reported_state():
    commitment = CommitmentFactory(status=CommitmentStatus.AS_REPORTED, from_report=True)
    report = ProgressReportFactory(commitment=commitment, new_value=1)
    progress_report_publish(report=report)

    report.state = ReportState.DRAFT
    progress_report_save(report=report)

    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.AS_REPORTED
    assert commitment.current_value is None
    assert commitment.last_reported_at is None


def test_deleting_a_published_report_moves_the_commitment_back():
    commitment = CommitmentFactory()
    progress_report_publish(report=ProgressReportFactory(commitment=commitment))
    report = ProgressReportFactory(commitment=commitment, new_status=CommitmentStatus.ACHIEVED)
    progress_report_publish(report=report)

    progress_report_delete(report=report)

    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.IN_PROGRESS


def test_a_commitment_made_from_a_point_keeps_its_text_and_starts_as_its_initiative_allows():
    entered = InitiativePointFactory(part="future", text="新しい約束の本文")
    commitment = commitment_create_from_point(point=entered, target_value=5, target_unit="回")
    assert commitment.text == "新しい約束の本文"
    assert commitment.status == CommitmentStatus.NOT_STARTED
    assert commitment.entered_at is not None

    printed = InitiativePointFactory(part="future", initiative=InitiativeFactory(in_report=True))
    commitment = commitment_create_from_point(point=printed)
    assert commitment.status == CommitmentStatus.AS_REPORTED
    assert commitment.from_report


def test_statuses_are_updated_in_bulk_with_their_history_but_never_to_the_reports_state():
    commitments = CommitmentFactory.create_batch(3)

    assert commitment_statuses_update(commitments=commitments, status="achieved") == 3

    assert set(Commitment.objects.values_list("status", flat=True)) == {"achieved"}
    assert Commitment.history.filter(status="achieved").count() == 3
    with pytest.raises(ValueError, match="as_reported"):
        commitment_statuses_update(commitments=commitments, status=CommitmentStatus.AS_REPORTED)


def test_published_reports_are_those_published_of_public_commitments():
    shown = ProgressReportFactory(published=True)
    ProgressReportFactory()  # a draft
    ProgressReportFactory(
        published=True, commitment=CommitmentFactory(initiative=InitiativeFactory(draft=True))
    )
    ProgressReportFactory(
        state=ReportState.PUBLISHED, published_at=timezone.now() + datetime.timedelta(days=1)
    )

    assert list(ProgressReport.objects.published()) == [shown]
