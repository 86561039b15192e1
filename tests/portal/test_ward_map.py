import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

# The seven wards in the city's usual order (DESIGN.md).
SEVEN_WARDS = [
    ("kawasaki", "川崎区", "Kawasaki"),
    ("saiwai", "幸区", "Saiwai"),
    ("nakahara", "中原区", "Nakahara"),
    ("takatsu", "高津区", "Takatsu"),
    ("miyamae", "宮前区", "Miyamae"),
    ("tama", "多摩区", "Tama"),
    ("asao", "麻生区", "Asao"),
]


@pytest.fixture
def seven_wards():
    """The city's wards, the n-th of them with n published initiatives (川崎区 none)."""
    wards = []
    for position, (slug, name, name_en) in enumerate(SEVEN_WARDS):
        ward = factories.WardFactory(slug=slug, name=name, name_en=name_en, position=position + 1)
        factories.InitiativeFactory.create_batch(position, ward=ward)
        factories.InitiativeFactory(ward=ward, draft=True)
        wards.append(ward)
    return wards


def the_map(text):
    return re.search(r"<svg.*?</svg>", text, re.DOTALL).group(0)


def map_links(text):
    """``[(href, title, visible label), …]`` of the wards drawn on the map."""
    return [
        (href, title, re.sub(r"<[^>]+>", "", label))
        for href, title, label in re.findall(
            r'<a class="ward-map__area" href="([^"]+)"><title>([^<]*)</title><path d="M[^"]+"/>'
            r"<text[^>]*>(.*?)</text></a>",
            the_map(text),
        )
    ]


def test_the_map_draws_every_ward_as_a_link_with_its_published_count(client, seven_wards):
    response = client.get("/en" + reverse("wards:list"))

    links = map_links(response.text)
    assert [href for href, _title, _label in links] == [
        f"/en{ward.get_absolute_url()}" for ward in seven_wards
    ]
    assert links[0][1:] == ("Kawasaki: 0 published initiatives", "Kawasaki 0")
    assert links[1][1:] == ("Saiwai: 1 published initiative", "Saiwai 1")
    assert links[6][1:] == ("Asao: 6 published initiatives", "Asao 6")


def test_the_japanese_map_names_the_wards_in_japanese(client, seven_wards):
    links = map_links(client.get(reverse("wards:list")).text)

    assert links[4][0] == "/wards/miyamae/"
    assert links[4][2] == "宮前区 4"


def test_each_ward_has_its_own_shape(client, seven_wards):
    svg = the_map(client.get(reverse("wards:list")).text)

    shapes = re.findall(r'<path d="(M[^"]+)"/>', svg)
    assert len(shapes) == len(set(shapes)) == 7


def test_the_map_is_a_named_and_described_group_of_links(client, seven_wards):
    svg = the_map(client.get(reverse("wards:list")).text)

    opening = svg.split(">")[0]
    assert 'role="group"' in opening
    assert 'aria-labelledby="ward-map-title"' in opening
    assert 'aria-describedby="ward-map-desc"' in opening
    assert re.search(r'<title id="ward-map-title">[^<]+</title>', svg)
    assert re.search(r'<desc id="ward-map-desc">[^<]+</desc>', svg)
    assert '<g aria-hidden="true">' in svg


def test_the_list_beside_the_map_is_its_text_alternative(client, seven_wards):
    text = client.get("/en" + reverse("wards:list")).text
    after_map = text.split("</svg>")[1]

    for ward in seven_wards:
        assert f'<a href="/en{ward.get_absolute_url()}">{ward.name_en}</a>' in after_map
    assert "6 published initiatives" in after_map


def test_a_ward_without_a_shape_is_listed_but_not_drawn(client, seven_wards):
    newcomer = factories.WardFactory(slug="shinkawasaki", name="新川崎区")

    text = client.get(reverse("wards:list")).text

    assert newcomer.get_absolute_url() not in the_map(text)
    assert newcomer.get_absolute_url() in text.split("</svg>")[1]


def test_the_ward_list_links_to_the_vision_ward_grid(client, seven_wards):
    text = client.get(reverse("wards:list")).text

    assert f'href="{reverse("initiatives:vision-list")}#vision-ward-grid"' in text


@pytest.mark.parametrize("extra", [0, 4])
def test_the_map_adds_no_query(client, seven_wards, django_assert_num_queries, extra):
    factories.InitiativeFactory.create_batch(extra, ward=seven_wards[3])
    with django_assert_num_queries(1):
        assert client.get(reverse("wards:list")).status_code == 200
