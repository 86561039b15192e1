"""What the admin shows of an initiative's publication: draft, scheduled, published."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import InitiativeFactory, ward

pytestmark = pytest.mark.django_db

LIST = "/admin/initiatives/initiative/"


@pytest.fixture
def three(db):
    return {
        "draft": InitiativeFactory(ward=ward("saiwai"), title="下書きの取組", draft=True),
        "scheduled": InitiativeFactory(
            ward=ward("saiwai"),
            title="来月の取組",
            published_at=timezone.now() + datetime.timedelta(days=30),
        ),
        "published": InitiativeFactory(ward=ward("saiwai"), title="公開中の取組"),
    }


def test_the_list_shows_draft_scheduled_with_its_time_and_published(client, saiwai_staff, three):
    client.force_login(saiwai_staff)

    response = client.get(LIST)

    rows = {i.title: i.publication_state for i in response.context["cl"].result_list}
    assert rows["下書きの取組"] == "下書き"
    local = timezone.localtime(three["scheduled"].published_at)
    assert rows["来月の取組"].startswith("公開予定（")
    assert f"{local.hour}:{local.minute:02d}" in rows["来月の取組"]
    assert rows["公開中の取組"] == "公開"
    assert "公開予定（" in response.content.decode()


@pytest.mark.parametrize("state", ["draft", "scheduled", "published"])
def test_the_list_filters_by_publication_state(client, saiwai_staff, three, state):
    client.force_login(saiwai_staff)

    response = client.get(LIST, {"state": state})

    assert [i.pk for i in response.context["cl"].result_list] == [three[state].pk]


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_a_hidden_initiatives_preview_has_a_banner_and_view_on_site_goes_there(
    client, saiwai_staff, three, state
):
    initiative = three[state]
    client.force_login(saiwai_staff)

    change = client.get(f"{LIST}{initiative.pk}/change/").content.decode()
    preview = client.get(f"{LIST}{initiative.pk}/preview/").content.decode()

    assert f'href="{LIST}{initiative.pk}/preview/"' in change
    assert f'href="{initiative.get_absolute_url()}"' not in change
    assert "プレビュー：まだ公開されていません" in preview


def test_a_published_initiatives_public_page_has_no_banner(client, three):
    page = client.get(three["published"].get_absolute_url()).content.decode()

    assert "プレビュー" not in page


def test_the_footer_of_a_ward_entered_initiative_does_not_claim_the_report(client, three):
    printed = InitiativeFactory(ward=ward("saiwai"), in_report=True)

    entered = client.get(three["published"].get_absolute_url()).content.decode()
    from_report = client.get(printed.get_absolute_url()).content.decode()

    assert "区が入力した取組で、委員会の報告書には載っていません" in entered.split("<footer")[1]
    assert "報告書には載っていません" not in from_report.split("<footer")[1]
