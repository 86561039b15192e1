"""What a visitor finds on the lists before choosing anything: the newest initiatives first,
named in the sort box; distinct labels for the year and the period; the results' anchor."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import InitiativeFactory, WardFactory

pytestmark = pytest.mark.django_db


def test_the_newest_initiatives_come_first_by_default(client):
    ward = WardFactory()
    now = timezone.now()
    old = InitiativeFactory(ward=ward, title="古い取組", published_at=now - timedelta(days=30))
    new = InitiativeFactory(ward=ward, title="新しい取組", published_at=now - timedelta(days=1))
    response = client.get(reverse("initiatives:list"))
    listed = list(response.context["initiative_list"])
    assert listed.index(new) < listed.index(old)


def test_the_sort_box_names_the_default_first(client):
    InitiativeFactory()
    text = client.get(reverse("initiatives:list")).text
    sort = text[text.index('name="sort"') :]
    sort = sort[: sort.index("</select>")]
    assert sort.index("新着順") < sort.index("報告書の順")
    assert '<option value="">' not in sort


def test_the_report_order_is_one_choice_away(client):
    ward = WardFactory()
    InitiativeFactory(ward=ward)
    response = client.get(reverse("initiatives:list"), {"sort": "report"})
    assert response.status_code == 200
    assert not response.context["notices"]


def test_the_year_and_the_period_have_distinct_labels(client):
    InitiativeFactory()
    text = client.get(reverse("initiatives:list")).text
    assert "<legend>実施年度</legend>" in text
    assert "<legend>実施期間</legend>" in text
    assert "終了年度（まで）" not in text


def test_the_filter_form_sends_the_visitor_to_the_results(client):
    InitiativeFactory()
    for url in (reverse("initiatives:list"), reverse("initiatives:case-list")):
        text = client.get(url).text
        assert 'action="#results"' in text
        assert 'id="results"' in text


def test_the_active_filters_are_named_above_the_results(client):
    ward = WardFactory(name="宮前区", slug="miyamae")
    InitiativeFactory(ward=ward)
    text = client.get(reverse("initiatives:list"), {"ward": "miyamae"}).text
    active = text[text.index('class="active-filters"') :]
    assert "宮前区" in active[:400]
