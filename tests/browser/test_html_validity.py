"""The Nu HTML Checker finds no error in the HTML of any page type, in either language."""

import warnings

import pytest

from tests.browser.checks import INVALID_DOCUMENT, describe_messages, is_error, nu_check
from tests.browser.pages import LANGUAGES, PAGES, expected_status, page_path

pytestmark = pytest.mark.browser


def assert_valid(documents: dict[str, bytes]) -> None:
    """No checker error in any document; its warnings are shown, not failed on."""
    messages = nu_check({"invalid document": INVALID_DOCUMENT, **documents})

    assert any(map(is_error, messages.pop("invalid document")))
    warned = {name: [m for m in found if not is_error(m)] for name, found in messages.items()}
    if any(warned.values()):
        warnings.warn(f"Nu HTML Checker warnings:\n{describe_messages(warned)}", stacklevel=2)
    errors = {name: [m for m in found if is_error(m)] for name, found in messages.items()}
    assert not any(errors.values()), describe_messages(errors)


def test_every_page_type_is_valid_html(client, site_data):
    documents = {}
    for language in LANGUAGES:
        for name in PAGES:
            path = page_path(name, language)
            response = client.get(path)
            assert response.status_code == expected_status(name), path
            documents[path] = response.content

    assert_valid(documents)
