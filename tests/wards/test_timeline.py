import re

import pytest

from tests import factories
from wards.timeline import TimelineEntry, by_fiscal_year

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

    assert [(year, [e.key for e in entries]) for year, entries in timeline] == [
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
