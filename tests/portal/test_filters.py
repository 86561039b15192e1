from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from initiatives.models import InitiativeStatus
from tests.factories import (
    CaseStudyFactory,
    DepartmentFactory,
    FocusAreaFactory,
    InitiativeFactory,
    PillarFactory,
    VisionFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("initiatives:list")
CASES = reverse("initiatives:case-list")


def titles(response):
    return [obj.title for obj in response.context["object_list"]]


def facet(response, name):
    (found,) = [f for f in response.context["facets"] if f.name == name]
    return {option.value: option.count for option in found.options}


@pytest.fixture
def report(wards):
    """Two visions, two cases, four initiatives over three wards and several years."""
    vision_1, vision_2 = VisionFactory(number=1), VisionFactory(number=2)
    case_1 = CaseStudyFactory(
        number=1, focus_area=FocusAreaFactory(vision=vision_1), title="参加と協働"
    )
    case_2 = CaseStudyFactory(
        number=2, focus_area=FocusAreaFactory(vision=vision_2), title="子育て支援"
    )
    pillar = PillarFactory(number=3)
    department = DepartmentFactory(ward=wards["miyamae"], name="こども支援室")
    playground = InitiativeFactory(
        ward=wards["miyamae"],
        case_study=case_2,
        title="冒険あそび場",
        fiscal_year_start=2010,
        fiscal_year_end=None,
        departments=[department],
        pillars=[pillar],
    )
    initiatives = {
        key: InitiativeFactory(
            ward=wards[ward],
            case_study=case,
            title=title,
            fiscal_year_start=start,
            fiscal_year_end=end,
        )
        for key, ward, case, title, start, end in [
            ("council", "takatsu", case_1, "区民会議", 2008, 2009),
            ("hall", "takatsu", case_2, "市民館の講座", 2011, 2012),
            ("drill", "asao", case_1, "防災訓練", 2012, 2012),
        ]
    }
    return {
        "vision_1": vision_1,
        "case_1": case_1,
        "case_2": case_2,
        "pillar": pillar,
        "department": department,
        "playground": playground,
        **initiatives,
        "draft": InitiativeFactory(
            ward=wards["miyamae"],
            case_study=case_1,
            title="下書き",
            status=InitiativeStatus.DRAFT,
            published_at=None,
        ),
    }


def test_without_filters_every_published_initiative_is_listed(client, report):
    assert sorted(titles(client.get(LIST))) == sorted(
        ["冒険あそび場", "区民会議", "市民館の講座", "防災訓練"]
    )


def test_ward_filter_takes_several_wards_by_slug(client, report):
    response = client.get(LIST, {"ward": ["miyamae", "asao"]})
    assert sorted(titles(response)) == ["冒険あそび場", "防災訓練"]


def test_vision_filter_takes_the_vision_number(client, report):
    assert sorted(titles(client.get(LIST, {"vision": 1}))) == ["区民会議", "防災訓練"]


def test_focus_area_filter(client, report):
    response = client.get(LIST, {"focus_area": report["case_2"].focus_area_id})
    assert sorted(titles(response)) == ["冒険あそび場", "市民館の講座"]


def test_pillar_filter_takes_the_pillar_number(client, report):
    assert titles(client.get(LIST, {"pillar": 3})) == ["冒険あそび場"]


def test_department_filter(client, report):
    assert titles(client.get(LIST, {"department": report["department"].pk})) == ["冒険あそび場"]


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2009, ["区民会議"]),
        (2012, ["冒険あそび場", "市民館の講座", "防災訓練"]),
        (2030, ["冒険あそび場"]),
        (2000, []),
    ],
)
def test_fy_means_running_in_that_fiscal_year(client, report, year, expected):
    assert sorted(titles(client.get(LIST, {"fy": year}))) == sorted(expected)


def test_fy_range_lists_initiatives_running_at_some_time_in_it(client, report):
    response = client.get(LIST, {"fy_from": 2009, "fy_to": 2010})
    assert sorted(titles(response)) == ["冒険あそび場", "区民会議"]
    assert sorted(titles(client.get(LIST, {"fy_from": 2013}))) == ["冒険あそび場"]
    assert sorted(titles(client.get(LIST, {"fy_to": 2008}))) == ["区民会議"]


@pytest.mark.parametrize("q", ["冒険遊び場", "ボウケン", "宮前"])
def test_text_filter_uses_the_japanese_search(client, report, q):
    assert titles(client.get(LIST, {"q": q})) == ["冒険あそび場"]


def test_text_filter_with_many_matches_still_filters(client, report, monkeypatch):
    monkeypatch.setattr("portal.filters.MAX_LISTED_MATCHES", 1)
    response = client.get(LIST, {"q": "段落"})
    assert sorted(titles(response)) == sorted(
        ["冒険あそび場", "区民会議", "市民館の講座", "防災訓練"]
    )
    assert facet(response, "ward") == {"miyamae": 1, "takatsu": 2, "asao": 1}


def test_filters_combine(client, report):
    response = client.get(LIST, {"ward": "takatsu", "vision": 2, "fy": 2011})
    assert titles(response) == ["市民館の講座"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("fy", ["区民会議", "冒険あそび場", "市民館の講座", "防災訓練"]),
        ("-fy", ["防災訓練", "市民館の講座", "冒険あそび場", "区民会議"]),
        ("title", sorted(["区民会議", "冒険あそび場", "市民館の講座", "防災訓練"])),
    ],
)
def test_results_sort_by_a_whitelisted_key(client, report, sort, expected):
    assert titles(client.get(LIST, {"sort": sort})) == expected


def test_results_sort_by_ward_in_the_citys_order(client, report):
    wards = [obj.ward.slug for obj in client.get(LIST, {"sort": "ward"}).context["object_list"]]
    assert wards == ["takatsu", "takatsu", "miyamae", "asao"]


def test_ward_facet_counts_what_choosing_each_ward_would_give(client, report):
    counts = facet(client.get(LIST, {"ward": "miyamae", "vision": 2}), "ward")
    # Within vision 2: Miyamae has one initiative, Takatsu one; Asao has none.
    assert counts == {"miyamae": 1, "takatsu": 1}


def test_vision_facet_counts_apply_the_other_filters(client, report):
    assert facet(client.get(LIST, {"ward": "takatsu"}), "vision") == {"1": 1, "2": 1}
    assert facet(client.get(LIST), "vision") == {"1": 2, "2": 2}


def test_pillar_department_and_focus_facets_count(client, report):
    response = client.get(LIST)
    assert facet(response, "pillar") == {"3": 1}
    assert facet(response, "department") == {str(report["department"].pk): 1}
    assert sum(facet(response, "focus_area").values()) == 4


def test_fiscal_year_facet_counts_initiatives_running_each_year(client, report):
    counts = facet(client.get(LIST), "fy")
    assert counts["2008"] == 1
    assert counts["2010"] == 1
    assert counts["2012"] == 3


def test_facet_counts_are_cached_until_the_data_changes(
    client, report, wards, django_assert_num_queries
):
    client.get(LIST, {"ward": "asao"})
    # Warm: the validation of the ward and the page (its ids, its rows); the count is
    # cached too.
    with django_assert_num_queries(3):
        response = client.get(LIST, {"ward": "asao", "page": "1"})
    assert facet(response, "ward")["asao"] == 1
    InitiativeFactory(ward=wards["asao"], case_study=report["case_1"], title="新しい取組")
    response = client.get(LIST, {"ward": "asao"})
    assert facet(response, "ward")["asao"] == 2
    assert response.context["paginator"].count == 2
    assert len(titles(response)) == 2


def form_option(content, name, value):
    """The filter form's line for one option, e.g. a ward's checkbox with its count."""
    start = content.index(f'name="{name}" value="{value}"')
    return content[start : content.index("</li>", start)]


def test_the_cached_filter_form_shows_new_counts_after_a_change(client, report, wards):
    before = client.get(LIST).content.decode()
    InitiativeFactory(ward=wards["asao"], case_study=report["case_1"], title="新しい取組")
    after = client.get(LIST).content.decode()

    assert "(1)" in form_option(before, "ward", "asao")
    assert "(2)" in form_option(after, "ward", "asao")


def test_the_cached_filter_form_keeps_the_chosen_sort_and_language(client, report):
    client.get(LIST)

    by_title = client.get(LIST, {"sort": "title"}).content.decode()
    english = client.get("/en/initiatives/").content.decode()

    assert '<option value="title" selected>' in by_title
    assert "Running in fiscal year" in english
    assert "Running in fiscal year" not in client.get(LIST).content.decode()


def test_facet_counts_are_cached_per_language(client, report):
    client.get(LIST)
    (english,) = [f for f in client.get("/en/initiatives/").context["facets"] if f.name == "fy"]
    assert english.options[0].label.startswith("FY")


def test_facets_do_not_count_drafts(client, report):
    assert facet(client.get(LIST), "ward")["miyamae"] == 1


def test_every_filter_state_is_a_shareable_address(client, report):
    response = client.get(f"{LIST}?ward=miyamae&ward=takatsu&fy=2010")
    assert titles(response) == ["冒険あそび場"]
    content = response.content.decode()
    assert 'value="miyamae" checked' in content
    assert 'value="takatsu" checked' in content
    assert 'value="2010" lang="ja" selected' in content


def test_an_empty_result_says_so_and_offers_to_drop_each_filter(client, report):
    response = client.get(LIST, {"ward": ["asao", "miyamae"], "fy": 2009})
    assert titles(response) == []
    widenings = [w.query_string for w in response.context["widenings"]]
    assert widenings == ["ward=miyamae&fy=2009", "ward=asao&fy=2009", "ward=asao&ward=miyamae"]
    content = response.content.decode()
    assert "この条件に当てはまるものはありません。" in content
    assert 'href="?ward=miyamae&amp;fy=2009"' in content


@pytest.mark.parametrize(
    ("path", "params", "listed"),
    [
        (LIST, {"ward": "nowhere"}, 4),
        (LIST, {"ward": ["miyamae", "nowhere"]}, 4),
        (LIST, {"fy": "abc"}, 4),
        (LIST, {"fy": "99999"}, 4),
        (LIST, {"fy_from": "x", "fy_to": "2010.5"}, 4),
        (LIST, {"vision": "x"}, 4),
        (LIST, {"vision": "9"}, 4),
        (LIST, {"focus_area": "abc"}, 4),
        (LIST, {"pillar": "7"}, 4),
        (LIST, {"department": "-1"}, 4),
        (LIST, {"sort": "password"}, 4),
        (LIST, {"q": "x" * 500}, 4),
        (CASES, {"ward": "nowhere"}, 2),
        (CASES, {"fy": "abc"}, 2),
        (CASES, {"page": "999"}, 2),
    ],
    ids=lambda value: urlencode(value, doseq=True)[:40] if isinstance(value, dict) else None,
)
def test_a_bad_parameter_is_ignored_with_a_notice(client, report, path, params, listed):
    """On the initiatives and on the cases: all of them listed (4 and 2), and a notice."""
    response = client.get(path, params)
    assert response.status_code == 200
    assert len(titles(response)) == listed
    assert response.context["notices"]


def test_a_bad_parameter_does_not_drop_the_good_ones(client, report):
    response = client.get(LIST, {"ward": "asao", "fy": "abc"})
    assert titles(response) == ["防災訓練"]
    assert "「実施年度」" in response.context["notices"][0]


@pytest.mark.parametrize("page", ["999", "abc", "0", "-1"])
def test_a_page_out_of_range_shows_a_page_with_a_notice(client, report, page):
    response = client.get(LIST, {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1
    assert response.context["notices"]


def test_results_are_paginated(client, wards):
    for n in range(25):
        InitiativeFactory(ward=wards["tama"], title=f"取組{n:02}")
    first = client.get(LIST, {"sort": "title"})
    second = client.get(LIST, {"sort": "title", "page": 2})
    assert len(titles(first)) == 20
    assert titles(second) == [f"取組{n:02}" for n in range(20, 25)]
    assert 'href="?sort=title&amp;page=2"' in first.content.decode()


@pytest.mark.parametrize("size", [1, 4])
def test_initiative_list_queries_do_not_grow_with_data(
    client, wards, django_assert_num_queries, size
):
    focus_area = FocusAreaFactory()
    for n in range(size):
        case = CaseStudyFactory(focus_area=focus_area)
        department = DepartmentFactory(ward=wards["tama"])
        pillar = PillarFactory()
        for ward in ("tama", "asao", "miyamae"):
            InitiativeFactory(
                ward=wards[ward],
                case_study=case,
                departments=[department],
                pillars=[pillar],
                fiscal_year_start=2008 + n,
            )
    # Count; the page's ids, then its rows; per facet its options and its counts (5 × 2);
    # the years.
    with django_assert_num_queries(14):
        client.get(LIST)
    # The ward filter also validates its slugs; the text filter searches once.
    with django_assert_num_queries(16):
        client.get(LIST, {"ward": ["tama", "asao"], "q": "取組", "fy": 2009})


# --- /cases/ -------------------------------------------------------------


def test_cases_filter_by_ward_through_published_initiatives(client, report):
    assert titles(client.get(CASES, {"ward": "asao"})) == ["参加と協働"]
    assert titles(client.get(CASES, {"ward": "miyamae"})) == ["子育て支援"]


def test_cases_filter_by_vision_pillar_department_and_year(client, report):
    assert titles(client.get(CASES, {"vision": 2})) == ["子育て支援"]
    assert titles(client.get(CASES, {"pillar": 3})) == ["子育て支援"]
    department = report["department"].pk
    assert titles(client.get(CASES, {"department": department})) == ["子育て支援"]
    assert titles(client.get(CASES, {"fy": 2008})) == ["参加と協働"]
    assert titles(client.get(CASES, {"fy_from": 2011, "fy_to": 2011})) == ["子育て支援"]


def test_cases_text_filter_finds_a_case_by_its_initiatives(client, report):
    assert titles(client.get(CASES, {"q": "冒険遊び場"})) == ["子育て支援"]
    assert titles(client.get(CASES, {"q": "参加と協働"})) == ["参加と協働"]


def test_case_facets_count_cases_not_initiatives(client, report):
    response = client.get(CASES)
    assert facet(response, "ward") == {"miyamae": 1, "takatsu": 2, "asao": 1}
    assert facet(response, "fy")["2012"] == 2


def test_cases_empty_result_offers_to_widen(client, report):
    response = client.get(CASES, {"ward": "asao", "vision": 2})
    assert titles(response) == []
    assert [w.query_string for w in response.context["widenings"]] == ["vision=2", "ward=asao"]


@pytest.mark.parametrize("size", [1, 4])
def test_case_list_queries_do_not_grow_with_data(client, wards, django_assert_num_queries, size):
    for _ in range(size):
        case = CaseStudyFactory()
        InitiativeFactory(ward=wards["tama"], case_study=case, pillars=[PillarFactory()])
    # Count, page, the page's initiatives; per facet its options and counts; the years.
    with django_assert_num_queries(14):
        client.get(CASES)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the text's matches are cached on PostgreSQL"
)
def test_paging_through_a_text_filter_does_not_search_again(client, report):
    client.get(LIST, {"q": "冒険"})

    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, {"q": "冒険", "page": "1"})

    assert titles(response) == ["冒険あそび場"]
    assert not [q for q in queries.captured_queries if "search_searchdocument" in q["sql"]]
