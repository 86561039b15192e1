"""The Nu HTML Checker finds no error in the HTML of any page type, in either language."""

import pytest

from tests.browser.checks import assert_valid
from tests.browser.pages import LANGUAGES, PAGES, expected_status, page_path

pytestmark = pytest.mark.browser


def test_every_page_type_is_valid_html(client, site_data):
    documents = {}
    for language in LANGUAGES:
        for name in PAGES:
            path = page_path(name, language)
            response = client.get(path)
            assert response.status_code == expected_status(name), path
            documents[path] = response.content

    assert_valid(documents)
