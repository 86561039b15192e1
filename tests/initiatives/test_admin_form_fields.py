"""The initiative form as staff fill it in: fiscal years as they write them, new items
numbered after the others, depth as a choice."""

import pytest

from initiatives.models import Initiative
from tests.admin_forms import form_data, inline_prefix
from tests.factories import InitiativeFactory, InitiativePointFactory, ward

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(client, saiwai_staff):
    initiative = InitiativeFactory(ward=ward("saiwai"), case_study=None, fiscal_year_start=None)
    InitiativePointFactory(initiative=initiative, part="content", position=3, text="既存")
    client.force_login(saiwai_staff)
    url = f"/admin/initiatives/initiative/{initiative.pk}/change/"
    page = client.get(url)
    return initiative, url, page


@pytest.mark.parametrize(
    ("start", "end", "stored", "shown"),
    [
        ("平成22年度", "令和6年度", (2010, 2024), "平成22年度（2010年度）"),
        ("2024", "", (2024, None), "令和6年度（2024年度）"),
        ("令和元年度", "２０２０年度", (2019, 2020), "令和元年度（2019年度）"),
    ],
)
def test_fiscal_years_are_entered_as_staff_write_them_and_shown_in_both_forms(
    client, opened, start, end, stored, shown
):
    initiative, url, page = opened
    data = form_data(page, "initiative_form") | {
        "fiscal_year_start": start,
        "fiscal_year_end": end,
    }

    assert client.post(url, data).status_code == 302

    initiative = Initiative.objects.get(pk=initiative.pk)
    assert (initiative.fiscal_year_start, initiative.fiscal_year_end) == stored
    again = client.get(url)
    assert f'value="{shown}"' in again.content.decode()
    # What the form shows back is read again as it is.
    resaved = form_data(again, "initiative_form")
    assert client.post(url, resaved).status_code == 302
    initiative.refresh_from_db()
    assert (initiative.fiscal_year_start, initiative.fiscal_year_end) == stored


def test_a_fiscal_year_that_is_not_one_is_refused_in_japanese(client, opened):
    _initiative, url, page = opened
    data = form_data(page, "initiative_form") | {"fiscal_year_start": "来年度"}

    response = client.post(url, data)

    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["fiscal_year_start"]
    assert "来年度" in error
    assert "平成22年度" in error
    assert "not a fiscal year" not in error


def test_new_items_without_a_position_come_after_the_others_in_order(client, opened):
    initiative, url, page = opened
    contents = inline_prefix(page, "content")
    data = form_data(page, "initiative_form")
    data[f"{contents}-TOTAL_FORMS"] = "3"
    for i, text in [(1, "追加一"), (2, "追加二")]:
        data |= {
            f"{contents}-{i}-position": "",
            f"{contents}-{i}-depth": "1" if i == 2 else "0",
            f"{contents}-{i}-style": "bullet",
            f"{contents}-{i}-text": text,
            f"{contents}-{i}-editorial_note": "",
        }

    assert client.post(url, data).status_code == 302

    rows = list(
        initiative.points.filter(part="content")
        .order_by("position")
        .values_list("position", "depth", "text")
    )
    assert rows == [(3, 0, "既存"), (4, 0, "追加一"), (5, 1, "追加二")]


def test_depth_is_a_choice_of_item_or_sub_item(opened):
    _initiative, _url, page = opened
    html = page.content.decode()

    assert '<option value="0" selected>項目</option>' in html
    assert '<option value="1">小項目</option>' in html
