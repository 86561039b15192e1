"""No parameter makes a 500: every list, search and filter page, public and admin, is walked
with values that broke pages on PostgreSQL (NUL bytes, numbers out of any range, values far
longer than any field). Run it on PostgreSQL too: SQLite accepts NUL where PostgreSQL refuses.
"""

import re
from html import unescape

import pytest
from django.contrib import admin
from django.urls import reverse

from tests import factories
from tests.factories import user_with_role
from tests.portal.helpers import page_urls
from wards.roles import Role

pytestmark = pytest.mark.django_db

HOSTILE_VALUES = [
    "\x00",
    "a\x00b",
    "宮前\x00",
    "99999999999",
    "99999999999999999999999999",
    "-1",
    "x" * 3000,
]
# The admin's lookups are many; these are the values that ever broke one.
ADMIN_HOSTILE_VALUES = ["\x00", "99999999999", "99999999999999999999999999"]

PUBLIC_PARAMETERS = [
    "q",
    "ward",
    "vision",
    "focus_area",
    "pillar",
    "department",
    "fy",
    "fy_from",
    "fy_to",
    "sort",
    "page",
    "status",
]

# The admin's own parameters besides each list filter's, and the date hierarchy's.
ADMIN_PARAMETERS = ["q", "p", "o", "e", "_to_field", "all"]
DATE_HIERARCHY_SUFFIXES = ["__year", "__month", "__day"]


@pytest.fixture
def portal(make_portal):
    built = make_portal(size=2)
    factories.CommentFactory(case_study=built.cases[0], state="published")
    return built


# The kinds of page_urls that read the filters, search and page parameters.
LIST_KINDS = ("ward", "vision", "cases", "initiatives", "progress")


def list_pages(portal):
    """The pages that read the filters, search and page parameters."""
    urls = page_urls(portal)
    return [
        *(urls[kind] for kind in LIST_KINDS),
        reverse("search:results"),
        "/en/search/",
        "/en/initiatives/",
        reverse("proposals:list"),
    ]


def other_pages(portal):
    return [
        *(url for kind, url in page_urls(portal).items() if kind not in LIST_KINDS),
        reverse("initiatives:report"),
        reverse("proposals:new"),
        "/proposals/confirm/%00/",
    ]


def assert_no_server_error(client, url, params):
    response = client.get(url, params)
    assert response.status_code < 500, (url, params, response.status_code)
    return response


def test_hostile_values_in_every_public_parameter_never_give_a_server_error(client, portal):
    for url in list_pages(portal):
        for name in PUBLIC_PARAMETERS:
            for value in HOSTILE_VALUES:
                assert_no_server_error(client, url, {name: value})
        # A NUL in a parameter's name.
        assert_no_server_error(client, url, {"q\x00": "a", "ward\x00x": "\x00"})
    for url in other_pages(portal):
        for value in HOSTILE_VALUES:
            assert_no_server_error(client, url, dict.fromkeys(PUBLIC_PARAMETERS, value))


def test_a_nul_byte_in_the_search_is_dropped_and_the_search_still_runs(client, portal):
    response = client.get(reverse("search:results"), {"q": "a\x00b"})
    assert response.status_code == 200
    assert "\x00" not in response.text


def test_a_nul_byte_in_a_posted_form_is_refused_with_a_message(client, portal):
    member = user_with_role(Role.COMMITTEE, username="nul-member")
    client.force_login(member)
    case = portal.cases[0]
    response = client.post(
        reverse("feedback:comment-create", args=[case.number]),
        {"topic": "a", "body": "本文\x00です"},
    )
    assert response.status_code == 400
    assert "NUL文字" in response.text
    assert not member.opinions.exists()


def admin_filter_parameters(response):
    """The parameter names that the changelist's own filter links use."""
    names = set()
    for href in re.findall(r'href="\?([^"]*)"', response.text):
        for pair in unescape(href).split("&"):
            if pair:
                names.add(pair.split("=", 1)[0])
    return names


def test_hostile_values_in_the_admins_filters_never_give_a_server_error(client, portal):
    superuser = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    walked = 0
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        first = client.get(url)
        assert first.status_code == 200, url
        names = set(ADMIN_PARAMETERS) | admin_filter_parameters(first)
        if model_admin.date_hierarchy:
            names |= {model_admin.date_hierarchy + suffix for suffix in DATE_HIERARCHY_SUFFIXES}
        for name in sorted(names):
            for value in ADMIN_HOSTILE_VALUES:
                assert_no_server_error(client, url, {name: value})
                walked += 1
    assert walked > 200


def test_the_admins_year_filter_out_of_range_is_refused_with_a_message(client, portal):
    superuser = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    url = reverse("admin:initiatives_initiative_changelist")
    response = client.get(url, {"published_at__year": "99999999999"}, follow=True)
    assert response.status_code == 200
    assert "published_at__year" in response.text or "年" in response.text


@pytest.mark.parametrize(
    ("model", "field"),
    [("initiative", "ward"), ("initiative", "case_study"), ("department", "ward")],
)
def test_the_admins_autocomplete_takes_any_term(client, portal, model, field):
    superuser = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    app = "wards" if model == "department" else "initiatives"
    for value in HOSTILE_VALUES:
        response = client.get(
            reverse("admin:autocomplete"),
            {"app_label": app, "model_name": model, "field_name": field, "term": value},
        )
        assert response.status_code < 500, (model, field, value)
