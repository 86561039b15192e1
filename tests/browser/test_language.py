"""The language switch in the header keeps the visitor on the same page."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import translation

from initiatives.models import CaseStudy

pytestmark = pytest.mark.browser


def switch_to(page, language: str) -> None:
    switch = page.get_by_role("banner").locator(f'a[hreflang="{language}"]')
    with page.expect_navigation():
        switch.click()


def test_the_language_switch_keeps_the_current_page_and_its_query(page, live_server, site_data):
    case = CaseStudy.objects.first()
    with translation.override("en"):
        english = case.get_absolute_url()
    list_query = "?ward=miyamae&fy=2010"
    page.goto(live_server.url + case.get_absolute_url())

    switch_to(page, "en")
    in_english = (urlsplit(page.url).path, page.locator("html").get_attribute("lang"))
    switch_to(page, "ja")
    back_in_japanese = (urlsplit(page.url).path, page.locator("html").get_attribute("lang"))
    page.goto(live_server.url + reverse("initiatives:list") + list_query)
    switch_to(page, "en")

    assert in_english == (english, "en")
    assert back_in_japanese == (case.get_absolute_url(), "ja")
    with translation.override("en"):
        assert page.url == live_server.url + reverse("initiatives:list") + list_query
