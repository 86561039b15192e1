"""Commitments and published progress reports are found by the search, and only while the
public may see them."""

import pytest
from django.urls import reverse

from initiatives.models import InitiativeStatus, ReportState
from initiatives.services import progress_report_publish, progress_report_save
from search.models import DocumentKind, SearchDocument
from tests.factories import CommitmentFactory, InitiativeFactory, ProgressReportFactory

pytestmark = pytest.mark.django_db


def found(client, query):
    response = client.get(reverse("search:results"), {"q": query})
    return [(r.document.kind, r.document.object_id) for r in response.context["results"]]


def test_a_commitment_is_found_by_its_text(client):
    commitment = CommitmentFactory(text="冒険あそび場を8か所に設立する")

    assert (DocumentKind.COMMITMENT, commitment.pk) in found(client, "ぼうけんあそびば")


def test_a_progress_report_is_found_once_published_and_not_after_it_is_withdrawn(client):
    report = ProgressReportFactory(text="土橋公園で出張遊び場を開いた")
    assert found(client, "出張遊び場") == []

    progress_report_publish(report=report)
    assert found(client, "出張遊び場") == [(DocumentKind.PROGRESS_REPORT, report.pk)]

    report.state = ReportState.DRAFT
    progress_report_save(report=report)
    assert found(client, "出張遊び場") == []


def test_the_commitments_of_an_initiative_leave_the_search_when_it_is_unpublished(client):
    initiative = InitiativeFactory(title="見守りの取組")
    commitment = CommitmentFactory(initiative=initiative, text="見守りの輪を広げる約束")
    progress_report_publish(report=ProgressReportFactory(commitment=commitment, text="輪の報告"))
    assert found(client, "見守りの輪")

    initiative.status = InitiativeStatus.DRAFT
    initiative.published_at = None
    initiative.save()

    assert found(client, "見守りの輪") == []
    assert found(client, "輪の報告") == []
    assert not SearchDocument.objects.filter(
        kind__in=[DocumentKind.COMMITMENT, DocumentKind.PROGRESS_REPORT]
    ).exists()
