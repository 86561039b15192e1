"""A page about one object: its trail goes to the front page, then to its list, and ends
in the object's name in the page's language; a name that exists only in Japanese is
marked ``lang="ja"`` on an English page."""

import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def trail(client, url):
    """The trail's items as the page renders them, white space folded."""
    nav = re.search(r'<nav class="breadcrumbs".*?</nav>', client.get(url).text, re.S)
    return [" ".join(item.split()) for item in re.findall(r"<li>(.*?)</li>", nav[0], re.S)]


def here(label):
    return f'<span aria-current="page">{label}</span>'


def link(url, label):
    return f'<a href="{url}">{label}</a>'


def test_a_ward_page_ends_in_the_ward_under_the_ward_list(client):
    ward = factories.WardFactory(name="中原区", name_en="Nakahara")

    assert trail(client, ward.get_absolute_url()) == [
        link("/", "ホーム"),
        link(reverse("wards:list"), "区"),
        here("中原区"),
    ]
    assert trail(client, f"/en{ward.get_absolute_url()}")[1:] == [
        link("/en/wards/", "Wards"),
        here("Nakahara"),
    ]


def test_a_vision_without_an_english_title_ends_in_its_japanese_title_marked(client):
    vision = factories.VisionFactory(title="市民の参加と協働の拠点", title_en="")

    assert trail(client, vision.get_absolute_url())[1:] == [
        link(reverse("initiatives:vision-list"), "めざすべき区役所像"),
        here("市民の参加と協働の拠点"),
    ]
    assert trail(client, f"/en{vision.get_absolute_url()}")[-1] == here(
        '<span lang="ja">市民の参加と協働の拠点</span>'
    )


def test_a_case_study_ends_in_its_label(client):
    case = factories.CaseStudyFactory(number=2, title="こども支援", title_en="Child support")

    assert trail(client, case.get_absolute_url())[1:] == [
        link(reverse("initiatives:case-list"), "取組事例"),
        here("事例2 こども支援"),
    ]
    assert trail(client, f"/en{case.get_absolute_url()}")[-1] == here("Case 2: Child support")


@pytest.mark.parametrize(
    ("make", "list_name", "list_label"),
    [
        pytest.param(factories.InitiativeFactory, "initiatives:list", "取組", id="initiative"),
        pytest.param(factories.ProposalFactory, "proposals:list", "提案", id="proposal"),
    ],
)
def test_an_initiative_or_a_proposal_ends_in_its_japanese_title(
    client, make, list_name, list_label
):
    page = make(title="冒険遊び場の運営支援")

    assert trail(client, page.get_absolute_url())[1:] == [
        link(reverse(list_name), list_label),
        here("冒険遊び場の運営支援"),
    ]
    assert trail(client, f"/en{page.get_absolute_url()}")[-1] == here(
        '<span lang="ja">冒険遊び場の運営支援</span>'
    )
