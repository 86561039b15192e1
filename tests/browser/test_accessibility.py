"""axe-core finds no WCAG 2.1 A/AA violation on any page type, in either language."""

import pytest

from tests.browser.conftest import AXE, LANGUAGES, PAGES, page_path

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags},
                                      resultTypes: ["violations"]})
                    .then(results => results.violations)""",
        AXE_TAGS,
    )


def describe(violations: list[dict]) -> str:
    """One line per offending element: rule id, impact, selector, and what the rule wants."""
    return "\n".join(
        f"{violation['id']} ({violation['impact']}) {' '.join(map(str, node['target']))}: "
        f"{violation['help']}"
        for violation in violations
        for node in violation["nodes"]
    )


def test_the_accessibility_check_reports_an_image_without_a_text_alternative(page):
    page.set_content('<html lang="en"><title>t</title><main><img src="data:,"></main></html>')

    assert "image-alt" in {violation["id"] for violation in axe_violations(page)}


# Both languages in one test: the data is loaded once for the two pages.
@pytest.mark.parametrize("name", PAGES)
def test_every_page_type_has_no_accessibility_violations_in_either_language(
    page, live_server, site_data, name
):
    found = {}
    for language in LANGUAGES:
        path = page_path(name, language)
        response = page.goto(live_server.url + path)
        assert response.status == (404 if name == "not found" else 200), path
        found[path] = axe_violations(page)

    assert not any(found.values()), "\n".join(
        f"{path}\n{describe(violations)}" for path, violations in found.items() if violations
    )
