import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories

pytestmark = pytest.mark.django_db


def test_the_ward_list_shows_every_ward_with_its_published_initiative_count(client, make_portal):
    portal = make_portal(size=2)
    empty_ward = factories.WardFactory(name="空区")

    response = client.get(reverse("wards:list"))

    assert response.status_code == 200
    for ward in portal.wards:
        assert ward.get_absolute_url() in response.text
    counts = {ward.pk: ward.initiative_count for ward in response.context["ward_list"]}
    assert counts == {**{ward.pk: 2 for ward in portal.wards}, empty_ward.pk: 0}


def test_the_ward_list_follows_the_citys_order(client):
    second = factories.WardFactory(position=20, name="幸区")
    first = factories.WardFactory(position=10, name="川崎区")

    response = client.get(reverse("wards:list"))

    assert list(response.context["ward_list"]) == [first, second]
    assert response.text.index("川崎区") < response.text.index("幸区")


def test_a_ward_page_links_to_everything_that_happened_there(client, make_portal):
    portal = make_portal(size=2)
    ward = portal.wards[0]

    response = client.get(ward.get_absolute_url())

    assert response.status_code == 200
    assert f"<h1>{ward.name}</h1>" in response.text
    for initiative in (i for i in portal.initiatives if i.ward == ward):
        assert initiative.get_absolute_url() in response.text
    for case in portal.cases:
        assert case.get_absolute_url() in response.text
        assert case.vision.get_absolute_url() in response.text
    for department in ward.departments.all():
        assert department.get_absolute_url() in response.text
        assert department.name in response.text


def test_a_ward_page_shows_the_report_opinions_on_its_cases(client, make_portal):
    portal = make_portal()
    case = portal.cases[0]
    opinion = case.opinions.first()
    member_comment = factories.OpinionFactory(case_study=case, member=True, body="委員の投稿")

    response = client.get(portal.wards[0].get_absolute_url())

    assert opinion.topic in response.text
    assert opinion.body in response.text
    assert member_comment.body not in response.text


def test_a_ward_page_hides_drafts_and_future_initiatives(client, make_portal):
    portal = make_portal()
    ward = portal.wards[0]
    hidden = list(ward.initiatives.exclude(pk__in=[i.pk for i in portal.initiatives]))

    response = client.get(ward.get_absolute_url())

    assert len(hidden) == 2
    for initiative in hidden:
        assert initiative.get_absolute_url() not in response.text
        assert initiative.title not in response.text


def test_a_ward_without_initiatives_says_so(client):
    ward = factories.WardFactory()

    response = client.get(ward.get_absolute_url())

    assert response.status_code == 200
    assert response.context["case_studies"] == []
    with translation.override("ja"):
        assert translation.gettext("This ward has no published initiative yet.") in response.text


def test_an_unknown_ward_is_not_found(client, make_portal):
    make_portal()

    response = client.get("/wards/nowhere/")

    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]


def test_a_ward_page_has_breadcrumbs_ending_at_the_ward(client):
    ward = factories.WardFactory(name="中原区")

    response = client.get(ward.get_absolute_url())

    assert f'<span aria-current="page">{ward.name}</span>' in response.text
    assert f'<a href="{reverse("wards:list")}">' in response.text


@pytest.mark.parametrize("size", [1, 5])
def test_the_ward_list_costs_one_query_whatever_the_data(
    client, make_portal, django_assert_num_queries, size
):
    make_portal(size=size)
    with django_assert_num_queries(1):
        assert client.get(reverse("wards:list")).status_code == 200


@pytest.mark.parametrize("size", [1, 5])
def test_a_ward_page_costs_six_queries_whatever_the_data(
    client, make_portal, django_assert_num_queries, size
):
    ward = make_portal(size=size).wards[0]
    with django_assert_num_queries(6):
        assert client.get(ward.get_absolute_url()).status_code == 200
