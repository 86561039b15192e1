from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from feedback.models import OpinionSource
from initiatives.models import Initiative
from tests import factories

pytestmark = pytest.mark.django_db


def names(response):
    return [template.name for template in response.templates]


def japanese(text):
    """The text as the Japanese interface shows it (once the catalogs come)."""
    with translation.override("ja"):
        return str(translation.gettext(text))


# --- Front page -------------------------------------------------------------


def test_the_front_page_shows_visions_wards_newest_initiatives_and_search(client, make_portal):
    portal = make_portal(size=2)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    for vision in portal.visions:
        assert vision.get_absolute_url() in response.text
    for ward in portal.wards:
        assert ward.get_absolute_url() in response.text
    assert portal.initiatives[-1].get_absolute_url() in response.text
    assert f'action="{reverse("initiatives:list")}"' in response.text
    assert 'name="q"' in response.text


def test_the_front_page_lists_the_newest_published_initiatives_first(client, make_portal):
    make_portal(size=5)

    newest = list(client.get(reverse("home")).context["newest_initiatives"])

    assert len(newest) == 6
    assert newest == list(Initiative.objects.published().order_by("-published_at", "-pk")[:6])


# --- Visions ----------------------------------------------------------------


def test_the_vision_list_links_each_vision_its_focus_areas_and_cases(client, make_portal):
    portal = make_portal()

    response = client.get(reverse("initiatives:vision-list"))

    assert response.status_code == 200
    for vision in portal.visions:
        assert vision.get_absolute_url() in response.text
    for area in portal.focus_areas:
        assert area.get_absolute_url() in response.text
    for case in portal.cases:
        assert case.get_absolute_url() in response.text


def test_a_vision_page_shows_focus_areas_measures_with_fiscal_years_and_cases(client, make_portal):
    portal = make_portal()
    vision = portal.visions[0]
    case = portal.cases[0]

    response = client.get(vision.get_absolute_url())

    assert response.status_code == 200
    assert f"<h1>{vision.title}</h1>" in response.text
    for area in vision.focus_areas.all():
        assert f'id="focus-area-{area.pk}"' in response.text
        for measure in area.measures.all():
            assert measure.title in response.text
    assert "平成22年度（2010年度）" in response.text
    assert "平成20年度（2008年度）から" in response.text
    assert portal.footnote.text in response.text
    assert case.get_absolute_url() in response.text
    for initiative in case.initiatives.published():
        assert initiative.get_absolute_url() in response.text
        assert initiative.ward.get_absolute_url() in response.text
    assert portal.cases[1].get_absolute_url() not in response.text


def test_a_vision_page_hides_draft_initiatives(client, make_portal):
    portal = make_portal()
    draft = Initiative.objects.filter(status="draft").first()

    response = client.get(portal.visions[0].get_absolute_url())

    assert draft.get_absolute_url() not in response.text


def test_a_vision_page_shows_its_initiatives_twenty_a_page_newest_first(client):
    case = factories.CaseStudyFactory()
    now = timezone.now()
    initiatives = [
        factories.InitiativeFactory(case_study=case, published_at=now - timedelta(hours=n))
        for n in range(25)
    ]
    factories.InitiativeFactory(title="他の区役所像の取組")
    url = case.vision.get_absolute_url()

    first = client.get(url)
    second = client.get(url, {"page": 2})

    assert list(first.context["page_obj"]) == initiatives[:20]
    assert list(second.context["page_obj"]) == initiatives[20:]
    assert "他の区役所像の取組" not in first.text + second.text
    query = f"?vision={case.vision.number}"
    assert f'href="{reverse("initiatives:list")}{query}"' in first.text


def test_a_vision_page_counts_the_initiatives_of_its_first_ten_cases(client):
    vision = factories.VisionFactory()
    area = factories.FocusAreaFactory(vision=vision)
    cases = factories.CaseStudyFactory.create_batch(11, focus_area=area)
    for case in cases:
        factories.InitiativeFactory.create_batch(2, case_study=case)
    factories.InitiativeFactory(case_study=cases[0], draft=True)

    response = client.get(vision.get_absolute_url())

    shown = response.context["cases"]
    assert [(case, case.initiative_count) for case in shown.cases] == [
        (case, 2) for case in cases[:10]
    ]
    assert shown.total == 11
    assert f'href="{reverse("initiatives:case-list")}?vision={vision.number}"' in response.text


@pytest.mark.parametrize("path", ["/visions/9/", "/visions/0/", "/visions/one/"])
def test_an_unknown_vision_is_not_found(client, make_portal, path):
    make_portal()

    response = client.get(path)

    assert response.status_code == 404
    assert "404.html" in names(response)


# --- Reform plan ------------------------------------------------------------


def test_the_reform_plan_shows_aims_pillars_practical_initiatives_and_opinions(client, make_portal):
    portal = make_portal(size=2)
    plan = portal.plan

    response = client.get(reverse("initiatives:reform-plan"))

    assert response.status_code == 200
    assert plan.title in response.text
    for aim in plan.aims.all():
        assert aim.title in response.text
    for pillar in plan.pillars.all():
        assert pillar.title in response.text
        for item in pillar.items.all():
            assert item.text in response.text
    for practical in plan.practical_initiatives.all():
        assert practical.title in response.text
    for opinion in plan.section.opinions.all():
        assert opinion.body in response.text


def test_the_reform_plan_nests_sub_aims_under_their_aim(client, make_portal):
    plan = make_portal(size=2).plan

    aims = client.get(reverse("initiatives:reform-plan")).context["reformplan"].top_level_aims

    assert [aim.number for aim in aims] == [1, 2]
    assert [sub.number for sub in aims[0].sub_aims.all()] == [1, 2]
    assert plan.aims.count() == 4


def test_the_reform_plan_shows_its_summary_in_the_reports_order(client, make_portal):
    make_portal()

    text = client.get(reverse("initiatives:reform-plan")).text

    direction = text.index('id="part-direction-heading"')
    contents = text.index('id="part-contents-heading"')
    future = text.index('id="part-future-heading"')
    assert direction < contents < future


def test_the_reform_plan_is_not_found_before_any_plan_exists(client):
    assert client.get(reverse("initiatives:reform-plan")).status_code == 404


# --- Case studies -----------------------------------------------------------


def test_the_case_list_links_cases_visions_and_the_wards_of_their_initiatives(client, make_portal):
    portal = make_portal(size=4)

    response = client.get(reverse("initiatives:case-list"))

    assert response.status_code == 200
    for case in portal.cases:
        assert case.get_absolute_url() in response.text
        assert case.vision.get_absolute_url() in response.text
    for ward in portal.wards:
        assert ward.get_absolute_url() in response.text
    listed = {
        case.pk: [(item.ward, item.count) for item in case.wards]
        for case in response.context["casestudy_list"]
    }
    assert listed == {case.pk: [(ward, 2) for ward in portal.wards] for case in portal.cases}


def test_the_case_list_counts_only_published_initiatives(client, make_portal):
    portal = make_portal(size=2)
    factories.InitiativeFactory.create_batch(
        2, ward=portal.wards[0], case_study=portal.cases[1], draft=True
    )

    response = client.get(reverse("initiatives:case-list"))

    case = next(c for c in response.context["casestudy_list"] if c == portal.cases[1])
    assert [(item.ward, item.count) for item in case.wards] == [(ward, 1) for ward in portal.wards]
    with translation.override("ja"):
        assert "（1件）" in response.text


def test_a_case_page_links_its_vision_focus_area_wards_and_initiatives(client, make_portal):
    portal = make_portal(size=2)
    case = portal.cases[0]

    response = client.get(case.get_absolute_url())

    assert response.status_code == 200
    assert case.vision.get_absolute_url() in response.text
    assert case.focus_area.get_absolute_url() in response.text
    for initiative in case.initiatives.published():
        assert initiative.get_absolute_url() in response.text
        assert initiative.ward.get_absolute_url() in response.text
    assert [(item.ward, item.count) for item in response.context["wards"]] == [
        (ward, 1) for ward in portal.wards
    ]


def test_a_case_page_separates_the_main_initiative_from_the_others(client, make_portal):
    portal = make_portal(size=2)
    case = portal.cases[0]

    context = client.get(case.get_absolute_url()).context

    assert [i.pk for i in context["main_initiatives"]] == [portal.initiatives[0].pk]
    assert portal.initiatives[0].pk not in [i.pk for i in context["page_obj"]]
    assert len(context["page_obj"]) == 2


def case_with_others(count):
    case = factories.CaseStudyFactory()
    main = factories.InitiativeFactory(case_study=case, is_main=True, title="主な取組")
    others = [
        factories.InitiativeFactory(case_study=case, position=n, title=f"その他の取組{n:02}")
        for n in range(count)
    ]
    return case, main, others


def test_a_case_page_shows_its_other_initiatives_twenty_a_page_in_the_cases_order(client):
    case, main, others = case_with_others(45)

    first = client.get(case.get_absolute_url())
    third = client.get(case.get_absolute_url(), {"page": 3})

    assert list(first.context["page_obj"]) == others[:20]
    assert list(third.context["page_obj"]) == others[40:]
    for response in (first, third):
        assert list(response.context["main_initiatives"]) == [main]
        assert "<p>第一段落。</p>" in response.text.split('id="others-heading"')[0]
    assert 'href="?page=2"' in first.text
    assert others[20].title not in first.text


def test_a_case_page_out_of_range_shows_the_nearest_page_with_a_notice(client):
    case, _main, others = case_with_others(25)

    response = client.get(case.get_absolute_url(), {"page": "7"})

    assert list(response.context["page_obj"]) == others[20:]
    with translation.override("ja"):
        notice = translation.gettext("There is no page “%(requested)s”; showing page %(number)s.")
    assert notice % {"requested": "7", "number": 2} in response.text


def test_a_case_page_shows_organisational_changes_with_their_fiscal_years(client, make_portal):
    case = make_portal().cases[0]
    change = case.organisational_changes.first()

    response = client.get(case.get_absolute_url())

    fiscal_year = '<span class="fiscal-year">（平成22年度（2010年度））</span>'
    assert f'<span lang="ja">{change.text}</span> {fiscal_year}' in response.text


def test_a_case_page_shows_the_reports_opinions_apart_from_members_comments(client, make_portal):
    case = make_portal(size=2).cases[0]
    factories.OpinionFactory(case_study=case, member=True, body="委員の投稿")
    factories.OpinionFactory(case_study=case, state="pending", body="承認待ちの意見")

    response = client.get(case.get_absolute_url())

    opinions = case.opinions.from_report().published()
    assert [o.pk for o in response.context["opinions"]] == [o.pk for o in opinions]
    for opinion in opinions:
        assert opinion.body in response.text
        if opinion.topic:
            assert f'<h3 class="opinion__topic" lang="ja">{opinion.topic}</h3>' in response.text
    report_part, members_part = response.text.split('class="member-comments"')
    assert "委員の投稿" not in report_part
    assert "委員の投稿" in members_part
    assert "承認待ちの意見" not in response.text
    with translation.override("ja"):
        assert str(OpinionSource.REPORT.label).capitalize() in response.text


def test_a_case_page_hides_draft_and_future_initiatives(client, make_portal):
    portal = make_portal()
    case = portal.cases[0]
    hidden = case.initiatives.exclude(pk__in=[i.pk for i in portal.initiatives])

    response = client.get(case.get_absolute_url())

    assert hidden.exists()
    for initiative in hidden:
        assert initiative.get_absolute_url() not in response.text


def test_a_case_page_escapes_opinion_text(client, make_portal):
    case = make_portal().cases[0]
    factories.OpinionFactory(case_study=case, body="<script>alert(1)</script>")

    response = client.get(case.get_absolute_url())

    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text


@pytest.mark.parametrize("path", ["/cases/99/", "/cases/abc/"])
def test_an_unknown_case_is_not_found(client, make_portal, path):
    make_portal()

    response = client.get(path)

    assert response.status_code == 404
    assert "404.html" in names(response)


# --- Initiatives ------------------------------------------------------------


def test_the_initiative_list_shows_only_published_initiatives(client, make_portal):
    portal = make_portal(size=2)

    response = client.get(reverse("initiatives:list"))

    assert response.status_code == 200
    assert sorted(i.pk for i in response.context["initiative_list"]) == sorted(
        i.pk for i in portal.initiatives
    )
    for initiative in portal.initiatives:
        assert initiative.get_absolute_url() in response.text
        assert initiative.ward.get_absolute_url() in response.text


def test_the_initiative_list_follows_the_ward_order_then_the_case_order(client, make_portal):
    portal = make_portal(size=2)
    loose = factories.InitiativeFactory(ward=portal.wards[0], case_study=None)

    listed = list(client.get(reverse("initiatives:list")).context["initiative_list"])

    assert [i.ward for i in listed] == sorted((i.ward for i in listed), key=lambda w: w.position)
    first_ward = [i for i in listed if i.ward == portal.wards[0]]
    assert first_ward[0].is_main
    assert first_ward[-1] == loose


def test_the_initiative_list_is_paginated(client, make_portal):
    make_portal(size=8)

    first = client.get(reverse("initiatives:list"))
    second = client.get(reverse("initiatives:list"), {"page": 2})

    assert len(first.context["initiative_list"]) == 20
    assert len(second.context["initiative_list"]) == 4
    assert 'href="?page=2"' in first.text
    assert '<span aria-current="page">2</span>' in second.text


def test_the_initiative_list_keeps_other_parameters_in_page_links(client, make_portal):
    make_portal(size=8)

    response = client.get(reverse("initiatives:list"), {"q": "取組"})

    assert 'href="?q=%E5%8F%96%E7%B5%84&amp;page=2"' in response.text


def test_an_initiative_page_shows_its_whole_record(client, make_portal):
    portal = make_portal(size=2)
    initiative = portal.initiatives[0]

    response = client.get(initiative.get_absolute_url())

    assert response.status_code == 200
    assert f'<h1 lang="ja">{initiative.title}</h1>' in response.text
    assert "<p>第一段落。</p>" in response.text
    assert "<p>第二段落。</p>" in response.text
    assert "平成22年度（2010年度）から" in response.text
    for point in initiative.points.all():
        assert point.text in response.text
    for photo in initiative.photos.all():
        assert f"<figcaption>{photo.caption}</figcaption>" in response.text


def test_an_initiative_page_links_its_ward_case_vision_and_departments(client, make_portal):
    portal = make_portal(size=2)
    initiative = portal.initiatives[0]

    response = client.get(initiative.get_absolute_url())

    assert initiative.ward.get_absolute_url() in response.text
    assert initiative.case_study.get_absolute_url() in response.text
    assert initiative.case_study.vision.get_absolute_url() in response.text
    for department in initiative.departments.all():
        assert department.get_absolute_url() in response.text
    assert str(portal.city_department) in response.text


def test_an_initiative_page_shows_its_parts_in_the_reports_order(client, make_portal):
    initiative = make_portal().initiatives[0]

    text = client.get(initiative.get_absolute_url()).text

    aims = text.index('id="part-aim-heading"')
    contents = text.index('id="part-content-heading"')
    future = text.index('id="part-future-heading"')
    assert aims < contents < future
    assert 'class="points points--sub"' in text


def test_a_photo_with_an_image_shows_it_with_its_alternative_text(client, make_portal):
    initiative = make_portal().initiatives[0]
    factories.PhotoFactory(
        initiative=initiative, image="initiatives/park.jpg", alt_text="公園で遊ぶ子どもたち"
    )

    response = client.get(initiative.get_absolute_url())

    assert 'src="/media/initiatives/park.jpg" alt="公園で遊ぶ子どもたち"' in response.text


def test_an_initiative_without_a_case_still_has_a_page(client):
    initiative = factories.InitiativeFactory(case_study=None)

    response = client.get(initiative.get_absolute_url())

    assert response.status_code == 200
    assert initiative.ward.get_absolute_url() in response.text


def test_a_draft_initiative_is_not_found(client):
    draft = factories.InitiativeFactory(draft=True)

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 404
    assert "404.html" in names(response)


def test_a_future_dated_initiative_is_not_found(client):
    scheduled = factories.InitiativeFactory(scheduled=True)

    assert client.get(scheduled.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("path", ["/initiatives/999999/", "/initiatives/abc/"])
def test_an_unknown_initiative_is_not_found(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "404.html" in names(response)


def test_an_initiative_lists_its_wards_departments_before_the_citys(client, make_portal):
    initiative = make_portal(size=2).initiatives[0]

    departments = client.get(initiative.get_absolute_url()).context["departments"]

    assert [d.ward_id is None for d in departments] == [False, False, True]


# --- The 404 page and the shared layout ---------------------------------------


def test_the_404_page_renders_with_debug_off(client, settings):
    settings.DEBUG = False

    response = client.get("/cases/99/")

    assert response.status_code == 404
    assert "404.html" in names(response)
    assert f"<h1>{japanese('Page not found')}</h1>" in response.text
    assert f'href="{reverse("home")}"' in response.text


@pytest.mark.parametrize(
    "url_name",
    [
        "home",
        "wards:list",
        "initiatives:vision-list",
        "initiatives:reform-plan",
        "initiatives:case-list",
        "initiatives:list",
    ],
)
def test_every_page_has_landmarks_a_skip_link_and_one_h1(client, make_portal, url_name):
    make_portal()

    text = client.get(reverse(url_name)).text

    assert '<html lang="ja">' in text
    assert 'href="#main"' in text
    assert '<main id="main"' in text
    assert "<header" in text
    assert "<footer" in text
    assert text.count("<h1") == 1


def test_the_english_interface_sets_the_page_language(client, make_portal):
    make_portal()

    response = client.get("/en/wards/")

    assert response.status_code == 200
    assert '<html lang="en">' in response.text


# --- Query counts -------------------------------------------------------------


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
        # led to it.
        ("detail", 5),
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
    # initiatives.
    [(1, 11), (2, 11), (4, 10), (6, 10)],
)
def test_a_vision_page_costs_eleven_queries_or_ten_when_no_year_lists_its_initiatives(
    client, make_portal, django_assert_num_queries, size, queries
):
    vision = make_portal(size=size).visions[0]
    with django_assert_num_queries(queries):
        assert client.get(vision.get_absolute_url()).status_code == 200
