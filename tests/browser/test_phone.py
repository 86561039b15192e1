"""The site on a phone (390 × 844 CSS pixels, an iPhone 12–15): the header leaves the screen
to the page, the filters fold away and the results are in view after filtering, and the
report's tables keep their text readable."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import user_with_role
from wards.roles import Role

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
HEADER_MAX_PX = 120


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=3, is_mobile=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def header_height(page) -> float:
    return page.get_by_role("banner").bounding_box()["height"]


def sign_in(page, live_server, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


@pytest.mark.parametrize("role", [None, Role.COMMITTEE, Role.SECRETARIAT])
def test_the_header_takes_at_most_120_px_of_a_phone_and_its_menu_opens(
    phone, live_server, site_data, role
):
    if role is not None:
        user = user_with_role(role, username=f"phone-{role}", first_name="花子", last_name="川崎")
        sign_in(phone, live_server, user)
    phone.goto(live_server.url + reverse("home"))

    assert header_height(phone) <= HEADER_MAX_PX
    nav = phone.get_by_role("navigation", name="メインメニュー")
    expect(nav).to_be_hidden()
    phone.get_by_role("banner").locator("summary").click()
    expect(nav.get_by_role("link", name="区", exact=True)).to_be_visible()
    if role is not None:
        expect(phone.get_by_role("button", name="ログアウト")).to_be_visible()


def test_on_a_wide_screen_the_menu_is_open_without_a_click(page, live_server, site_data):
    page.goto(live_server.url + reverse("home"))
    nav = page.get_by_role("navigation", name="メインメニュー")
    expect(nav.get_by_role("link", name="取組事例")).to_be_visible()
    expect(page.get_by_role("banner").get_by_role("searchbox")).to_be_visible()


def test_on_a_phone_the_filters_fold_away_and_after_filtering_the_results_are_in_view(
    phone, live_server, site_data
):
    from initiatives.models import Initiative

    inside = Initiative.objects.published().select_related("ward").first()
    phone.goto(live_server.url + reverse("initiatives:list"))
    main = phone.get_by_role("main")
    ward = main.get_by_role("checkbox", name=inside.ward.name)
    expect(ward).to_be_hidden()
    count = main.locator(".result-count")
    assert count.bounding_box()["y"] < PHONE["height"], "the number of results shows at once"

    main.locator(".filters-fold__toggle").click()
    ward.check()
    with phone.expect_navigation():
        main.get_by_role("button", name="絞り込む").click()

    assert phone.url.endswith("#results")
    box = main.locator(".result-count").bounding_box()
    assert 0 <= box["y"] < PHONE["height"] / 2
    expect(main.locator(".active-filters")).to_contain_text(inside.ward.name)
    expect(main.get_by_role("link", name=inside.title, exact=True)).to_be_in_viewport()


def test_on_a_phone_no_column_of_the_report_is_narrower_than_four_characters(
    phone, live_server, site_data
):
    phone.goto(live_server.url + reverse("initiatives:report"))
    narrowest = phone.evaluate(
        """() => {
            const cells = [...document.querySelectorAll(
                "main th, main td, main p, main li, main figcaption, main dd")];
            let narrowest = Infinity, where = "";
            for (const cell of cells) {
                if (!cell.textContent.trim() || !cell.getClientRects().length) continue;
                const style = getComputedStyle(cell);
                const inner = cell.clientWidth - parseFloat(style.paddingLeft)
                    - parseFloat(style.paddingRight);
                const chars = inner / parseFloat(style.fontSize);
                if (chars < narrowest) { narrowest = chars; where = cell.textContent.slice(0, 20); }
            }
            return [narrowest, where];
        }"""
    )
    assert narrowest[0] >= 4, narrowest


def test_the_reports_lists_are_numbered_once(page, live_server, site_data):
    page.goto(live_server.url + reverse("initiatives:report"))
    styles = page.evaluate(
        """() => [...document.querySelectorAll("ol.visions, ol.pillars, ol.practical-initiatives")]
            .map(list => getComputedStyle(list).listStyleType)"""
    )
    assert styles
    assert set(styles) == {"none"}
