import pytest
from django.urls import reverse

from tests import factories
from tests.portal.helpers import answered, assert_links, names

pytestmark = pytest.mark.django_db


def test_the_initiative_list_shows_only_published_initiatives(client, make_portal):
    portal = make_portal(size=2)

    response = answered(client, reverse("initiatives:list"))

    assert sorted(i.pk for i in response.context["initiative_list"]) == sorted(
        i.pk for i in portal.initiatives
    )
    for initiative in portal.initiatives:
        assert initiative.get_absolute_url() in response.text
        assert initiative.ward.get_absolute_url() in response.text


def test_the_initiative_list_follows_the_ward_order_then_the_case_order(client, make_portal):
    portal = make_portal(size=2)
    loose = factories.InitiativeFactory(ward=portal.wards[0], case_study=None)

    listed = list(
        client.get(reverse("initiatives:list"), {"sort": "report"}).context["initiative_list"]
    )

    assert [i.ward for i in listed] == sorted((i.ward for i in listed), key=lambda w: w.position)
    first_ward = [i for i in listed if i.ward == portal.wards[0]]
    assert first_ward[0].is_main
    assert first_ward[-1] == loose


def test_the_initiative_list_is_paginated(client, make_portal):
    make_portal(size=8)

    first = client.get(reverse("initiatives:list"))
    second = client.get(reverse("initiatives:list"), {"page": 2})

    assert len(first.context["initiative_list"]) == 20
    assert len(second.context["initiative_list"]) == 4
    assert 'href="?page=2"' in first.text
    assert '<span aria-current="page">2</span>' in second.text


def test_the_initiative_list_keeps_other_parameters_in_page_links(client, make_portal):
    make_portal(size=8)

    response = client.get(reverse("initiatives:list"), {"q": "取組"})

    assert 'href="?q=%E5%8F%96%E7%B5%84&amp;page=2"' in response.text


def test_an_initiative_page_shows_its_whole_record(client, make_portal):
    portal = make_portal(size=2)
    initiative = portal.initiatives[0]

    response = answered(client, initiative.get_absolute_url())

    assert f'<h1 lang="ja">{initiative.title}</h1>' in response.text
    assert "<p>第一段落。</p>" in response.text
    assert "<p>第二段落。</p>" in response.text
    assert "平成22年度（2010年度）から" in response.text
    for point in initiative.points.all():
        assert point.text in response.text
    for photo in initiative.photos.all():
        assert f"{photo.caption}</figcaption>" in response.text
    assert "画像なし" not in response.text


def test_an_initiative_page_links_its_ward_case_vision_and_departments(client, make_portal):
    portal = make_portal(size=2)
    initiative = portal.initiatives[0]

    response = client.get(initiative.get_absolute_url())

    assert initiative.ward.get_absolute_url() in response.text
    assert initiative.case_study.get_absolute_url() in response.text
    assert initiative.case_study.vision.get_absolute_url() in response.text
    assert_links(response, initiative.departments.all())
    assert str(portal.city_department) in response.text


def test_an_initiative_page_shows_its_parts_in_the_reports_order(client, make_portal):
    initiative = make_portal().initiatives[0]

    text = client.get(initiative.get_absolute_url()).text

    aims = text.index('id="part-aim-heading"')
    contents = text.index('id="part-content-heading"')
    future = text.index('id="part-future-heading"')
    assert aims < contents < future
    assert 'class="points points--sub"' in text


def test_a_photo_with_an_image_shows_it_with_its_alternative_text(client, make_portal):
    initiative = make_portal().initiatives[0]
    factories.PhotoFactory(
        initiative=initiative, image="initiatives/park.jpg", alt_text="公園で遊ぶ子どもたち"
    )

    response = client.get(initiative.get_absolute_url())

    assert 'src="/media/initiatives/park.jpg" alt="公園で遊ぶ子どもたち"' in response.text


def test_an_initiative_without_a_case_still_has_a_page(client):
    initiative = factories.InitiativeFactory(case_study=None)

    response = answered(client, initiative.get_absolute_url())

    assert initiative.ward.get_absolute_url() in response.text


def test_a_draft_initiative_is_not_found(client):
    draft = factories.InitiativeFactory(draft=True)

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 404
    assert "404.html" in names(response)


def test_a_future_dated_initiative_is_not_found(client):
    scheduled = factories.InitiativeFactory(scheduled=True)

    assert client.get(scheduled.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("path", ["/initiatives/999999/", "/initiatives/abc/"])
def test_an_unknown_initiative_is_not_found(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "404.html" in names(response)


def test_an_initiative_lists_its_wards_departments_before_the_citys(client, make_portal):
    initiative = make_portal(size=2).initiatives[0]

    departments = client.get(initiative.get_absolute_url()).context["departments"]

    assert [d.ward_id is None for d in departments] == [False, False, True]
