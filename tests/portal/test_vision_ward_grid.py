import re

import pytest
from django.urls import reverse

from initiatives.models import Initiative
from portal.overviews import vision_ward_grid
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_by_three():
    """Two visions, three wards; vision 1 has 2 initiatives in the first ward and 1 in the
    second, vision 2 has 1 in the second; drafts, future ones and caseless ones beside."""
    visions = [factories.VisionFactory(number=1), factories.VisionFactory(number=2)]
    cases = [factories.CaseStudyFactory(focus_area__vision=vision) for vision in visions]
    wards = [
        factories.WardFactory(slug=slug, name=name, position=position)
        for position, (slug, name) in enumerate(
            [("kawasaki", "川崎区"), ("saiwai", "幸区"), ("asao", "麻生区")], start=1
        )
    ]
    factories.InitiativeFactory.create_batch(2, ward=wards[0], case_study=cases[0])
    factories.InitiativeFactory(ward=wards[1], case_study=cases[0])
    factories.InitiativeFactory(ward=wards[1], case_study=cases[1])
    factories.InitiativeFactory(ward=wards[2], case_study=cases[1], draft=True)
    factories.InitiativeFactory(ward=wards[2], case_study=cases[1], scheduled=True)
    factories.InitiativeFactory(ward=wards[2], case_study=None)
    return visions, wards


def test_the_counts_come_from_published_initiatives_of_a_case(two_by_three):
    counts = Initiative.objects.counts_by_vision_and_ward()

    assert sorted((row["vision_number"], row["ward_slug"], row["count"]) for row in counts) == [
        (1, "kawasaki", 2),
        (1, "saiwai", 1),
        (2, "saiwai", 1),
    ]


def test_the_grid_has_a_cell_for_every_vision_and_ward_with_zeros_for_none(two_by_three):
    visions, wards = two_by_three

    grid = vision_ward_grid(
        visions=visions, wards=wards, counts=Initiative.objects.counts_by_vision_and_ward()
    )

    assert grid.wards == wards
    assert [[cell.count for cell in row.cells] for row in grid.rows] == [[2, 1, 0], [0, 1, 0]]
    assert [row.total for row in grid.rows] == [3, 1]
    assert grid.rows[0].cells[0].url == "/initiatives/?vision=1&ward=kawasaki"
    assert grid.rows[1].url == "/initiatives/?vision=2"


def cells(text):
    table = re.search(r'<table class="data-table vision-ward-grid">.*?</table>', text, re.DOTALL)
    return re.findall(r"<td[^>]*>(.*?)</td>", table.group(0), re.DOTALL)


def test_the_vision_list_shows_the_grid_as_a_table_with_headers(client, two_by_three):
    visions, wards = two_by_three

    text = client.get(reverse("initiatives:vision-list")).text

    assert '<section id="vision-ward-grid"' in text
    assert "<caption" in text
    for ward in wards:
        assert f'<th scope="col"><a href="{ward.get_absolute_url()}">{ward.name}</a></th>' in text
    for vision in visions:
        assert f'<th scope="row"><a href="{vision.get_absolute_url()}">{vision}</a></th>' in text


def test_each_count_links_to_the_filtered_initiative_list(client, two_by_three):
    text = client.get("/en" + reverse("initiatives:vision-list")).text

    first_row = cells(text)[:4]
    assert first_row[0].startswith('<a href="/en/initiatives/?vision=1&amp;ward=kawasaki">2<span')
    kawasaki = two_by_three[1][0]
    assert f": vision 1 in {kawasaki.name_en}</span></a>" in first_row[0]
    assert first_row[1].startswith('<a href="/en/initiatives/?vision=1&amp;ward=saiwai">1<span')
    assert first_row[3].startswith('<a href="/en/initiatives/?vision=1">3<span')


def test_an_empty_cell_says_zero_in_text_and_links_nowhere(client, two_by_three):
    text = client.get(reverse("initiatives:vision-list")).text

    assert cells(text)[2] == "0"
    assert '<td class="number grid-cell--empty">0</td>' in text
    assert "ward=asao" not in text


def test_the_grid_links_back_to_the_ward_map(client, two_by_three):
    text = client.get(reverse("initiatives:vision-list")).text

    grid = text.split('<section id="vision-ward-grid"')[1]
    assert f'<a href="{reverse("wards:list")}">' in grid


@pytest.mark.parametrize("extra", [0, 6])
def test_the_grid_costs_one_query_whatever_the_data(
    client, two_by_three, django_assert_num_queries, extra
):
    visions, wards = two_by_three
    for index in range(extra):
        factories.InitiativeFactory(
            ward=wards[index % 3], case_study=factories.CaseStudyFactory(vision=visions[1])
        )
    # The visions, their focus areas and case studies (3), the wards, the counts.
    with django_assert_num_queries(5):
        assert client.get(reverse("initiatives:vision-list")).status_code == 200
