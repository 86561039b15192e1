"""The proposal form as it comes back with errors passes the accessibility checks, in both
languages; its other pages are among the public page types (pages.py)."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.browser.checks import axe_violations, describe_violations
from tests.browser.pages import LANGUAGES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_proposal_form_has_no_accessibility_violations_when_it_shows_errors(
    page, live_server, site_data, language
):
    with translation.override(language):
        path = reverse("proposals:new")
    page.goto(live_server.url + path)
    page.fill("#id_title", "")
    page.fill("#id_email", "not-an-address")

    with page.expect_navigation() as navigation:
        page.click("main form.proposal-form button[type=submit]")

    assert navigation.value.status == 400
    assert page.locator("#error-summary").is_visible()
    violations = axe_violations(page)
    assert not violations, describe_violations({page.url: violations})
