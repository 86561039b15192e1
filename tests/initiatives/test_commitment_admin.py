"""The admin of commitments and progress reports: ward staff manage their own ward's, and
cannot see or touch another ward's by any id; the secretariat sees all and chases the
stale ones ward by ward."""

import datetime

import pytest
from django.utils import timezone

from initiatives.models import Commitment, CommitmentStatus, ProgressReport, ReportState
from tests.admin_pages import OBJECT_ACTIONS, assert_no_id_opens, url
from tests.factories import (
    CommitmentFactory,
    InitiativeFactory,
    ProgressReportFactory,
    SectionPointFactory,
    ward,
)

pytestmark = pytest.mark.django_db

WARD_CONTENT = {
    "initiatives/commitment": lambda w: CommitmentFactory(initiative=InitiativeFactory(ward=w)),
    "initiatives/progressreport": lambda w: ProgressReportFactory(
        commitment=CommitmentFactory(initiative=InitiativeFactory(ward=w))
    ),
}


def city_commitment():
    return CommitmentFactory(
        initiative=None, section_point=SectionPointFactory(part="future"), text="市全体の約束"
    )


def report_form(commitment, **fields):
    return {
        "commitment": commitment.pk,
        "fiscal_year": 2024,
        "reported_on": "",
        "text": "報告",
        "new_status": "in_progress",
        "new_value": "",
        "photo_alt_text": "",
        "state": "draft",
        "published_at_0": "",
        "published_at_1": "",
        **fields,
    }


@pytest.mark.parametrize("model_path", WARD_CONTENT)
def test_ward_staff_list_only_their_own_wards_commitments_and_reports(
    client, saiwai_staff, model_path
):
    own = WARD_CONTENT[model_path](ward("saiwai"))
    other = WARD_CONTENT[model_path](ward("tama"))
    city_commitment()
    client.force_login(saiwai_staff)

    response = client.get(url(model_path))

    assert response.status_code == 200
    assert {obj.pk for obj in response.context["cl"].result_list} == {own.pk}
    assert other.pk != own.pk


@pytest.mark.parametrize("action", OBJECT_ACTIONS)
@pytest.mark.parametrize("model_path", WARD_CONTENT)
def test_ward_staff_open_their_own_wards_commitments_and_reports(
    client, saiwai_staff, model_path, action
):
    own = WARD_CONTENT[model_path](ward("saiwai"))
    client.force_login(saiwai_staff)

    assert client.get(url(model_path, own.pk, action)).status_code == 200


@pytest.mark.parametrize("action", OBJECT_ACTIONS)
@pytest.mark.parametrize("model_path", WARD_CONTENT)
def test_ward_staff_are_refused_every_id_of_another_ward_and_of_the_city(
    client, saiwai_staff, model_path, action
):
    others = [WARD_CONTENT[model_path](ward(slug)) for slug in ("tama", "asao", "kawasaki")]
    city = city_commitment()
    ProgressReportFactory(commitment=city)
    client.force_login(saiwai_staff)

    assert_no_id_opens(client, model_path, action, [*others, city])


@pytest.mark.parametrize("model_path", WARD_CONTENT)
def test_ward_staff_cannot_see_another_wards_old_versions(client, saiwai_staff, model_path):
    other = WARD_CONTENT[model_path](ward("tama"))
    version = other.history.first()
    client.force_login(saiwai_staff)

    response = client.get(url(model_path, other.pk, f"history/{version.history_id}"))

    assert response.status_code in (403, 404)


@pytest.mark.parametrize("model_path", WARD_CONTENT)
def test_ward_staff_cannot_delete_another_wards_commitment_or_report_by_posting(
    client, saiwai_staff, model_path
):
    other = WARD_CONTENT[model_path](ward("tama"))
    client.force_login(saiwai_staff)

    response = client.post(url(model_path, other.pk, "delete"), {"post": "yes"})

    assert response.status_code in (403, 404)
    assert type(other).objects.filter(pk=other.pk).exists()


def test_ward_staff_cannot_change_another_wards_commitment_by_posting(client, saiwai_staff):
    other = CommitmentFactory(initiative=InitiativeFactory(ward=ward("tama")), text="元の約束")
    client.force_login(saiwai_staff)

    response = client.post(
        url("initiatives/commitment", other.pk, "change"),
        {"initiative": other.initiative_id, "text": "書き換え", "status": "achieved"},
    )

    assert response.status_code in (403, 404)
    other.refresh_from_db()
    assert (other.text, other.status) == ("元の約束", CommitmentStatus.NOT_STARTED)


def test_ward_staff_cannot_add_a_commitment_to_another_wards_initiative_or_the_city(
    client, saiwai_staff
):
    other = InitiativeFactory(ward=ward("tama"))
    section_point = SectionPointFactory(part="future")
    client.force_login(saiwai_staff)

    for data in (
        {"initiative": other.pk, "text": "他区の約束", "status": "not_started", "position": 0},
        {"section_point": section_point.pk, "text": "市の約束", "status": "not_started"},
    ):
        response = client.post(url("initiatives/commitment", action="add"), data)
        assert response.status_code == 200
        assert response.context["adminform"].form.errors
    assert not Commitment.objects.exists()


def test_ward_staff_cannot_report_on_another_wards_commitment(client, saiwai_staff):
    other = CommitmentFactory(initiative=InitiativeFactory(ward=ward("tama")))
    client.force_login(saiwai_staff)

    response = client.post(
        url("initiatives/progressreport", action="add"), report_form(other, state="published")
    )

    assert response.status_code == 200
    assert "commitment" in response.context["adminform"].form.errors
    assert not ProgressReport.objects.exists()
    other.refresh_from_db()
    assert other.status == CommitmentStatus.NOT_STARTED


def test_a_bulk_status_update_posted_with_another_wards_ids_changes_nothing_there(
    client, saiwai_staff
):
    own = CommitmentFactory(initiative=InitiativeFactory(ward=ward("saiwai")))
    other = CommitmentFactory(initiative=InitiativeFactory(ward=ward("tama")))
    client.force_login(saiwai_staff)

    client.post(
        url("initiatives/commitment"),
        {"action": "set_status_achieved", "_selected_action": [own.pk, other.pk]},
    )

    own.refresh_from_db()
    other.refresh_from_db()
    assert own.status == CommitmentStatus.ACHIEVED
    assert other.status == CommitmentStatus.NOT_STARTED


def test_ward_staff_publish_a_report_and_it_moves_their_commitment(client, saiwai_staff):
    own = CommitmentFactory(
        initiative=InitiativeFactory(ward=ward("saiwai")), target_value=8, target_unit="か所"
    )
    client.force_login(saiwai_staff)

    response = client.post(
        url("initiatives/progressreport", action="add"),
        report_form(own, state="published", new_value="3"),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    report = ProgressReport.objects.get()
    assert report.state == ReportState.PUBLISHED
    assert report.published_at is not None
    own.refresh_from_db()
    assert (own.status, own.current_value, own.progress_percent) == ("in_progress", 3, 38)


def test_the_publish_action_publishes_drafts_and_moves_their_commitments(client, saiwai_staff):
    report = WARD_CONTENT["initiatives/progressreport"](ward("saiwai"))
    client.force_login(saiwai_staff)

    client.post(
        url("initiatives/progressreport"), {"action": "publish", "_selected_action": [report.pk]}
    )

    report.refresh_from_db()
    assert report.state == ReportState.PUBLISHED
    assert report.commitment.status == CommitmentStatus.IN_PROGRESS


def test_the_initiative_page_of_the_admin_lists_its_commitments_inline(client, saiwai_staff):
    own = CommitmentFactory(initiative=InitiativeFactory(ward=ward("saiwai")), text="区の約束")
    client.force_login(saiwai_staff)

    response = client.get(url("initiatives/initiative", own.initiative_id, "change"))

    assert response.status_code == 200
    assert "区の約束" in response.text
    assert any(
        formset.formset.model is Commitment for formset in response.context["inline_admin_formsets"]
    )


def test_the_stale_filter_lists_the_commitments_with_no_report_for_12_months(client, saiwai_staff):
    initiative = InitiativeFactory(ward=ward("saiwai"))
    stale = CommitmentFactory(initiative=initiative, status=CommitmentStatus.IN_PROGRESS)
    fresh = CommitmentFactory(initiative=initiative, status=CommitmentStatus.IN_PROGRESS)
    Commitment.objects.filter(pk=stale.pk).update(
        last_reported_at=timezone.now() - datetime.timedelta(days=400)
    )
    Commitment.objects.filter(pk=fresh.pk).update(last_reported_at=timezone.now())
    client.force_login(saiwai_staff)

    listed = client.get(url("initiatives/commitment") + "?stale=yes").context["cl"].result_list
    assert [c.pk for c in listed] == [stale.pk]
    listed = client.get(url("initiatives/commitment") + "?stale=no").context["cl"].result_list
    assert [c.pk for c in listed] == [fresh.pk]


def test_the_secretariat_sees_every_wards_and_the_citys_commitments(client, secretariat):
    objects = [WARD_CONTENT["initiatives/commitment"](ward(s)) for s in ("saiwai", "tama")]
    city = city_commitment()
    client.force_login(secretariat)

    listed = {c.pk for c in client.get(url("initiatives/commitment")).context["cl"].result_list}

    assert listed == {*(obj.pk for obj in objects), city.pk}


def test_the_secretariat_has_a_list_of_stale_commitments_per_ward(client, secretariat):
    long_ago = timezone.now() - datetime.timedelta(days=400)
    for slug, stale_count in (("saiwai", 2), ("tama", 1)):
        for _ in range(stale_count):
            commitment = CommitmentFactory(
                initiative=InitiativeFactory(ward=ward(slug)), status="in_progress"
            )
            Commitment.objects.filter(pk=commitment.pk).update(last_reported_at=long_ago)
    CommitmentFactory(initiative=InitiativeFactory(ward=ward("asao")))
    client.force_login(secretariat)

    response = client.get(url("initiatives/commitment", action="stale-by-ward"))

    assert response.status_code == 200
    counts = {row["ward"].slug: row["stale_count"] for row in response.context["rows"]}
    assert counts == {"saiwai": 2, "tama": 1, "asao": 0}
    assert len(response.context["stale_items"]) == 3


def test_ward_staff_have_no_list_of_every_wards_stale_commitments(client, saiwai_staff):
    client.force_login(saiwai_staff)

    assert client.get(url("initiatives/commitment", action="stale-by-ward")).status_code == 403


def test_ward_staff_restore_an_earlier_version_of_their_commitment(client, saiwai_staff):
    own = CommitmentFactory(initiative=InitiativeFactory(ward=ward("saiwai")), text="元の約束")
    first = own.history.get()
    own.text = "書き換えた約束"
    own.save()
    client.force_login(saiwai_staff)

    page = client.get(url("initiatives/commitment", own.pk, f"history/{first.history_id}"))
    assert page.status_code == 200
    response = client.post(
        url("initiatives/commitment", own.pk, f"history/{first.history_id}"),
        {
            "initiative": own.initiative_id,
            "position": 0,
            "text": "元の約束",
            "target_value": "",
            "target_unit": "",
            "period": "",
            "status": "not_started",
            "reports-TOTAL_FORMS": 0,
            "reports-INITIAL_FORMS": 0,
            "reports-MIN_NUM_FORMS": 0,
            "reports-MAX_NUM_FORMS": 1000,
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    own.refresh_from_db()
    assert own.text == "元の約束"
    assert own.history.count() == 3
