import pytest
from django.urls import reverse

from initiatives.models import Initiative
from tests.portal.helpers import answered, assert_links

pytestmark = pytest.mark.django_db


def test_the_front_page_shows_visions_wards_newest_initiatives_and_search(client, make_portal):
    portal = make_portal(size=2)

    response = answered(client, reverse("home"))

    assert_links(response, portal.visions)
    assert_links(response, portal.wards)
    assert portal.initiatives[-1].get_absolute_url() in response.text
    assert f'action="{reverse("initiatives:list")}"' in response.text
    assert 'name="q"' in response.text


def test_the_front_page_lists_the_newest_published_initiatives_first(client, make_portal):
    make_portal(size=5)

    newest = list(client.get(reverse("home")).context["newest_initiatives"])

    assert len(newest) == 6
    assert newest == list(Initiative.objects.published().order_by("-published_at", "-pk")[:6])
