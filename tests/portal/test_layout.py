import pytest
from django.urls import reverse

from tests.portal.helpers import answered, japanese, names

pytestmark = pytest.mark.django_db


def test_the_404_page_renders_with_debug_off(client, settings):
    settings.DEBUG = False

    response = client.get("/cases/99/")

    assert response.status_code == 404
    assert "404.html" in names(response)
    assert f"<h1>{japanese('Page not found')}</h1>" in response.text
    assert f'href="{reverse("home")}"' in response.text


@pytest.mark.parametrize(
    "url_name",
    [
        "home",
        "wards:list",
        "initiatives:vision-list",
        "initiatives:reform-plan",
        "initiatives:case-list",
        "initiatives:list",
    ],
)
def test_every_page_has_landmarks_a_skip_link_and_one_h1(client, make_portal, url_name):
    make_portal()

    text = client.get(reverse(url_name)).text

    assert '<html lang="ja">' in text
    assert 'href="#main"' in text
    assert '<main id="main"' in text
    assert "<header" in text
    assert "<footer" in text
    assert text.count("<h1") == 1


def test_the_english_interface_sets_the_page_language(client, make_portal):
    make_portal()

    response = answered(client, "/en/wards/")

    assert '<html lang="en">' in response.text
