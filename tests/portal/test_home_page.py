import pytest
from django.urls import reverse

from initiatives.models import Initiative

pytestmark = pytest.mark.django_db


def test_the_front_page_shows_visions_wards_newest_initiatives_and_search(client, make_portal):
    portal = make_portal(size=2)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    for vision in portal.visions:
        assert vision.get_absolute_url() in response.text
    for ward in portal.wards:
        assert ward.get_absolute_url() in response.text
    assert portal.initiatives[-1].get_absolute_url() in response.text
    assert f'action="{reverse("initiatives:list")}"' in response.text
    assert 'name="q"' in response.text


def test_the_front_page_lists_the_newest_published_initiatives_first(client, make_portal):
    make_portal(size=5)

    newest = list(client.get(reverse("home")).context["newest_initiatives"])

    assert len(newest) == 6
    assert newest == list(Initiative.objects.published().order_by("-published_at", "-pk")[:6])
