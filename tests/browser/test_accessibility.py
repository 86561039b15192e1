"""axe-core finds no WCAG 2.1 A/AA violation on any page type, in either language."""

import pytest

from tests.browser.checks import axe_violations, describe_violations
from tests.browser.pages import LANGUAGES, PAGES, expected_status, page_path

pytestmark = pytest.mark.browser


def test_the_accessibility_check_reports_an_image_without_a_text_alternative(page):
    page.set_content('<html lang="en"><title>t</title><main><img src="data:,"></main></html>')

    assert "image-alt" in {violation["id"] for violation in axe_violations(page)}


# One test visits every page type: loading the report's data for each test would cost
# more than checking the pages (a database flush and load per test on PostgreSQL).
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_type_has_no_accessibility_violations(page, live_server, site_data, language):
    found = {}
    for name in PAGES:
        path = page_path(name, language)
        response = page.goto(live_server.url + path)
        assert response.status == expected_status(name), path
        found[f"{name}: {path}"] = axe_violations(page)

    assert not any(found.values()), describe_violations(found)
