"""Editing an initiative in the admin: ordered lists, departments, drafts, preview, history."""

import pytest
from django.utils import timezone

from initiatives.models import Initiative, InitiativePart
from tests.factories import DepartmentFactory, InitiativeFactory, InitiativePointFactory, ward
from tests.initiatives.test_admin_access import initiative_form_data
from tests.portal.helpers import answered

pytestmark = pytest.mark.django_db

PART_PREFIXES = {"points": "aim", "points-2": "content", "points-3": "future"}


def with_points(data, prefix, texts):
    data[f"{prefix}-TOTAL_FORMS"] = len(texts)
    for i, text in enumerate(texts):
        data |= {
            f"{prefix}-{i}-position": i + 1,
            f"{prefix}-{i}-depth": 0,
            f"{prefix}-{i}-style": "bullet",
            f"{prefix}-{i}-text": text,
            f"{prefix}-{i}-editorial_note": "",
        }
    return data


def test_aims_contents_and_future_are_three_ordered_inline_lists(client, saiwai_staff):
    client.force_login(saiwai_staff)
    data = initiative_form_data(title="見守り")
    for prefix, part in PART_PREFIXES.items():
        with_points(data, prefix, [f"{part}-1", f"{part}-2"])

    response = client.post("/admin/initiatives/initiative/add/", data)

    assert response.status_code == 302
    initiative = Initiative.objects.get(title="見守り")
    for part in InitiativePart.values:
        texts = list(initiative.points.filter(part=part).values_list("text", flat=True))
        assert texts == [f"{part}-1", f"{part}-2"]


def test_each_inline_list_shows_only_its_own_part(client, saiwai_staff):
    initiative = InitiativeFactory(ward=ward("saiwai"))
    InitiativePointFactory(initiative=initiative, part="aim", text="ねらい")
    InitiativePointFactory(initiative=initiative, part="future", text="今後")
    client.force_login(saiwai_staff)

    response = client.get(f"/admin/initiatives/initiative/{initiative.pk}/change/")

    texts = {
        formset.formset.part: [f.instance.text for f in formset.formset.initial_forms]
        for formset in response.context["inline_admin_formsets"]
        if hasattr(formset.formset, "part")
    }
    assert texts == {"aim": ["ねらい"], "content": [], "future": ["今後"]}


def test_ward_staff_choose_departments_of_their_ward_or_the_city_only(client, saiwai_staff):
    own = DepartmentFactory(ward=ward("saiwai"), name="地域振興課")
    city = DepartmentFactory(ward=None, name="こども未来局")
    other = DepartmentFactory(ward=ward("tama"), name="道路公園センター")
    client.force_login(saiwai_staff)

    response = client.get("/admin/initiatives/initiative/add/")
    choices = set(response.context["adminform"].form.fields["departments"].queryset)
    posted = client.post(
        "/admin/initiatives/initiative/add/",
        initiative_form_data(title="x", departments=[own.pk, other.pk]),
    )

    assert choices == {own, city}
    assert "departments" in posted.context["adminform"].form.errors
    assert not Initiative.objects.exists()


def test_the_secretariat_cannot_give_an_initiative_another_wards_department(client, secretariat):
    other = DepartmentFactory(ward=ward("tama"))
    client.force_login(secretariat)

    response = client.post(
        "/admin/initiatives/initiative/add/",
        initiative_form_data(title="x", ward=ward("saiwai").pk, departments=[other.pk]),
    )

    assert "departments" in response.context["adminform"].form.errors


def test_publishing_needs_a_publication_time(client, saiwai_staff):
    client.force_login(saiwai_staff)

    response = client.post(
        "/admin/initiatives/initiative/add/", initiative_form_data(status="published")
    )

    assert "published_at" in response.context["adminform"].form.errors


def test_an_initiative_published_for_the_future_stays_off_public_lists(client, saiwai_staff):
    client.force_login(saiwai_staff)
    data = initiative_form_data(
        title="来年度の取組",
        status="published",
        published_at_0="2999-04-01",
        published_at_1="09:00:00",
    )

    client.post("/admin/initiatives/initiative/add/", data)

    initiative = Initiative.objects.get(title="来年度の取組")
    assert initiative.status == "published"
    assert not Initiative.objects.published().filter(pk=initiative.pk).exists()


@pytest.mark.parametrize("account", ["saiwai_staff", "secretariat"])
def test_whether_the_report_printed_an_initiative_is_shown_but_set_by_no_one(
    client, request, account
):
    printed = InitiativeFactory(ward=ward("saiwai"), in_report=True, title="報告書の取組")
    entered = InitiativeFactory(ward=ward("saiwai"), title="区職員の取組")
    client.force_login(request.getfixturevalue(account))
    url = "/admin/initiatives/initiative/{}/change/"

    page = client.get(url.format(printed.pk))
    for initiative, claimed in [(printed, ""), (entered, "on")]:
        data = initiative_form_data(
            ward=initiative.ward.pk,
            title=initiative.title,
            in_report=claimed,
            version=initiative.version,
        )
        assert client.post(url.format(initiative.pk), data).status_code == 302

    assert "in_report" not in page.context["adminform"].form.fields
    assert "in_report" in page.context["adminform"].readonly_fields
    printed.refresh_from_db()
    entered.refresh_from_db()
    assert (printed.in_report, entered.in_report) == (True, False)


@pytest.fixture
def detail_template(settings, tmp_path):
    """A stand-in for the public detail page, whatever the pages look like today."""
    folder = tmp_path / "templates" / "initiatives"
    folder.mkdir(parents=True)
    (folder / "initiative_detail.html").write_text(
        "{{ object.title }}|{{ object.get_status_display }}|{{ is_preview }}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}
    ]


def test_staff_preview_a_draft_with_the_public_template(client, saiwai_staff, detail_template):
    draft = InitiativeFactory(ward=ward("saiwai"), title="下書きの取組", draft=True)
    client.force_login(saiwai_staff)

    response = answered(client, f"/admin/initiatives/initiative/{draft.pk}/preview/")

    assert "initiatives/initiative_detail.html" in [t.name for t in response.templates]
    assert response.content.decode().startswith("下書きの取組|")
    assert response.content.decode().endswith("|True")
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_preview_of_another_wards_draft_is_not_found(client, saiwai_staff, detail_template):
    draft = InitiativeFactory(ward=ward("tama"), draft=True)
    client.force_login(saiwai_staff)

    assert client.get(f"/admin/initiatives/initiative/{draft.pk}/preview/").status_code == 404


def test_the_public_cannot_open_the_preview(client, detail_template):
    draft = InitiativeFactory(ward=ward("saiwai"), draft=True)

    response = client.get(f"/admin/initiatives/initiative/{draft.pk}/preview/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_history_records_who_changed_which_field(client, saiwai_staff):
    initiative = InitiativeFactory(
        ward=ward("saiwai"), title="旧題", case_study=None, fiscal_year_start=None, draft=True
    )
    client.force_login(saiwai_staff)

    client.post(
        f"/admin/initiatives/initiative/{initiative.pk}/change/",
        initiative_form_data(title="新題", summary=initiative.summary, version=initiative.version),
    )

    latest = initiative.history.latest()
    assert latest.history_user == saiwai_staff
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("title", "旧題", "新題")]
    page = client.get(f"/admin/initiatives/initiative/{initiative.pk}/history/")
    assert "旧題" in page.content.decode()
    assert "新題" in page.content.decode()


def test_an_earlier_version_can_be_restored(client, saiwai_staff):
    initiative = InitiativeFactory(ward=ward("saiwai"), title="旧題")
    first = initiative.history.earliest()
    initiative.title = "新題"
    initiative.save()
    client.force_login(saiwai_staff)

    restore = f"/admin/initiatives/initiative/{initiative.pk}/history/{first.history_id}/"
    assert client.get(restore).status_code == 200
    response = client.post(restore, initiative_form_data(title="旧題"))

    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "旧題"


def test_another_wards_version_cannot_be_restored(client, saiwai_staff):
    initiative = InitiativeFactory(ward=ward("tama"), title="旧題")
    version = initiative.history.earliest()
    client.force_login(saiwai_staff)

    restore = f"/admin/initiatives/initiative/{initiative.pk}/history/{version.history_id}/"

    assert client.get(restore).status_code in (403, 404)
    assert client.post(restore, initiative_form_data(title="奪取")).status_code in (403, 404)
    initiative.refresh_from_db()
    assert initiative.title == "旧題"


def test_a_version_from_before_a_move_to_another_ward_cannot_be_restored(client, saiwai_staff):
    initiative = InitiativeFactory(ward=ward("saiwai"), title="旧題")
    version = initiative.history.earliest()
    initiative.ward = ward("tama")
    initiative.title = "多摩区の取組"
    initiative.save()
    client.force_login(saiwai_staff)

    restore = f"/admin/initiatives/initiative/{initiative.pk}/history/{version.history_id}/"

    assert client.get(restore).status_code == 404
    assert client.post(restore, initiative_form_data(title="奪取")).status_code == 404
    initiative.refresh_from_db()
    assert (initiative.ward.slug, initiative.title) == ("tama", "多摩区の取組")


def test_changes_to_points_are_kept_in_their_history(saiwai_staff):
    point = InitiativePointFactory(text="最初")
    point.text = "修正"
    point.save()

    assert [h.text for h in point.history.order_by("history_date")] == ["最初", "修正"]


@pytest.mark.parametrize("size", [1, 12])
def test_the_initiative_list_query_count_does_not_grow_with_rows(
    client, secretariat, django_assert_max_num_queries, size
):
    for _ in range(size):
        InitiativeFactory(ward=ward("saiwai"), published_at=timezone.now())
    client.force_login(secretariat)

    with django_assert_max_num_queries(15):
        assert client.get("/admin/initiatives/initiative/").status_code == 200
