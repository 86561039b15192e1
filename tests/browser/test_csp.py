"""The Content-Security-Policy holds in a real browser: every public page and the admin
work under it, and what it forbids is refused and reported (so the other browser tests,
which fail on any report, would notice a page that breaks it)."""

import pytest

from initiatives.models import Initiative
from tests.browser.checks import watch_csp_violations
from tests.browser.pages import LANGUAGES, PAGES, page_path
from tests.browser.test_feedback_pages import sign_in
from tests.factories import user_with_role
from wards.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_inline_script_and_style_are_refused_and_reported(browser, live_server, site_data):
    context = browser.new_context()
    page = context.new_page()
    found = watch_csp_violations(page)
    page.goto(live_server.url + "/")

    with pytest.raises(Exception):  # noqa: B017, PT011 (Playwright's error for a refused tag)
        page.add_script_tag(content="document.body.dataset.ran = 'yes'")
    page.evaluate(
        """() => { const s = document.createElement("style");
                   s.textContent = "body { color: red }"; document.head.append(s); }"""
    )
    page.wait_for_timeout(200)

    assert page.evaluate("() => document.body.dataset.ran") is None
    assert any("script-src" in violation for violation in found), found
    assert any("style-src" in violation for violation in found), found
    context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_type_answers_with_the_policy_and_breaks_none_of_it(
    page, live_server, site_data, language
):
    for name in PAGES:
        response = page.goto(live_server.url + page_path(name, language))
        headers = response.headers
        assert "default-src 'self'" in headers["content-security-policy"], name
        assert "camera=()" in headers["permissions-policy"], name
    # The page fixture fails the test on any violation seen.


def test_the_admin_works_under_the_policy(page, live_server, site_data):
    secretariat = user_with_role(Role.SECRETARIAT, username="jimukyoku")
    sign_in(page, live_server, secretariat)
    initiative = Initiative.objects.order_by("pk").first()
    for path in (
        "/admin/",
        "/admin/initiatives/initiative/",
        f"/admin/initiatives/initiative/{initiative.pk}/change/",
        "/admin/initiatives/initiative/add/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert page.url == live_server.url + path, f"{path} redirected to {page.url}"
    # The admin's own scripts ran under the policy: the inline rows can be added to.
    page.goto(live_server.url + "/admin/initiatives/initiative/add/")
    rows = page.locator(".dynamic-points").count()
    page.locator(".add-row a").first.click()
    assert page.locator(".dynamic-points").count() == rows + 1
