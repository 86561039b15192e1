"""The admin's pages that ward staff and the secretariat use every day pass axe-core with
no serious or critical violation (staff with disabilities use the admin too), and fit a
1,280 px screen: the initiative list, the change form, the history, a restore, the import.
"""

import pytest
from django.conf import settings

from initiatives.models import Initiative
from tests.browser.checks import axe_violations, describe_violations
from tests.browser.pages import signed_in_client
from tests.factories import InitiativePointFactory, user_with_role
from wards.roles import Role

pytestmark = pytest.mark.browser

SERIOUS = {"serious", "critical"}


@pytest.fixture
def admin_data(site_data):
    """An initiative of the report's with points, edited once so that it has a history,
    and a ward-staff account of its ward and a secretariat account."""
    initiative = Initiative.objects.filter(points__isnull=False).distinct().first()
    if initiative is None:
        initiative = Initiative.objects.first()
        InitiativePointFactory(initiative=initiative, text="ねらい")
    initiative.title = f"{initiative.title}（改）"
    initiative.save()
    return {
        "initiative": initiative,
        "ward staff": user_with_role(
            Role.WARD_STAFF,
            initiative.ward.slug,
            username="kushokuin",
            last_name="区",
            first_name="職員",
        ),
        "secretariat": user_with_role(Role.SECRETARIAT, username="jimukyoku-admin"),
    }


def admin_pages(initiative):
    base = "/admin/initiatives/initiative/"
    first = initiative.history.order_by("history_date").first()
    return {
        "initiative list": base,
        "change form": f"{base}{initiative.pk}/change/",
        "add form": f"{base}add/",
        "history": f"{base}{initiative.pk}/history/",
        "restore": f"{base}{initiative.pk}/history/{first.history_id}/",
        "import": f"{base}import/",
        "preview": f"{base}{initiative.pk}/preview/",
        "index": "/admin/",
    }


def sign_in(context, live_server, user):
    session = signed_in_client(user).cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


def serious(violations):
    return [v for v in violations if v["impact"] in SERIOUS]


@pytest.mark.parametrize("account", ["ward staff", "secretariat"])
def test_the_admins_pages_have_no_serious_accessibility_violations(
    browser, live_server, admin_data, account
):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    sign_in(context, live_server, admin_data[account])
    page = context.new_page()
    found, widths = {}, {}
    for name, path in admin_pages(admin_data["initiative"]).items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{name}: {path} answered {response.status}"
        found[f"{name}: {path}"] = serious(axe_violations(page))
        widths[name] = page.evaluate("document.documentElement.scrollWidth")
    context.close()

    assert not any(found.values()), describe_violations(found)
    # Nothing wider than the screen: no sideways scrolling at 1,280 px.
    assert {name: w for name, w in widths.items() if w > 1280} == {}


def test_the_initiative_lists_titles_are_readable_at_1280_px(browser, live_server, admin_data):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    sign_in(context, live_server, admin_data["secretariat"])
    page = context.new_page()
    page.goto(live_server.url + "/admin/initiatives/initiative/")

    title_width = page.locator("#result_list td.field-title, #result_list th.field-title").first
    updated = page.locator("#result_list td.field-updated_at").first
    box = title_width.bounding_box()
    updated_box = updated.bounding_box()
    context.close()

    # A title column at least 16 characters (of 14 px) wide, and the last column on screen.
    assert box["width"] >= 200
    assert updated_box["x"] + updated_box["width"] <= 1280
