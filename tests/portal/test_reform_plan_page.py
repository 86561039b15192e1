import pytest
from django.urls import reverse

from tests.portal.helpers import answered

pytestmark = pytest.mark.django_db


def test_the_reform_plan_shows_aims_pillars_practical_initiatives_and_opinions(client, make_portal):
    portal = make_portal(size=2)
    plan = portal.plan

    response = answered(client, reverse("initiatives:reform-plan"))

    assert plan.title in response.text
    for aim in plan.aims.all():
        assert aim.title in response.text
    for pillar in plan.pillars.all():
        assert pillar.title in response.text
        for item in pillar.items.all():
            assert item.text in response.text
    for practical in plan.practical_initiatives.all():
        assert practical.title in response.text
    for opinion in plan.section.opinions.all():
        assert opinion.body in response.text


def test_the_reform_plan_nests_sub_aims_under_their_aim(client, make_portal):
    plan = make_portal(size=2).plan

    aims = client.get(reverse("initiatives:reform-plan")).context["reformplan"].top_level_aims

    assert [aim.number for aim in aims] == [1, 2]
    assert [sub.number for sub in aims[0].sub_aims.all()] == [1, 2]
    assert plan.aims.count() == 4


def test_the_reform_plan_shows_its_summary_in_the_reports_order(client, make_portal):
    make_portal()

    text = client.get(reverse("initiatives:reform-plan")).text

    direction = text.index('id="part-direction-heading"')
    contents = text.index('id="part-contents-heading"')
    future = text.index('id="part-future-heading"')
    assert direction < contents < future


def test_the_reform_plan_is_not_found_before_any_plan_exists(client):
    assert client.get(reverse("initiatives:reform-plan")).status_code == 404
