import re

import pytest
from django.urls import reverse

from core.timeline import (
    LISTED_PER_YEAR,
    InitiativesOfYear,
    TimelineEntry,
    by_fiscal_year,
    count_initiatives_by_year,
)
from initiatives.models import Initiative
from tests import factories

pytestmark = pytest.mark.django_db


class Dated:
    def __init__(self, key, year):
        self.key, self.year = key, year

    def timeline_entry(self):
        if self.year is None:
            return None
        return TimelineEntry(key=self.key, fiscal_year=self.year, kind="k", title=self.key, url="/")


def test_entries_are_grouped_by_fiscal_year_oldest_first_in_the_given_order():
    timeline = by_fiscal_year(
        [Dated("a", 2010), Dated("b", 2008), Dated("c", 2010), Dated("d", None), Dated("a", 2010)]
    )

    assert [(year.fiscal_year, [e.key for e in year.entries]) for year in timeline] == [
        (2008, ["b"]),
        (2010, ["a", "c"]),
    ]


def test_nothing_dated_makes_an_empty_timeline():
    assert by_fiscal_year([Dated("a", None)]) == []


def timeline_section(text):
    return re.search(r'<ol class="timeline">.*?</ol>', text, re.DOTALL).group(0)


def years(section):
    return re.findall(r"<h3>(.*?)</h3>", section)


def test_a_ward_page_shows_its_initiatives_and_their_cases_changes_and_measures_by_year(client):
    ward = factories.WardFactory(name="宮前区")
    case = factories.CaseStudyFactory()
    measure = factories.MeasureFactory(
        focus_area=case.focus_area, title="道路公園センターを設置", fiscal_year=2010
    )
    factories.MeasureFactory(focus_area=case.focus_area, title="年度のない施策", fiscal_year=None)
    factories.OrganisationalChangeFactory(
        case_study=case, text="こども支援室を設置", fiscal_year=2008
    )
    running = factories.InitiativeFactory(
        ward=ward, case_study=case, title="冒険あそび場", fiscal_year_start=2010
    )
    ended = factories.InitiativeFactory(
        ward=ward,
        case_study=case,
        title="子育てフェスタ",
        fiscal_year_start=2008,
        fiscal_year_end=2011,
    )
    other_ward = factories.InitiativeFactory(
        case_study=case, title="他区の取組", fiscal_year_start=2009
    )
    draft = factories.InitiativeFactory(
        ward=ward, case_study=case, draft=True, fiscal_year_start=2005
    )

    text = client.get(ward.get_absolute_url()).text
    section = timeline_section(text)

    assert years(section) == ["平成20年度（2008年度）", "平成22年度（2010年度）"]
    assert section.index("こども支援室を設置") < section.index("子育てフェスタ")
    assert section.index("子育てフェスタ") < section.index("道路公園センターを設置")
    assert section.index("道路公園センターを設置") < section.index("冒険あそび場")
    assert f'<a href="{measure.get_absolute_url()}" lang="ja">道路公園センターを設置</a>' in section
    assert f'<a href="{case.get_absolute_url()}" lang="ja">こども支援室を設置</a>' in section
    assert f'<a href="{running.get_absolute_url()}" lang="ja">{running}</a>' in section
    assert f'<a href="{ended.get_absolute_url()}" lang="ja">{ended}</a>' in section
    assert "年度のない施策" not in section
    assert other_ward.title not in section
    assert draft.get_absolute_url() not in section


def test_the_timeline_says_which_initiatives_run_on_and_until_when(client):
    ward = factories.WardFactory()
    factories.InitiativeFactory(ward=ward, title="続く取組", fiscal_year_start=2010)
    factories.InitiativeFactory(
        ward=ward, title="終わった取組", fiscal_year_start=2010, fiscal_year_end=2012
    )
    factories.InitiativeFactory(
        ward=ward, title="一年の取組", fiscal_year_start=2010, fiscal_year_end=2010
    )

    section = timeline_section(client.get("/en" + ward.get_absolute_url()).text)

    items = re.findall(r"<li><span class=\"timeline__kind\">(.*?)</li>", section)
    assert any("続く取組" in item and "(ongoing)" in item for item in items)
    assert any("終わった取組" in item and "until FY2012 (Heisei 24)" in item for item in items)
    lone = next(item for item in items if "一年の取組" in item)
    assert "ongoing" not in lone
    assert "until" not in lone


def test_a_ward_with_nothing_dated_says_so(client):
    ward = factories.WardFactory()

    text = client.get("/en" + ward.get_absolute_url()).text

    assert "Nothing with a fiscal year is recorded yet." in text
    assert '<ol class="timeline">' not in text


def test_the_timeline_is_an_ordered_list_under_its_own_heading(client, make_portal):
    ward = make_portal().wards[0]

    text = client.get(ward.get_absolute_url()).text

    assert '<h2 id="timeline-heading">' in text
    assert '<ol class="timeline">' in text
    assert text.index('id="timeline-heading"') < text.index('<ol class="timeline">')


def test_initiatives_join_the_years_of_the_other_entries_and_add_their_own():
    counted = InitiativesOfYear(started=9, running=12, url="/initiatives/?fy=2011")

    timeline = by_fiscal_year([Dated("a", 2010)], {2010: counted, 2011: counted})

    assert [(year.fiscal_year, year.initiatives) for year in timeline] == [
        (2010, counted),
        (2011, counted),
    ]
    assert [e.key for e in timeline[0].entries] == ["a"]
    assert timeline[1].entries == []


# --- Initiatives counted by year ----------------------------------------------------


def initiative_years(ward):
    return count_initiatives_by_year(
        Initiative.objects.published().for_ward(ward),
        lambda year: f"{reverse('initiatives:list')}?ward={ward.slug}&fy={year}",
    )


def test_a_year_in_which_few_initiatives_began_lists_them(db):
    ward = factories.WardFactory()
    began = factories.InitiativeFactory.create_batch(
        LISTED_PER_YEAR, ward=ward, fiscal_year_start=2010
    )

    year = initiative_years(ward)[2010]

    assert (year.started, year.running) == (LISTED_PER_YEAR, LISTED_PER_YEAR)
    assert sorted(entry.key for entry in year.entries) == sorted(
        f"initiative-{i.pk}" for i in began
    )
    assert not year.others_running


def test_a_year_in_which_many_initiatives_began_counts_them(db):
    ward = factories.WardFactory()
    factories.InitiativeFactory.create_batch(LISTED_PER_YEAR + 1, ward=ward, fiscal_year_start=2010)

    year = initiative_years(ward)[2010]

    assert year.started == LISTED_PER_YEAR + 1
    assert year.entries == ()
    assert year.others_running


def test_a_year_counts_what_runs_in_it_as_the_filtered_list_does(client, db):
    ward = factories.WardFactory(slug="tama")
    other_ward = factories.WardFactory(slug="asao")
    for first, last in [(2008, None), (2009, 2010), (2009, 2009), (2010, 2012), (2011, None)]:
        factories.InitiativeFactory(ward=ward, fiscal_year_start=first, fiscal_year_end=last)
    factories.InitiativeFactory(ward=other_ward, fiscal_year_start=2010)
    factories.InitiativeFactory(ward=ward, fiscal_year_start=2010, draft=True)
    factories.InitiativeFactory(ward=ward, fiscal_year_start=None)

    years = initiative_years(ward)

    assert {year: (y.started, y.running) for year, y in years.items()} == {
        2008: (1, 1),
        2009: (2, 3),
        2010: (1, 3),
        2011: (1, 3),
    }
    for year in years.values():
        listed = client.get(year.url).context["paginator"].count
        assert listed == year.running
    assert years[2010].url == f"{reverse('initiatives:list')}?ward=tama&fy=2010"


def test_the_timeline_counts_a_busy_year_and_links_the_list_of_that_year(client):
    ward = factories.WardFactory(slug="takatsu")
    factories.InitiativeFactory.create_batch(7, ward=ward, fiscal_year_start=2012)
    factories.InitiativeFactory(ward=ward, fiscal_year_start=2011, fiscal_year_end=2012)
    factories.InitiativeFactory(ward=ward, title="前年からの取組", fiscal_year_start=2011)

    section = timeline_section(client.get("/en" + ward.get_absolute_url()).text)
    busy = section[section.index("<h3>FY2012") :]

    assert "Initiatives</span>: 7 began this year" in busy
    assert (
        f'<a href="/en{reverse("initiatives:list")}?ward=takatsu&amp;fy=2012">'
        "All 9 initiatives running this year</a>"
    ) in busy
    assert "前年からの取組" not in busy
    assert "前年からの取組" in section


def test_a_listed_year_links_the_others_running_in_it(client):
    ward = factories.WardFactory(slug="kawasaki")
    factories.InitiativeFactory(ward=ward, title="続く取組", fiscal_year_start=2010)
    factories.InitiativeFactory(ward=ward, title="新しい取組", fiscal_year_start=2011)

    section = timeline_section(client.get("/en" + ward.get_absolute_url()).text)
    first, second = section.split("<h3>FY2011")

    assert "running this year" not in first
    assert "新しい取組" in second
    assert '?ward=kawasaki&amp;fy=2011">All 2 initiatives running this year</a>' in second


@pytest.mark.parametrize(
    ("size", "queries"),
    [(1, 2), (LISTED_PER_YEAR, 2), (LISTED_PER_YEAR + 1, 1), (4 * LISTED_PER_YEAR, 1)],
)
def test_counting_by_year_costs_two_queries_or_one_when_no_year_lists(
    django_assert_num_queries, size, queries
):
    ward = factories.WardFactory()
    factories.InitiativeFactory.create_batch(size, ward=ward, fiscal_year_start=2010)
    factories.InitiativeFactory.create_batch(size, ward=ward, fiscal_year_start=2011)
    initiatives = Initiative.objects.published().for_ward(ward)

    with django_assert_num_queries(queries):
        years = count_initiatives_by_year(initiatives, str)

    assert {year: y.started for year, y in years.items()} == {2010: size, 2011: size}
