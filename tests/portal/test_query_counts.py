import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize(
    ("page", "queries"),
    [
        ("home", 3),
        ("vision-list", 5),
        ("reform-plan", 8),
        # The lists: count, page (cases: rows and prefetch; initiatives: ids, then rows),
        # and per facet its options and counts. The wards of the page's cases, counted,
        # replace the cases' initiatives.
        ("case-list", 14),
        # The case, its organisational changes and opinions; its main initiatives, the page
        # of the others and their count; its wards, counted; members' comments.
        ("case-detail", 8),
        ("list", 14),
        # The initiative with its points and photos, its departments, the proposals that
        # led to it. Its commitments (none here:
        # their reports are not read; tests/portal/test_progress_pages.py pins them: 7).
        ("detail", 6),
    ],
)
def test_every_page_costs_the_same_number_of_queries_whatever_the_data(
    client, make_portal, django_assert_num_queries, size, page, queries
):
    portal = make_portal(size=size)
    urls = {
        "home": reverse("home"),
        "vision-list": reverse("initiatives:vision-list"),
        "reform-plan": reverse("initiatives:reform-plan"),
        "case-list": reverse("initiatives:case-list"),
        "case-detail": portal.cases[0].get_absolute_url(),
        "list": reverse("initiatives:list"),
        "detail": portal.initiatives[0].get_absolute_url(),
    }
    with django_assert_num_queries(queries):
        assert client.get(urls[page]).status_code == 200


@pytest.mark.parametrize(
    ("size", "queries"),
    # The vision, focus areas, measures; the cases' counts, the cases shown and their
    # organisational changes; the page's ids, its rows and its count; the timeline's
    # counts by year and, while few initiatives began in a year (up to size 3 here), those
    # initiatives; its commitments counted by state.
    [(1, 12), (2, 12), (4, 11), (6, 11)],
)
def test_a_vision_page_costs_twelve_queries_or_eleven_when_no_year_lists_its_initiatives(
    client, make_portal, django_assert_num_queries, size, queries
):
    vision = make_portal(size=size).visions[0]
    with django_assert_num_queries(queries):
        assert client.get(vision.get_absolute_url()).status_code == 200
