from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from initiatives.models import Initiative
from tests import factories
from tests.portal.helpers import answered, assert_links, names

pytestmark = pytest.mark.django_db


def test_the_vision_list_links_each_vision_its_focus_areas_and_cases(client, make_portal):
    portal = make_portal()

    response = answered(client, reverse("initiatives:vision-list"))

    assert_links(response, portal.visions)
    assert_links(response, portal.focus_areas)
    assert_links(response, portal.cases)


def test_a_vision_page_shows_focus_areas_measures_with_fiscal_years_and_cases(client, make_portal):
    portal = make_portal()
    vision = portal.visions[0]
    case = portal.cases[0]

    response = answered(client, vision.get_absolute_url())

    assert f"<h1>{vision.title}</h1>" in response.text
    for area in vision.focus_areas.all():
        assert f'id="focus-area-{area.pk}"' in response.text
        for measure in area.measures.all():
            assert measure.title in response.text
    assert "平成22年度（2010年度）" in response.text
    assert "平成20年度（2008年度）から" in response.text
    assert portal.footnote.text in response.text
    assert case.get_absolute_url() in response.text
    for initiative in case.initiatives.published():
        assert initiative.get_absolute_url() in response.text
        assert initiative.ward.get_absolute_url() in response.text
    assert portal.cases[1].get_absolute_url() not in response.text


def test_a_vision_page_hides_draft_initiatives(client, make_portal):
    portal = make_portal()
    draft = Initiative.objects.filter(status="draft").first()

    response = client.get(portal.visions[0].get_absolute_url())

    assert draft.get_absolute_url() not in response.text


def test_a_vision_page_shows_its_initiatives_twenty_a_page_newest_first(client):
    case = factories.CaseStudyFactory()
    now = timezone.now()
    initiatives = [
        factories.InitiativeFactory(case_study=case, published_at=now - timedelta(hours=n))
        for n in range(25)
    ]
    factories.InitiativeFactory(title="他の区役所像の取組")
    url = case.vision.get_absolute_url()

    first = client.get(url)
    second = client.get(url, {"page": 2})

    assert list(first.context["page_obj"]) == initiatives[:20]
    assert list(second.context["page_obj"]) == initiatives[20:]
    assert "他の区役所像の取組" not in first.text + second.text
    query = f"?vision={case.vision.number}"
    assert f'href="{reverse("initiatives:list")}{query}"' in first.text


def test_a_vision_page_counts_the_initiatives_of_its_first_ten_cases(client):
    vision = factories.VisionFactory()
    area = factories.FocusAreaFactory(vision=vision)
    cases = factories.CaseStudyFactory.create_batch(11, focus_area=area)
    for case in cases:
        factories.InitiativeFactory.create_batch(2, case_study=case)
    factories.InitiativeFactory(case_study=cases[0], draft=True)

    response = client.get(vision.get_absolute_url())

    shown = response.context["cases"]
    assert [(case, case.initiative_count) for case in shown.cases] == [
        (case, 2) for case in cases[:10]
    ]
    assert shown.total == 11
    assert f'href="{reverse("initiatives:case-list")}?vision={vision.number}"' in response.text


@pytest.mark.parametrize("path", ["/visions/9/", "/visions/0/", "/visions/one/"])
def test_an_unknown_vision_is_not_found(client, make_portal, path):
    make_portal()

    response = client.get(path)

    assert response.status_code == 404
    assert "404.html" in names(response)
