"""The progress pages: /progress/, an initiative's commitments, the ward's and vision's
summaries. A published report shows everywhere at once, a draft nowhere; the progress
bar reads as text; rollups count each commitment once; query counts do not grow."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from initiatives.models import Commitment, CommitmentStatus
from initiatives.services import progress_report_publish
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def promise(db):
    """Miyamae's playground promise with its target, as the report left it."""
    ward = factories.ward("miyamae")
    initiative = factories.InitiativeFactory(ward=ward, title="冒険あそび場活動支援事業")
    return factories.CommitmentFactory(
        initiative=initiative,
        text="3か年で8か所の冒険あそび場の設立をめざす。",
        target_value=8,
        target_unit="か所",
        period="3か年",
        status=CommitmentStatus.AS_REPORTED,
        from_report=True,
    )


def pages(commitment):
    initiative = commitment.initiative
    vision = initiative.case_study.vision
    return {
        "initiative": initiative.get_absolute_url(),
        "ward": initiative.ward.get_absolute_url(),
        "vision": vision.get_absolute_url(),
        "progress": reverse("progress:dashboard"),
    }


def progress_bars(text):
    """(aria-valuenow, aria-valuetext, the label's visible text) of each progress bar."""
    bars = []
    for match in re.finditer(r'<div class="progress__bar" role="progressbar"([^>]*)>', text):
        attributes = dict(re.findall(r'([a-z-]+)="([^"]*)"', match.group(1)))
        label_id = attributes["aria-labelledby"]
        label = re.search(rf'<p class="progress__label" id="{label_id}">(.*?)</p>', text, re.S)
        visible = html.unescape(re.sub(r"<[^>]+>", "", label.group(1)))
        bars.append(
            (attributes["aria-valuenow"], html.unescape(attributes["aria-valuetext"]), visible)
        )
    return bars


def test_a_draft_report_changes_nothing_and_a_published_one_changes_every_page_at_once(
    client, promise, settings
):
    urls = pages(promise)
    before = {name: client.get(url).text for name, url in urls.items()}
    assert "報告書の時点（進捗の報告なし）" in before["initiative"]

    report = factories.ProgressReportFactory(
        commitment=promise, text="2か所で設立した。", new_value=2, fiscal_year=2024
    )

    after_draft = {name: client.get(url).text for name, url in urls.items()}
    assert after_draft == before

    progress_report_publish(report=report)

    after = {name: client.get(url).text for name, url in urls.items()}
    for name in urls:
        assert after[name] != before[name], name
    assert "2か所で設立した。" in after["initiative"]
    assert "進行中" in after["initiative"]
    assert "報告書の時点（進捗の報告なし）" not in after["initiative"]
    assert "目標8か所のうち2（25%）" in after["progress"]
    # The pages' contexts, which a page served whole from the cache does not have.
    settings.PAGE_CACHE_ENABLED = False
    ward_summary = client.get(urls["ward"]).context["commitment_summary"]
    assert ward_summary.counts[CommitmentStatus.IN_PROGRESS] == 1
    assert ward_summary.counts[CommitmentStatus.AS_REPORTED] == 0
    progress = client.get(urls["progress"] + "?fy=2024")
    assert [c.pk for c in progress.context["commitment_list"]] == [promise.pk]


def test_the_progress_bar_reads_its_share_as_text_in_both_languages(client, promise):
    progress_report_publish(report=factories.ProgressReportFactory(commitment=promise, new_value=3))
    url = promise.initiative.get_absolute_url()

    bars = progress_bars(client.get(url).text)
    assert bars == [("38", "目標8か所のうち3（38%）", "目標への進捗: 目標8か所のうち3（38%）")]

    with translation.override("en"):
        english = client.get(promise.initiative.get_absolute_url()).text
    assert progress_bars(english) == [
        ("38", "3 of 8 か所 (38%)", "Progress towards the target: 3 of 8 か所 (38%)")
    ]


def test_a_commitment_without_a_target_or_a_value_shows_no_bar_and_no_share(client, promise):
    other = factories.CommitmentFactory(initiative=promise.initiative, text="目標のない約束")
    progress_report_publish(report=factories.ProgressReportFactory(commitment=other, new_value=5))

    text = client.get(promise.initiative.get_absolute_url()).text

    assert progress_bars(text) == []
    assert "%" not in re.sub(r"<style.*?</style>|style=\"[^\"]*\"", "", text, flags=re.S)


def test_the_initiative_page_shows_the_latest_report_first_and_the_whole_timeline(client, promise):
    old = factories.ProgressReportFactory(commitment=promise, text="最初の報告", new_value=1)
    progress_report_publish(report=old, published_at=timezone.now() - datetime.timedelta(days=30))
    new = factories.ProgressReportFactory(commitment=promise, text="次の報告", new_value=4)
    progress_report_publish(report=new)
    factories.ProgressReportFactory(commitment=promise, text="下書きの報告")

    text = client.get(promise.initiative.get_absolute_url()).text

    assert text.index("次の報告") < text.index("最初の報告")
    assert "下書きの報告" not in text
    assert "最新の報告" in text


def test_a_stale_commitment_shows_no_update_with_its_last_reports_era_date(client, promise):
    report = factories.ProgressReportFactory(commitment=promise)
    progress_report_publish(
        report=report,
        published_at=timezone.make_aware(datetime.datetime(2024, 6, 3, 10, 0)),
    )

    text = client.get(promise.initiative.get_absolute_url()).text
    assert "更新なし（最終報告：令和6年6月3日）" in text
    dashboard = client.get(reverse("progress:dashboard") + "?status=stale")
    assert [c.pk for c in dashboard.context["commitment_list"]] == [promise.pk]
    assert dashboard.context["by_ward"].totals.counts["stale"] == 1


def test_the_dashboard_filters_by_status_ward_vision_and_year_with_facet_counts(client, promise):
    takatsu = factories.CommitmentFactory(
        initiative=factories.InitiativeFactory(ward=factories.ward("takatsu"))
    )
    progress_report_publish(
        report=factories.ProgressReportFactory(commitment=takatsu, fiscal_year=2025)
    )
    url = reverse("progress:dashboard")

    def listed(query):
        return {c.pk for c in client.get(url + query).context["commitment_list"]}

    assert listed("") == {promise.pk, takatsu.pk}
    assert listed("?ward=miyamae") == {promise.pk}
    assert listed("?status=in_progress") == {takatsu.pk}
    assert listed("?status=as_reported&status=in_progress") == {promise.pk, takatsu.pk}
    assert listed(f"?vision={promise.initiative.case_study.vision.number}") == {promise.pk}
    assert listed("?fy=2025") == {takatsu.pk}
    facets = {f.name: f for f in client.get(url + "?ward=takatsu").context["facets"]}
    assert {o.value: o.count for o in facets["ward"].options} == {"takatsu": 1, "miyamae": 1}
    assert {o.value: o.count for o in facets["status"].options} == {"in_progress": 1}
    assert {o.value: o.count for o in facets["fy"].options} == {"2025": 1}


def test_an_unknown_filter_value_is_ignored_and_named(client, promise):
    response = client.get(reverse("progress:dashboard") + "?status=done&fy=abc")
    assert response.status_code == 200
    assert len(response.context["notices"]) == 2
    assert [c.pk for c in response.context["commitment_list"]] == [promise.pk]


def test_commitments_of_draft_initiatives_are_not_shown(client, promise):
    hidden = factories.CommitmentFactory(initiative=factories.InitiativeFactory(draft=True))
    response = client.get(reverse("progress:dashboard"))
    assert [c.pk for c in response.context["commitment_list"]] == [promise.pk]
    assert hidden.text not in response.text


def test_the_dashboard_is_in_the_sitemap(client, promise):
    assert "/progress/" in client.get(reverse("sitemap")).text


# --- Rollups and query counts at two sizes -------------------------------------------


def build_commitments(portal, size):
    """``size`` commitments per initiative: one reported on (in progress, 1 of 4), one stale
    (reported 400 days ago), the rest as the report left them."""
    long_ago = timezone.now() - datetime.timedelta(days=400)
    for initiative in portal.initiatives:
        for i in range(size):
            commitment = factories.CommitmentFactory(
                initiative=initiative, target_value=4, target_unit="回"
            )
            for _ in range(size):
                report = factories.ProgressReportFactory(commitment=commitment, new_value=1)
                factories.ProposalFactory(ward=initiative.ward, commitment=commitment)
                progress_report_publish(report=report, published_at=long_ago if i == 1 else None)
        factories.CommitmentFactory(
            initiative=initiative, status=CommitmentStatus.AS_REPORTED, from_report=True
        )


@pytest.mark.parametrize("size", [2, 4])
def test_rollups_count_each_commitment_once_with_the_stale_apart(client, make_portal, size):
    portal = make_portal(size=size)
    build_commitments(portal, size)
    initiatives = len(portal.initiatives)

    response = client.get(reverse("progress:dashboard"))

    totals = response.context["by_ward"].totals
    assert totals.total == Commitment.objects.public().count() == initiatives * (size + 1)
    assert totals.counts["stale"] == initiatives
    assert totals.counts["in_progress"] == initiatives * (size - 1)
    assert totals.counts["as_reported"] == initiatives
    assert response.context["by_vision"].totals.counts == totals.counts
    for row in response.context["by_ward"].rows:
        assert row.total == sum(row.cells)


@pytest.mark.parametrize("size", [1, 4])
def test_the_dashboard_costs_the_same_number_of_queries_whatever_the_data(
    client, make_portal, django_assert_num_queries, size, settings
):
    # The dashboard's own caches, under the whole-page cache that would answer the second.
    settings.PAGE_CACHE_ENABLED = False
    build_commitments(make_portal(size=size), size)
    # The count; the status facet's counts; the ward and vision facets' counts and options;
    # the year facet's counts; the two rollups; the wards and visions that label them; the
    # page of commitments; the published proposals that led to them.
    with django_assert_num_queries(13):
        assert client.get(reverse("progress:dashboard")).status_code == 200
    # Cached: the rollups, counts and facet form are not counted again.
    with django_assert_num_queries(4):
        assert client.get(reverse("progress:dashboard")).status_code == 200


@pytest.mark.parametrize("size", [1, 4])
def test_an_initiative_page_with_commitments_costs_the_same_number_of_queries_whatever_the_data(
    client, make_portal, django_assert_num_queries, size
):
    portal = make_portal(size=size)
    build_commitments(portal, size)
    # The initiative's four and the proposals that led to it, then its commitments, their
    # published reports and the published proposals that led to each.
    with django_assert_num_queries(8):
        assert client.get(portal.initiatives[0].get_absolute_url()).status_code == 200
