"""Titles, descriptions, canonical and alternate addresses, Open Graph, sitemap, robots."""

import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from core.seo import LIST_PARAMETERS, canonical_query
from tests import factories
from tests.portal.helpers import answered, page_urls

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def head(response):
    return response.text.split("</head>")[0]


def meta(response, attribute, name):
    """The content of ``<meta {attribute}="{name}" content="…">`` in the page's head."""
    found = re.findall(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', head(response))
    assert len(found) == 1, f"{name} appears {len(found)} times"
    return found[0]


def link(response, rel, hreflang=None):
    extra = f' hreflang="{hreflang}"' if hreflang else ""
    found = re.findall(rf'<link rel="{rel}"{extra} href="([^"]*)">', head(response))
    assert len(found) == 1, f"{rel} {hreflang} appears {len(found)} times"
    return found[0].replace("&amp;", "&")


def title(response):
    return re.search(r"<title>(.*?)</title>", response.text).group(1)


# --- Titles and descriptions ---------------------------------------------------


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("wards", "Wards — Kawasaki ward-office initiatives"),
        ("visions", "Visions — Kawasaki ward-office initiatives"),
        ("accessibility", "Accessibility policy — Kawasaki ward-office initiatives"),
    ],
)
def test_a_page_title_names_the_page_then_the_site(client, make_portal, page, expected):
    url = page_urls(make_portal())[page]

    assert title(client.get("/en" + url)) == expected


def test_an_object_page_is_titled_by_its_object(client, make_portal):
    portal = make_portal()
    ward, initiative = portal.wards[0], portal.initiatives[0]

    assert title(client.get(ward.get_absolute_url())).startswith(f"{ward.name} — ")
    assert title(client.get(initiative.get_absolute_url())).startswith(f"{initiative} — ")


def test_the_front_page_is_titled_by_the_site_alone(client):
    assert title(client.get("/en/")) == "Kawasaki ward-office initiatives"


def test_every_page_has_its_own_title_and_a_description(client, make_portal):
    urls = page_urls(make_portal())

    titles, descriptions = set(), set()
    for url in urls.values():
        response = client.get(url)
        titles.add(title(response))
        descriptions.add(meta(response, "name", "description"))

    assert len(titles) == len(urls)
    assert "" not in descriptions
    assert len(descriptions) >= len(urls) - 1  # the front page uses the site's description


def test_an_initiative_is_described_by_its_first_paragraph(client):
    initiative = factories.InitiativeFactory(summary="冒険あそび場を広める。\n\n二段落目。")

    response = client.get(initiative.get_absolute_url())

    assert meta(response, "name", "description") == "冒険あそび場を広める。"


def test_an_initiative_without_a_narrative_is_described_by_its_title_and_ward(client):
    initiative = factories.InitiativeFactory(summary="", title="子育てサロン")

    response = client.get("/en" + initiative.get_absolute_url())

    assert meta(response, "name", "description") == (
        f"子育てサロン, an initiative of {initiative.ward.name_en}."
    )


def test_a_description_escapes_the_data(client):
    initiative = factories.InitiativeFactory(summary='"><script>alert(1)</script>')

    text = client.get(initiative.get_absolute_url()).text

    assert "<script>alert" not in text
    assert "&quot;&gt;&lt;script&gt;" in text


# --- Canonical and alternate addresses -------------------------------------------


def test_the_canonical_address_is_absolute_and_drops_the_query_of_a_detail_page(
    client, make_portal
):
    ward = make_portal().wards[0]

    response = client.get(ward.get_absolute_url() + "?utm_source=mail&page=2")

    assert link(response, "canonical") == f"http://testserver{ward.get_absolute_url()}"


def test_a_list_keeps_its_meaningful_filters_in_order_and_drops_the_rest(client, make_portal):
    make_portal()
    url = reverse("initiatives:list")

    response = client.get(f"{url}?utm_source=x&q=公園&ward=tama&vision=2&ward=asao&fbclid=1")

    assert link(response, "canonical") == f"http://testserver{url}?ward=asao&ward=tama&vision=2"


def test_the_first_page_of_a_list_is_the_list_itself(client, make_portal):
    make_portal()
    url = reverse("initiatives:list")

    assert link(client.get(f"{url}?page=1"), "canonical") == f"http://testserver{url}"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ""),
        ("fy=2010&fy=2010", "fy=2010"),
        ("ward=&vision=%20", ""),
        ("page=3&sort=title", "page=3"),
        ("vision=1&ward=saiwai&utm_campaign=x", "ward=saiwai&vision=1"),
    ],
)
def test_the_canonical_query_keeps_only_the_list_parameters(rf, query, expected):
    assert canonical_query(rf.get(f"/?{query}").GET, LIST_PARAMETERS) == expected


def test_every_page_names_its_japanese_english_and_default_addresses(client, make_portal):
    ward = make_portal().wards[0]
    path = ward.get_absolute_url()

    for response in (client.get(path), client.get(f"/en{path}")):
        assert link(response, "alternate", "ja") == f"http://testserver{path}"
        assert link(response, "alternate", "en") == f"http://testserver/en{path}"
        assert link(response, "alternate", "x-default") == f"http://testserver{path}"


def test_the_english_page_is_its_own_canonical(client, make_portal):
    make_portal()

    response = client.get("/en/wards/")

    assert link(response, "canonical") == "http://testserver/en/wards/"


def test_alternates_keep_the_canonical_filters(client, make_portal):
    make_portal()

    response = client.get("/en/initiatives/?ward=tama&utm_source=x")

    assert link(response, "alternate", "ja") == "http://testserver/initiatives/?ward=tama"
    assert link(response, "alternate", "en") == "http://testserver/en/initiatives/?ward=tama"


def test_the_not_found_page_asks_not_to_be_indexed_and_names_no_canonical(client):
    response = client.get("/wards/nowhere/")

    assert response.status_code == 404
    assert meta(response, "name", "robots") == "noindex"
    assert 'rel="canonical"' not in response.text


# --- Open Graph ---------------------------------------------------------------


def test_open_graph_describes_the_page_in_japanese(client, make_portal):
    initiative = make_portal().initiatives[0]

    response = client.get(initiative.get_absolute_url())

    assert meta(response, "property", "og:title") == str(initiative)
    assert meta(response, "property", "og:description") == meta(response, "name", "description")
    assert meta(response, "property", "og:type") == "article"
    assert meta(response, "property", "og:url") == link(response, "canonical")
    assert meta(response, "property", "og:locale") == "ja_JP"
    assert meta(response, "property", "og:locale:alternate") == "en_US"
    assert meta(response, "property", "og:site_name")


def test_open_graph_of_an_english_list_page(client, make_portal):
    make_portal()

    response = client.get("/en/wards/")

    assert meta(response, "property", "og:title") == "Wards"
    assert meta(response, "property", "og:type") == "website"
    assert meta(response, "property", "og:url") == "http://testserver/en/wards/"
    assert meta(response, "property", "og:locale") == "en_US"
    assert meta(response, "property", "og:locale:alternate") == "ja_JP"
    assert meta(response, "property", "og:site_name") == "Kawasaki ward-office initiatives"


# --- Sitemap and robots.txt -------------------------------------------------------


def sitemap_locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    return {
        url.findtext(f"{SITEMAP}loc"): {
            alternate.get("hreflang"): alternate.get("href")
            for alternate in url.findall(f"{XHTML}link")
        }
        for url in root.findall(f"{SITEMAP}url")
    }


def test_the_sitemap_lists_every_public_page_in_both_languages(client, make_portal):
    portal = make_portal()
    factories.ReportFactory()
    proposal = factories.ProposalFactory(ward=portal.wards[0])
    factories.ProposalFactory(ward=portal.wards[0], confirmed=True)

    locations = sitemap_locations(client)

    paths = [
        *page_urls(portal).values(),
        reverse("initiatives:report"),
        reverse("proposals:list"),
        reverse("proposals:new"),
        reverse("open_data:page"),
        proposal.get_absolute_url(),
        *(ward.get_absolute_url() for ward in portal.wards),
        *(vision.get_absolute_url() for vision in portal.visions),
        *(case.get_absolute_url() for case in portal.cases),
        *(initiative.get_absolute_url() for initiative in portal.initiatives),
    ]
    for path in paths:
        assert f"http://testserver{path}" in locations
        assert f"http://testserver/en{path}" in locations
    assert len(locations) == 2 * len(set(paths))


def test_each_sitemap_entry_names_its_alternates(client, make_portal):
    ward = make_portal().wards[0]
    path = ward.get_absolute_url()

    alternates = sitemap_locations(client)[f"http://testserver/en{path}"]

    assert alternates == {
        "ja": f"http://testserver{path}",
        "en": f"http://testserver/en{path}",
        "x-default": f"http://testserver{path}",
    }


def test_the_sitemap_leaves_out_drafts_and_future_initiatives(client, make_portal):
    portal = make_portal()
    hidden = factories.InitiativeFactory(draft=True), factories.InitiativeFactory(scheduled=True)

    locations = sitemap_locations(client)

    assert f"http://testserver{portal.initiatives[0].get_absolute_url()}" in locations
    for initiative in hidden:
        assert f"http://testserver{initiative.get_absolute_url()}" not in locations


def test_the_sitemap_leaves_out_pages_whose_data_is_missing(client):
    locations = sitemap_locations(client)

    assert "http://testserver/wards/" in locations
    assert f"http://testserver{reverse('initiatives:reform-plan')}" not in locations
    assert f"http://testserver{reverse('initiatives:report')}" not in locations


@pytest.mark.parametrize("size", [1, 5])
def test_the_sitemap_costs_the_same_number_of_queries_whatever_the_data(
    client, make_portal, django_assert_num_queries, size
):
    make_portal(size=size)
    factories.ProposalFactory.create_batch(size)
    with django_assert_num_queries(7):
        assert client.get("/sitemap.xml").status_code == 200


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_staff_pages(client):
    response = answered(client, "/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /" not in lines
