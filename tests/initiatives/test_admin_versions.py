"""No lost edits and whole versions, through the admin's real forms.

Two people (two clients) open one initiative; the later save over the earlier is refused
with the other change shown, and goes through once merged. A version holds the points,
departments and photos' captions, the history shows them, and a restore brings them all
back in one new version.
"""

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.test import Client

from core.history import StaleVersion
from initiatives import services
from initiatives.models import Initiative
from initiatives.resources import InitiativeResource
from tests.admin_forms import form_data, inline_prefix
from tests.factories import (
    DepartmentFactory,
    InitiativeFactory,
    InitiativePointFactory,
    PhotoFactory,
    ward,
)

pytestmark = pytest.mark.django_db

FORM = "initiative_form"


def change_url(initiative):
    return f"/admin/initiatives/initiative/{initiative.pk}/change/"


def history_url(initiative, record=None):
    base = f"/admin/initiatives/initiative/{initiative.pk}/history/"
    return f"{base}{record.history_id}/" if record else base


@pytest.fixture
def initiative(db):
    initiative = InitiativeFactory(
        ward=ward("saiwai"), title="見守り活動", summary="最初の説明。", case_study=None
    )
    InitiativePointFactory(initiative=initiative, part="aim", position=1, text="最初のねらい")
    return initiative


@pytest.fixture
def two_people(yamada, secretariat):
    first, second = Client(), Client()
    first.force_login(secretariat)
    second.force_login(yamada)
    return first, second


def test_a_save_over_a_newer_version_is_refused_with_the_other_change_shown(two_people, initiative):
    first, second = two_people
    mine = form_data(first.get(change_url(initiative)), FORM)
    theirs = form_data(second.get(change_url(initiative)), FORM)

    theirs["summary"] = "山田さんの説明。"
    assert second.post(change_url(initiative), theirs).status_code == 302
    mine["title"] = "見守り活動（改）"
    refused = first.post(change_url(initiative), mine)

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "山田 花子" in page
    assert "あなたが開いた後に" in page
    conflict = refused.context["version_conflict"]
    assert {change.key for change in conflict.changes} == {"summary"}
    assert [(c.old, c.new) for c in conflict.changes] == [("最初の説明。", "山田さんの説明。")]
    initiative.refresh_from_db()
    assert (initiative.title, initiative.summary) == ("見守り活動", "山田さんの説明。")

    # The form came back with my entry and the version moved on: merged, it saves.
    merged = form_data(refused, FORM)
    assert merged["title"] == "見守り活動（改）"
    merged["summary"] = "山田さんの説明。"
    assert first.post(change_url(initiative), merged).status_code == 302
    initiative.refresh_from_db()
    assert (initiative.title, initiative.summary) == ("見守り活動（改）", "山田さんの説明。")


def test_a_point_changed_inline_by_someone_else_refuses_the_older_form(two_people, initiative):
    first, second = two_people
    page = first.get(change_url(initiative))
    mine = form_data(page, FORM)
    theirs_page = second.get(change_url(initiative))
    theirs = form_data(theirs_page, FORM)
    aims = inline_prefix(theirs_page, "aim")

    theirs[f"{aims}-0-text"] = "山田さんのねらい"
    assert second.post(change_url(initiative), theirs).status_code == 302
    mine[f"{inline_prefix(page, 'aim')}-0-text"] = "私のねらい"
    refused = first.post(change_url(initiative), mine)

    assert refused.status_code == 200
    changes = refused.context["version_conflict"].changes
    assert [(c.key, c.new) for c in changes] == [("points_aim", "・山田さんのねらい")]
    assert list(initiative.points.values_list("text", flat=True)) == ["山田さんのねらい"]


def test_a_caption_changed_in_the_photo_admin_is_a_new_version_of_the_initiative(
    client, secretariat, initiative
):
    photo = PhotoFactory(initiative=initiative, caption="旧キャプション", alt_text="写真")
    before = Initiative.objects.get(pk=initiative.pk).version
    client.force_login(secretariat)
    url = f"/admin/initiatives/photo/{photo.pk}/change/"
    data = form_data(client.get(url), "photo_form")
    data["caption"] = "新キャプション"

    assert client.post(url, data).status_code == 302

    initiative.refresh_from_db()
    assert initiative.version == before + 1
    latest = initiative.history.latest()
    assert [p["caption"] for p in latest.snapshot["photos"]] == ["新キャプション"]


def test_one_save_with_its_inlines_is_one_version(client, yamada, initiative):
    client.force_login(yamada)
    page = client.get(change_url(initiative))
    data = form_data(page, FORM)
    aims = inline_prefix(page, "aim")
    data[f"{aims}-0-text"] = "ねらい（改）"
    data["title"] = "新しい題"
    versions = initiative.history.count()

    assert client.post(change_url(initiative), data).status_code == 302

    assert initiative.history.count() == versions + 1
    latest = initiative.history.latest()
    assert latest.history_user == yamada
    assert latest.title == "新しい題"
    assert [p["text"] for p in latest.snapshot["points"]] == ["ねらい（改）"]


def test_the_history_shows_points_departments_and_captions_in_japanese_and_japan_time(
    client, yamada, initiative
):
    department = DepartmentFactory(ward=ward("saiwai"), name="地域振興課")
    client.force_login(yamada)
    page = client.get(change_url(initiative))
    data = form_data(page, FORM)
    data[f"{inline_prefix(page, 'aim')}-0-text"] = "新しいねらい"
    data["departments"] = [str(department.pk)]
    data["status"] = "draft"
    data["fiscal_year_start"] = "平成22年度"
    saved = client.post(change_url(initiative), data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors

    history = client.get(history_url(initiative))

    text = history.content.decode()
    assert history.status_code == 200
    for expected in ["最初のねらい", "新しいねらい", "地域振興課", "公開", "下書き", "山田 花子"]:
        assert expected in text, expected
    assert "平成22年度（2010年度）" in text
    for english in ["Choose a date", "Changed by", "Change reason", "Revert", "Historical"]:
        assert english not in text, english
    # Who changed it is a name, not a link to an account page ward staff cannot open.
    assert "/admin/auth/user/" not in text
    latest = initiative.history.latest()
    local = latest.history_date.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Tokyo"))
    assert f"{local.hour}:{local.minute:02d}" in text


def test_a_restore_brings_back_points_departments_and_captions_exactly(client, yamada, initiative):
    kept = DepartmentFactory(ward=ward("saiwai"), name="地域振興課")
    dropped = DepartmentFactory(ward=ward("saiwai"), name="こども支援室")
    initiative.departments.set([kept, dropped])
    InitiativePointFactory(initiative=initiative, part="future", position=1, text="今後の方向")
    photo = PhotoFactory(initiative=initiative, caption="作業の様子", alt_text="作業する人")
    old = initiative.history.latest()
    old_snapshot = old.snapshot

    client.force_login(yamada)
    page = client.get(change_url(initiative))
    data = form_data(page, FORM)
    data["title"] = "変えた題"
    data["departments"] = [str(kept.pk)]
    data[f"{inline_prefix(page, 'future')}-0-text"] = "変えた方向"
    data[f"{inline_prefix(page, 'aim')}-0-DELETE"] = "on"
    data["photos-0-caption"] = "変えたキャプション"
    assert client.post(change_url(initiative), data).status_code == 302
    assert initiative.points.count() == 1

    confirm = client.get(history_url(initiative, old))
    assert confirm.status_code == 200
    assert "変えた方向" in confirm.content.decode()
    assert client.post(history_url(initiative, old)).status_code == 302

    initiative.refresh_from_db()
    assert initiative.title == "見守り活動"
    assert set(initiative.departments.all()) == {kept, dropped}
    points = list(initiative.points.values_list("part", "position", "text"))
    assert sorted(points) == [("aim", 1, "最初のねらい"), ("future", 1, "今後の方向")]
    photo.refresh_from_db()
    assert (photo.caption, photo.alt_text) == ("作業の様子", "作業する人")
    latest = initiative.history.latest()
    assert latest.snapshot == old_snapshot
    assert latest.history_user == yamada
    assert latest.version > old.version
    assert "復元" in latest.history_change_reason


def test_a_restore_that_fails_leaves_everything_as_it_was(yamada, initiative, monkeypatch):
    old = initiative.history.latest()
    initiative.title = "今の題"
    initiative.save()
    InitiativePointFactory(initiative=initiative, part="aim", position=2, text="今の項目")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("initiatives.services.bulk_create_with_history", broken)
    with pytest.raises(RuntimeError):
        services.initiative_restore_version(
            initiative=initiative, history_id=old.history_id, user=yamada
        )

    fresh = Initiative.objects.get(pk=initiative.pk)
    assert fresh.title == "今の題"
    assert fresh.points.count() == 2


def test_ward_staff_see_their_initiatives_history_and_may_restore_it(client, yamada, initiative):
    client.force_login(yamada)

    page = client.get(history_url(initiative))

    assert page.status_code == 200
    assert 'href="/admin/initiatives/initiative/' in page.content.decode()


def test_an_import_can_refuse_a_row_exported_before_a_later_change(yamada, initiative):
    exported_at = Initiative.objects.get(pk=initiative.pk).version
    initiative.title = "あとからの変更"
    initiative._history_user = yamada
    initiative.save()

    with pytest.raises(ValidationError) as refused:
        services.initiative_check_version(initiative=initiative, version=exported_at)

    assert isinstance(refused.value, StaleVersion)
    assert "山田 花子" in refused.value.messages[0]
    assert [c.key for c in refused.value.conflict.changes] == ["title"]
    services.initiative_check_version(initiative=initiative, version=initiative.version)


def test_a_photos_history_and_earlier_version_are_in_japanese(client, yamada, initiative):
    photo = PhotoFactory(initiative=initiative, caption="旧", alt_text="写真")
    photo.caption = "新"
    photo.save()
    client.force_login(yamada)
    base = f"/admin/initiatives/photo/{photo.pk}/history/"

    history = client.get(base).content.decode()
    earlier = client.get(f"{base}{photo.history.earliest().history_id}/").content.decode()

    assert "キャプション" in history
    assert "この版に戻します" in earlier
    for text in (history, earlier):
        for english in ["Revert", "Historical ", "historical ", "Press the", "Choose a date"]:
            assert english not in text, english


def test_a_restore_brings_back_a_photo_deleted_since_and_drops_one_added_since(yamada, initiative):
    PhotoFactory(initiative=initiative, position=1, caption="消される写真", alt_text="a")
    old = initiative.history.latest()
    initiative.photos.get().delete()
    PhotoFactory(initiative=initiative, position=2, caption="あとで足した写真", alt_text="b")

    services.initiative_restore_version(
        initiative=initiative, history_id=old.history_id, user=yamada
    )

    assert list(initiative.photos.values_list("position", "caption", "alt_text")) == [
        (1, "消される写真", "a")
    ]


def test_an_import_that_changes_a_list_is_a_whole_version_and_refuses_older_forms(initiative):
    opened_at = Initiative.objects.get(pk=initiative.pk).version
    dataset = InitiativeResource().export(queryset=Initiative.objects.filter(pk=initiative.pk))
    rows = [list(row) for row in dataset]
    rows[0][dataset.headers.index("取組内容")] = "新しい取組内容"

    result = InitiativeResource().import_data(tablib.Dataset(*rows, headers=dataset.headers))

    assert not result.has_errors()
    latest = initiative.history.latest()
    assert [p["text"] for p in latest.snapshot["points"] if p["part"] == "content"] == [
        "新しい取組内容"
    ]
    with pytest.raises(StaleVersion):
        services.initiative_check_version(initiative=initiative, version=opened_at)


@pytest.mark.parametrize("versions", [3, 12])
def test_the_history_page_takes_the_same_queries_for_any_number_of_versions(
    client, yamada, initiative, versions, django_assert_num_queries
):
    department = DepartmentFactory(ward=ward("saiwai"), name="地域振興課")
    initiative.departments.add(department)
    for number in range(versions):
        initiative.summary = f"説明 {number}"
        initiative._history_user = yamada
        initiative.save()
    client.force_login(yamada)
    client.get(history_url(initiative))

    # The session, the account and its roles, the initiative, the page of versions and
    # their count, the one before the page, all their departments at once, the names
    # shown: none of it once per version.
    with django_assert_num_queries(16):
        page = client.get(history_url(initiative))

    assert page.content.decode().count("説明 ") >= versions
