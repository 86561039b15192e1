"""The comment form and the moderation pages pass the checks of the public pages.

Forms are also checked as they come back with errors, since that is when their labels and
messages matter most. Their HTML is checked with the public pages' (test_html_validity).
"""

import pytest
from django.conf import settings
from django.urls import reverse

from feedback.models import OpinionState
from tests.browser.checks import (
    assert_every_interactive_element_is_reached_with_a_visible_focus,
    axe_violations,
    describe_violations,
    watch_csp_violations,
)
from tests.browser.pages import (
    COMMENT_PAGES,
    LANGUAGES,
    comment_page_path,
    comment_page_user,
    signed_in_client,
)

pytestmark = pytest.mark.browser


def sign_in(page, live_server, user) -> None:
    """Give the browser the session of a user signed in on the server."""
    session = signed_in_client(user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_comment_and_moderation_pages_have_no_accessibility_violations(
    browser, live_server, comments, language
):
    found = {}
    watched = []
    for name in COMMENT_PAGES:
        # A browser context of its own for each page, signed in as the page's user.
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        watched.append(watch_csp_violations(page))
        if comment_page_user(name, comments) is not None:
            sign_in(page, live_server, comment_page_user(name, comments))
        path = comment_page_path(name, language, comments)
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{name}: {path}"
        found[f"{name}: {path}"] = axe_violations(page)
        context.close()

    assert not any(found.values()), describe_violations(found)
    csp_violations = [violation for found_on_page in watched for violation in found_on_page]
    assert not csp_violations, "\n".join(csp_violations)


def submit_without_browser_validation(page, form_selector: str) -> int:
    """Send a form as a browser that does not check ``required`` would; the status."""
    with page.expect_navigation() as navigation:
        page.locator(form_selector).evaluate("form => { form.noValidate = true; form.submit(); }")
    return navigation.value.status


def test_the_comment_form_has_no_accessibility_violations_when_it_shows_errors(
    page, live_server, comments
):
    sign_in(page, live_server, comments.member)
    page.goto(live_server.url + reverse("feedback:comment-create", args=[comments.case.number]))

    status = submit_without_browser_validation(page, "main form[method=post]")

    assert status == 400
    violations = axe_violations(page)
    assert not violations, describe_violations({page.url: violations})


def test_the_moderation_form_has_no_accessibility_violations_when_it_shows_errors(
    page, live_server, comments
):
    sign_in(page, live_server, comments.secretariat)
    page.goto(live_server.url + reverse("feedback:moderation"))
    form = f'form[action="{reverse("feedback:moderation-decide", args=[comments.pending.pk])}"]'
    page.locator(f'{form} input[value="{OpinionState.REJECTED}"]').check()

    status = submit_without_browser_validation(page, form)

    assert status == 400
    violations = axe_violations(page)
    assert not violations, describe_violations({page.url: violations})


@pytest.mark.parametrize(
    ("role", "url_name"),
    [("member", "feedback:comment-create"), ("secretariat", "feedback:moderation")],
)
def test_a_keyboard_reaches_every_control_of_the_comment_and_moderation_forms(
    page, live_server, comments, role, url_name
):
    sign_in(page, live_server, getattr(comments, role))
    args = [comments.case.number] if url_name == "feedback:comment-create" else []
    page.goto(live_server.url + reverse(url_name, args=args))

    assert_every_interactive_element_is_reached_with_a_visible_focus(page)
