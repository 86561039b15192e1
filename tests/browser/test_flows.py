"""What a visitor does with a mouse and keyboard: search from the header, filter by ward."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from initiatives.models import Initiative
from tests.factories import InitiativeFactory
from wards.models import Ward

pytestmark = pytest.mark.browser


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_a_query_in_the_header_search_box_lists_matches_at_an_address_that_can_be_shared(
    page, live_server, site_data
):
    wanted = InitiativeFactory(
        ward=Ward.objects.first(), case_study=None, title="ブラウザから探される試験の取組"
    )
    unwanted = Initiative.objects.published().exclude(pk=wanted.pk).first()
    page.goto(live_server.url + reverse("home"))

    box = page.get_by_role("banner").get_by_role("searchbox")
    box.fill("ブラウザから探される")
    with page.expect_navigation():
        box.press("Enter")
    shared = page.context.new_page()
    shared.goto(page.url)

    assert query_of(page.url)["q"] == ["ブラウザから探される"]
    for visit in (page, shared):
        results = visit.get_by_role("main")
        expect(results.get_by_role("link", name=wanted.title)).to_be_visible()
        expect(results.get_by_role("link", name=unwanted.title, exact=True)).to_have_count(0)


def test_choosing_a_ward_narrows_the_initiatives_at_an_address_that_can_be_shared(
    page, live_server, site_data
):
    published = Initiative.objects.published().select_related("ward")
    inside = published.first()
    outside = published.exclude(ward=inside.ward).first()
    page.goto(live_server.url + reverse("initiatives:list"))

    ward = page.get_by_role("main").get_by_role("checkbox", name=inside.ward.name)
    ward.check()
    with page.expect_navigation():
        ward.evaluate("checkbox => checkbox.form.requestSubmit()")
    shared = page.context.new_page()
    shared.goto(page.url)

    assert query_of(page.url)["ward"] == [inside.ward.slug]
    for visit in (page, shared):
        results = visit.get_by_role("main")
        expect(results.get_by_role("link", name=inside.title, exact=True)).to_be_visible()
        expect(results.get_by_role("link", name=outside.title, exact=True)).to_have_count(0)
        expect(results.get_by_role("checkbox", name=inside.ward.name)).to_be_checked()
