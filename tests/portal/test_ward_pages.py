import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.timeline import LISTED_PER_YEAR
from tests import factories
from tests.portal.helpers import answered, assert_links

pytestmark = pytest.mark.django_db


def test_the_ward_list_shows_every_ward_with_its_published_initiative_count(client, make_portal):
    portal = make_portal(size=2)
    empty_ward = factories.WardFactory(name="空区")

    response = answered(client, reverse("wards:list"))

    assert_links(response, portal.wards)
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

    response = answered(client, ward.get_absolute_url())

    assert f"<h1>{ward.name}</h1>" in response.text
    assert_links(response, (i for i in portal.initiatives if i.ward == ward))
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

    response = answered(client, ward.get_absolute_url())

    assert response.context["cases"].cases == []
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


@pytest.mark.parametrize(
    ("size", "queries"),
    # Its commitments counted by state (issue 14) besides the fourteen or thirteen before.
    [(1, 15), (LISTED_PER_YEAR, 15), (LISTED_PER_YEAR + 1, 14), (2 * LISTED_PER_YEAR, 14)],
)
def test_a_ward_page_costs_fifteen_queries_or_fourteen_when_no_year_lists_its_initiatives(
    client, make_portal, django_assert_num_queries, size, queries
):
    # The ward and its departments; the page's initiative ids, their rows and their count;
    # the cases' counts, the cases shown, their organisational changes, measures and
    # opinions; the timeline's counts by fiscal year and, while few initiatives began in a
    # year (all of this portal's began in 2010), those initiatives; its published proposals
    # counted, and the newest of them.
    ward = make_portal(size=size).wards[0]
    with django_assert_num_queries(queries):
        assert client.get(ward.get_absolute_url()).status_code == 200


# --- The ward's initiatives, a page at a time ----------------------------------------


def ward_with_initiatives(count, **kwargs):
    ward = factories.WardFactory(slug="miyamae", name="宮前区")
    now = timezone.now()
    initiatives = [
        factories.InitiativeFactory(
            ward=ward, published_at=now - datetime.timedelta(hours=n), **kwargs
        )
        for n in range(count)
    ]
    return ward, initiatives


def card_urls(response):
    return [initiative.get_absolute_url() for initiative in response.context["page_obj"]]


def test_a_ward_page_shows_its_initiatives_twenty_a_page_newest_first(client):
    ward, initiatives = ward_with_initiatives(45)

    first = client.get(ward.get_absolute_url())
    third = client.get(ward.get_absolute_url(), {"page": 3})

    assert card_urls(first) == [i.get_absolute_url() for i in initiatives[:20]]
    assert card_urls(third) == [i.get_absolute_url() for i in initiatives[40:]]
    assert 'href="?page=2"' in first.text
    assert '<span aria-current="page">3</span>' in third.text
    assert initiatives[40].get_absolute_url() not in first.text


def test_a_ward_page_links_the_filterable_list_of_its_initiatives(client):
    ward, _initiatives = ward_with_initiatives(3)

    response = client.get(ward.get_absolute_url())

    assert f'href="{reverse("initiatives:list")}?ward=miyamae"' in response.text


@pytest.mark.parametrize(("requested", "shown"), [("999", 3), ("abc", 1), ("0", 1)])
def test_a_page_out_of_range_shows_the_nearest_page_with_a_notice(client, requested, shown):
    ward, _initiatives = ward_with_initiatives(45)

    response = answered(client, ward.get_absolute_url(), {"page": requested})

    assert response.context["page_obj"].number == shown
    with translation.override("ja"):
        notice = translation.gettext("There is no page “%(requested)s”; showing page %(number)s.")
    assert notice % {"requested": requested, "number": shown} in response.text


def test_a_ward_page_shows_only_the_wards_published_initiatives_in_its_count(client, make_portal):
    portal = make_portal(size=3)

    response = client.get(portal.wards[0].get_absolute_url())

    assert response.context["paginator"].count == 3


# --- Its case studies -------------------------------------------------------------


def test_a_ward_page_counts_the_wards_initiatives_of_each_case(client, make_portal):
    portal = make_portal(size=5)
    ward = portal.wards[0]

    cases = client.get(ward.get_absolute_url()).context["cases"]

    assert [(case, case.initiative_count) for case in cases.cases] == [
        (portal.cases[0], 3),
        (portal.cases[1], 2),
    ]
    assert cases.total == 2


def test_a_ward_page_shows_its_first_ten_cases_and_links_them_all(client):
    ward = factories.WardFactory(slug="tama", name="多摩区")
    cases = factories.CaseStudyFactory.create_batch(12)
    for case in reversed(cases):
        factories.InitiativeFactory(ward=ward, case_study=case)
        factories.OpinionFactory(case_study=case, body=f"{case.number}への意見")

    response = client.get(ward.get_absolute_url())

    shown = response.context["cases"]
    assert shown.cases == cases[:10]
    assert shown.total == 12
    assert f'href="{reverse("initiatives:case-list")}?ward=tama"' in response.text
    assert f"{cases[9].number}への意見" in response.text
    assert f"{cases[10].number}への意見" not in response.text
    assert cases[10].get_absolute_url() not in response.text.split('id="cases-heading"')[1]


def test_a_ward_page_with_few_cases_does_not_offer_the_list_of_all(client, make_portal):
    ward = make_portal().wards[0]

    response = client.get(ward.get_absolute_url())

    assert f"{reverse('initiatives:case-list')}?ward=" not in response.text
