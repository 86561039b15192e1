"""A keyboard alone reaches everything on every page, and always shows where it is."""

import pytest
from django.urls import reverse

from tests.browser.checks import (
    FOCUSED,
    assert_every_interactive_element_is_reached_with_a_visible_focus,
)
from tests.browser.pages import PAGES, page_path

pytestmark = pytest.mark.browser


def open_home(page, live_server):
    response = page.goto(live_server.url + reverse("home"))
    assert response.status == 200


def test_the_first_tab_reaches_the_skip_link_and_enter_moves_focus_to_the_main_content(
    page, live_server, site_data
):
    open_home(page, live_server)

    page.keyboard.press("Tab")
    skip_link = page.evaluate("() => document.activeElement.getAttribute('href')")
    focused = page.evaluate(FOCUSED)
    page.keyboard.press("Enter")

    assert skip_link == "#main"
    assert focused["onScreen"], "the skip link stays off screen when focused"
    assert page.evaluate("() => document.activeElement.tagName") == "MAIN"


def test_tab_reaches_every_interactive_element_of_every_page_type_with_a_visible_focus(
    page, live_server, site_data
):
    failures = {}
    for name in PAGES:
        path = page_path(name, "ja")
        page.goto(live_server.url + path)
        try:
            assert_every_interactive_element_is_reached_with_a_visible_focus(page)
        except AssertionError as failure:
            failures[path] = str(failure)

    assert not failures, "\n".join(f"{path}: {failure}" for path, failure in failures.items())
