import re

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def timeline_section(text):
    return re.search(r'<ol class="timeline">.*?</ol>', text, re.DOTALL).group(0)


def test_a_vision_page_shows_its_measures_changes_and_initiatives_by_fiscal_year(client):
    vision = factories.VisionFactory()
    area = factories.FocusAreaFactory(vision=vision)
    factories.MeasureFactory(
        focus_area=area, title="区役所サービス向上指針の策定", fiscal_year=2008
    )
    factories.MeasureFactory(
        focus_area=area, title="市民提案型協働事業", fiscal_year=2008, ongoing=True
    )
    case = factories.CaseStudyFactory(vision=vision, focus_area=area)
    factories.OrganisationalChangeFactory(
        case_study=case, text="保育園の管理運営を区へ移管", fiscal_year=2011
    )
    initiative = factories.InitiativeFactory(case_study=case, fiscal_year_start=2010)
    factories.InitiativeFactory(case_study=case, fiscal_year_start=2009, draft=True)
    other_vision = factories.MeasureFactory(title="他の区役所像の施策", fiscal_year=2009)

    section = timeline_section(client.get(vision.get_absolute_url()).text)

    assert re.findall(r"<h3>(.*?)</h3>", section) == [
        "平成20年度（2008年度）",
        "平成22年度（2010年度）",
        "平成23年度（2011年度）",
    ]
    assert "区役所サービス向上指針の策定</a></li>" in section
    assert re.search(
        r"市民提案型協働事業</a> <span class=\"fiscal-year\">（[^<]+）</span>", section
    )
    assert (
        f'<a href="{case.get_absolute_url()}" lang="ja">保育園の管理運営を区へ移管</a>' in section
    )
    assert f'<a href="{initiative.get_absolute_url()}" lang="ja">{initiative}</a>' in section
    assert other_vision.title not in section


def test_the_same_year_lists_measures_then_changes_then_initiatives(client):
    vision = factories.VisionFactory()
    case = factories.CaseStudyFactory(focus_area__vision=vision)
    factories.InitiativeFactory(case_study=case, title="取組A", fiscal_year_start=2010)
    factories.OrganisationalChangeFactory(case_study=case, text="組織B", fiscal_year=2010)
    factories.MeasureFactory(focus_area=case.focus_area, title="施策C", fiscal_year=2010)

    section = timeline_section(client.get("/en" + vision.get_absolute_url()).text)

    kinds = re.findall(r'<span class="timeline__kind">(.*?)</span>', section)
    assert kinds == ["Measure", "Organisational change", "Initiative"]
