import pytest
from django.urls import reverse
from django.utils import translation

from feedback.models import OpinionSource
from tests import factories
from tests.portal.helpers import answered, assert_links, names

pytestmark = pytest.mark.django_db


def test_the_case_list_links_cases_visions_and_the_wards_of_their_initiatives(client, make_portal):
    portal = make_portal(size=4)

    response = answered(client, reverse("initiatives:case-list"))

    for case in portal.cases:
        assert case.get_absolute_url() in response.text
        assert case.vision.get_absolute_url() in response.text
    assert_links(response, portal.wards)
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

    response = answered(client, case.get_absolute_url())

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
