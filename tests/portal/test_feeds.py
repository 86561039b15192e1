"""Atom feeds of newly published initiatives: city-wide, per ward, per vision; the pages'
heads link them."""

import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.urls import reverse

from initiatives.models import CaseStudy, Initiative, Vision
from tests import factories
from wards.models import Ward

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def feeds_data(report_data):
    case = CaseStudy.objects.first()
    factories.InitiativeFactory(
        ward=factories.ward("miyamae"), case_study=case, draft=True, title="下書きの取組"
    )
    factories.InitiativeFactory(
        ward=factories.ward("miyamae"), case_study=case, scheduled=True, title="予定の取組"
    )


def atom(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return response, root


def test_the_city_feed_is_atom_with_published_and_updated_times_and_page_links(client, feeds_data):
    response, root = atom(client, reverse("feeds:initiatives"))
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == min(50, Initiative.objects.published().count())
    for entry in entries:
        assert entry.find(f"{ATOM}published").text
        assert entry.find(f"{ATOM}updated").text
        link = entry.find(f"{ATOM}link").get("href")
        assert link.startswith("http://testserver/initiatives/")
        assert client.get(link.removeprefix("http://testserver")).status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo
    assert parsed.version == "atom10"
    titles = [entry.title for entry in parsed.entries]
    assert "下書きの取組（宮前区）" not in titles
    assert "予定の取組（宮前区）" not in titles


def test_the_city_feed_is_newest_first(client, feeds_data):
    newest = factories.InitiativeFactory(
        ward=factories.ward("tama"), case_study=None, title="いちばん新しい取組"
    )
    parsed = feedparser.parse(client.get(reverse("feeds:initiatives")).content)
    assert parsed.entries[0].link == f"http://testserver{newest.get_absolute_url()}"


def test_a_ward_feed_holds_only_that_wards_initiatives(client, feeds_data):
    ward = Ward.objects.get(slug="miyamae")
    _response, root = atom(client, reverse("feeds:ward", args=["miyamae"]))
    links = {entry.find(f"{ATOM}link").get("href") for entry in root.findall(f"{ATOM}entry")}
    expected = {
        f"http://testserver{initiative.get_absolute_url()}"
        for initiative in Initiative.objects.published().for_ward(ward)
    }
    assert links == expected
    assert client.get(reverse("feeds:ward", args=["atlantis"])).status_code == 404


def test_a_vision_feed_holds_only_that_visions_initiatives(client, feeds_data):
    vision = Vision.objects.get(number=1)
    _response, root = atom(client, reverse("feeds:vision", args=[1]))
    links = {entry.find(f"{ATOM}link").get("href") for entry in root.findall(f"{ATOM}entry")}
    expected = {
        f"http://testserver{initiative.get_absolute_url()}"
        for initiative in Initiative.objects.published().for_vision(vision)
    }
    assert links == expected
    assert client.get(reverse("feeds:vision", args=[99])).status_code == 404


def test_every_page_links_the_city_feed_and_ward_and_vision_pages_their_own(client, feeds_data):
    city = 'type="application/atom+xml" href="/feeds/initiatives/"'
    assert city in client.get(reverse("home")).text
    assert city in client.get("/en/").text
    ward_page = client.get(reverse("wards:detail", args=["miyamae"])).text
    assert 'type="application/atom+xml" href="/feeds/wards/miyamae/"' in ward_page
    vision_page = client.get(reverse("initiatives:vision-detail", args=[1])).text
    assert 'type="application/atom+xml" href="/feeds/visions/1/"' in vision_page


@pytest.mark.parametrize("size", [1, 3])
def test_a_feed_costs_the_same_queries_whatever_the_data(
    client, make_portal, django_assert_num_queries, size
):
    portal = make_portal(size=size)
    with django_assert_num_queries(1):
        client.get(reverse("feeds:initiatives"))
    with django_assert_num_queries(2):
        client.get(reverse("feeds:ward", args=[portal.wards[0].slug]))


def test_the_progress_feed_holds_the_published_progress_reports(client, feeds_data):
    initiative = Initiative.objects.published().first()
    commitment = factories.CommitmentFactory(initiative=initiative)
    shown = factories.ProgressReportFactory(commitment=commitment, published=True)
    factories.ProgressReportFactory(commitment=commitment, text="下書きの報告")
    response, root = atom(client, reverse("feeds:progress"))
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    assert entry.find(f"{ATOM}published").text
    assert entry.find(f"{ATOM}updated").text
    link = entry.find(f"{ATOM}link").get("href")
    assert link == f"http://testserver{shown.get_absolute_url()}"
    assert client.get(link.removeprefix("http://testserver")).status_code == 200
    assert "下書きの報告" not in response.text
    page = client.get(reverse("progress:dashboard")).text
    assert 'type="application/atom+xml" href="/feeds/progress/"' in page
