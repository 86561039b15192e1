"""The fixtures hold the source report section in full: counts and facts checked against it."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from feedback.models import Opinion, OpinionSource, OpinionState
from initiatives.models import (
    Aim,
    CaseStudy,
    FigurePanel,
    FocusArea,
    Footnote,
    Initiative,
    InitiativePoint,
    InitiativeStatus,
    Measure,
    OrganisationalChange,
    Photo,
    Pillar,
    PillarItem,
    PointStyle,
    PracticalInitiative,
    ReformPlan,
    Report,
    ReportSection,
    SectionPoint,
    Vision,
)
from tests.factories import InitiativeFactory
from wards.models import Department, Ward

pytestmark = pytest.mark.django_db

# Counted by hand against shared/seed/000_22b1c930a3ba538f.txt.
EXPECTED_COUNTS = {
    Ward: 7,
    Department: 14,
    Report: 1,
    ReportSection: 3,
    SectionPoint: 10,
    Footnote: 2,
    FigurePanel: 2,
    Vision: 4,
    FocusArea: 9,
    Measure: 13,
    ReformPlan: 1,
    Aim: 5,
    Pillar: 6,
    PillarItem: 19,
    PracticalInitiative: 4,
    CaseStudy: 4,
    OrganisationalChange: 5,
    Initiative: 10,
    InitiativePoint: 43,
    Photo: 6,
    Opinion: 13,
}


def model_counts():
    return {model: model.objects.count() for model in EXPECTED_COUNTS}


@pytest.mark.parametrize("model", EXPECTED_COUNTS, ids=lambda model: model.__name__)
def test_the_fixtures_hold_as_many_objects_as_the_report(report_data, model):
    assert model.objects.count() == EXPECTED_COUNTS[model]


def test_the_seven_wards_have_their_codes_in_the_citys_order(report_data):
    assert list(Ward.objects.values_list("slug", "code")) == [
        ("kawasaki", "141313"),
        ("saiwai", "141321"),
        ("nakahara", "141330"),
        ("takatsu", "141348"),
        ("miyamae", "141364"),
        ("tama", "141356"),
        ("asao", "141372"),
    ]


def test_each_initiative_belongs_to_the_ward_the_report_names(report_data):
    wards = dict(Initiative.objects.values_list("title", "ward__slug"))
    assert wards == {
        "冒険あそび場活動支援事業": "miyamae",
        "未利用地の緑化事業": "miyamae",
        "二ヶ領用水・円筒分水を活用したまちづくり推進": "takatsu",
        "川崎区こども総合支援計画の策定及び計画に基づいた取組の推進": "kawasaki",
        "子育てサロンの運営": "nakahara",
        "宮前区地域人材育成指針の策定": "miyamae",
        "高津区こども・子育てフェスタ": "takatsu",
        "市民館への CC かわさき交流コーナーの設置": "takatsu",
        "多様な主体によるスポーツ活動の推進": "takatsu",
        "魅力あるスポーツ推進事業": "miyamae",
    }


def test_each_case_has_one_main_initiative_and_all_are_published_in_2012(report_data):
    mains = Initiative.objects.filter(is_main=True)
    assert sorted(mains.values_list("case_study__number", flat=True)) == [1, 2, 3, 4]
    assert Initiative.objects.filter(is_main=False).count() == 6
    assert set(Initiative.objects.values_list("status", flat=True)) == {InitiativeStatus.PUBLISHED}
    assert {i.published_at.year for i in Initiative.objects.all()} == {2012}


def test_every_initiative_of_the_fixtures_is_marked_as_printed_in_the_report(report_data):
    assert Initiative.objects.from_report().count() == EXPECTED_COUNTS[Initiative]


def test_load_report_with_force_marks_the_reports_initiatives_and_no_others(report_data):
    Initiative.objects.update(in_report=False)
    entered = InitiativeFactory(
        ward=Ward.objects.get(slug="tama"),
        case_study=CaseStudy.objects.get(number=1),
        title="区職員が入力した取組",
    )

    call_command("load_report", "--force", stdout=StringIO())

    assert Initiative.objects.from_report().count() == EXPECTED_COUNTS[Initiative]
    entered.refresh_from_db()
    assert not entered.in_report


@pytest.mark.parametrize(
    ("title", "fiscal_year", "ongoing"),
    [
        ("「地区まちづくり育成条例」の制定", 2009, False),
        ("各区役所に「こども総合支援担当」を新設", 2005, False),
        ("区における市民提案型協働事業の実施", 2008, True),
        ("市民活動拠点の整備・拡充", 2005, True),
        ("区役所窓口（区民課・保険年金課）の毎月第2・第4土曜日の開設", 2007, True),
        ("幸区役所庁舎の再整備に向けた「基本方針」（平成21年度）、「基本計画」の策定", 2010, False),
        ("平成23年度予算「地域課題対応事業費」の予算権限を区長に付与など", 2011, False),
    ],
)
def test_a_measure_has_the_fiscal_year_the_report_gives(report_data, title, fiscal_year, ongoing):
    measure = Measure.objects.get(title=title)
    assert (measure.fiscal_year, measure.ongoing) == (fiscal_year, ongoing)


def test_the_fourth_vision_has_two_focus_areas_the_second_with_footnote_three(report_data):
    areas = list(FocusArea.objects.filter(vision__number=4))
    assert [area.title for area in areas] == ["区民会議の運営", "区における総合行政の推進"]
    assert not areas[0].measures.exists()
    assert areas[1].footnote.marker == "³"
    assert areas[1].footnote.text.startswith("川崎市では、平成18年度に")


def test_the_footnotes_are_three_on_section_one_and_star_on_section_three(report_data):
    markers = dict(Footnote.objects.values_list("marker", "section__number"))
    assert markers == {"³": 1, "*": 3}
    assert "「スポーツ推進員」に名称変更" in Footnote.objects.get(marker="*").text
    assert "体育指導委員会（*）" in Initiative.objects.get(title="魅力あるスポーツ推進事業").summary


@pytest.mark.parametrize(
    ("number", "vision", "focus_area", "vision_text"),
    [
        (
            1,
            1,
            "区役所を地域のまちづくり拠点として整備",
            "① 地域の課題を発見し、迅速・的確な解決を図る区役所",
        ),
        (
            2,
            1,
            "区役所を総合的な子ども支援拠点として整備",
            "① 地域の課題を発見し、迅速・的確な解決を図る区役所",
        ),
        (
            3,
            2,
            "区における市民活動支援拠点の有効活用",
            "②地域活動や非営利活動を支援する市民協働の拠点としての区役所",
        ),
        (
            4,
            2,
            "区における市民活動支援拠点の有効活用",
            "② 地域活動や非営利活動を支援する市民協働の拠点としての区役所",
        ),
    ],
)
def test_each_case_serves_the_vision_and_focus_area_of_its_table(
    report_data, number, vision, focus_area, vision_text
):
    case = CaseStudy.objects.get(number=number)
    assert (case.vision.number, case.focus_area.title, case.vision_text) == (
        vision,
        focus_area,
        vision_text,
    )
    assert case.focus_area.vision == case.vision


def test_the_organisational_changes_carry_their_fiscal_years(report_data):
    changes = list(
        OrganisationalChange.objects.values_list("case_study__number", "fiscal_year", "text")
    )
    assert [(number, year) for number, year, _text in changes] == [
        (1, 2010),
        (2, 2008),
        (2, 2011),
        (3, 2010),
        (4, 2010),
    ]
    assert changes[0][2] == "建設センター及び公園事務所を統合し道路公園センターを設置"


def test_the_reform_plan_runs_three_years_from_april_2011_with_its_aims(report_data):
    plan = ReformPlan.objects.get(slug="fourth-reform-plan")
    assert (plan.title, plan.subtitle) == ("川崎市新たな行財政改革プラン", "第4次改革プラン")
    assert (plan.starts_on, plan.duration_years) == (datetime.date(2011, 4, 1), 3)
    first, second = plan.aims.filter(parent=None).order_by("number")
    assert first.sub_aims.count() == 3
    assert second.lead == "「市民や事業者等の力が発揮できる活力ある地域社会」をめざして"


def test_the_item_that_lost_its_bullet_belongs_to_the_first_pillar(report_data):
    item = PillarItem.objects.get(text="出資法人改革の推進")
    assert (item.pillar.number, item.position) == (1, 5)
    assert [p.items.count() for p in Pillar.objects.all()] == [5, 3, 4, 3, 2, 2]


def test_the_practical_initiatives_are_the_items_of_the_third_pillar(report_data):
    for initiative in PracticalInitiative.objects.all():
        assert initiative.pillar_item.pillar.number == 3
        assert initiative.pillar_item.text == initiative.title


def test_the_opinions_sit_on_sections_and_cases_in_the_reports_order(report_data):
    opinions = list(Opinion.objects.order_by("position"))
    assert [
        (o.section_id and o.section.number, o.case_study_id and o.case_study.number)
        for o in opinions
    ][:4] == [(1, None), (1, None), (2, None), (2, None)]
    per_case = [o.case_study.number for o in opinions[4:]]
    assert per_case == [1, 1, 1, 2, 2, 3, 3, 4, 4]
    assert {(o.source, o.state) for o in opinions} == {
        (OpinionSource.REPORT, OpinionState.PUBLISHED)
    }
    assert [o.topic for o in opinions if o.topic][:3] == [
        "冒険遊び場におけるプレーリーダーの養成について",
        "区民会議など市民からの提案に対する対応について",
        "道路公園センターが区役所組織となったメリットについて",
    ]
    assert sum(1 for o in opinions if o.topic) == 9


def test_the_sources_slips_are_kept_with_a_correction_beside_them(report_data):
    opinion = Opinion.objects.get(topic="道路公園センターが区役所組織となったメリットについて")
    assert opinion.body.endswith("何かができるとうい。")
    assert opinion.editorial_note == "「とうい」は「といい」の誤りと思われます。"
    point = InitiativePoint.objects.get(text__contains="地域人材育成の育成")
    assert "地域人材の育成" in point.editorial_note
    assert "局のとの間" in Opinion.objects.get(section__number=2, position=4).body
    assert "フロントウン" in Initiative.objects.get(title="魅力あるスポーツ推進事業").summary


def test_a_main_initiative_holds_its_aims_contents_and_nested_future_direction(report_data):
    initiative = Initiative.objects.get(title="冒険あそび場活動支援事業")
    future = list(initiative.points.filter(part="future"))
    assert [(p.depth, p.style) for p in future] == [
        (0, PointStyle.BULLET),
        (0, PointStyle.LABEL),
        (1, PointStyle.BULLET),
        (1, PointStyle.BULLET),
        (1, PointStyle.BULLET),
    ]
    assert future[1].text == "（主な支援内容）"
    assert len(initiative.paragraphs) == 6
    assert initiative.fiscal_year_start == 2010
    assert set(initiative.departments.values_list("name", flat=True)) == {
        "こども支援室",
        "地域振興課",
        "企画課",
        "道路公園センター",
        "宮前市民館",
    }


def test_the_section_tables_keep_paragraphs_bullets_and_labels(report_data):
    styles = list(SectionPoint.objects.filter(section__number=2).values_list("part", "style"))
    assert sorted(styles) == sorted(
        [
            ("direction", "bullet"),
            ("direction", "bullet"),
            ("direction", "bullet"),
            ("contents", "bullet"),
            ("contents", "label"),
            ("future", "paragraph"),
        ]
    )


def test_the_photos_have_captions_and_alternative_text_but_no_image(report_data):
    for photo in Photo.objects.all():
        assert photo.caption
        assert photo.alt_text
        assert not photo.image


def test_load_report_loads_nothing_the_second_time(report_data):
    initiative = Initiative.objects.get(title="冒険あそび場活動支援事業")
    initiative.title = "職員が直したタイトル"
    initiative.save()
    before = model_counts()
    out = StringIO()

    call_command("load_report", stdout=out)

    assert "already loaded" in out.getvalue()
    assert model_counts() == before
    initiative.refresh_from_db()
    assert initiative.title == "職員が直したタイトル"


def test_load_report_with_force_restores_the_reports_text_without_duplicating(report_data):
    initiative = Initiative.objects.get(title="冒険あそび場活動支援事業")
    initiative.title = "職員が直したタイトル"
    initiative.save()
    before = model_counts()

    call_command("load_report", "--force", stdout=StringIO())

    assert model_counts() == before
    initiative.refresh_from_db()
    assert initiative.title == "冒険あそび場活動支援事業"


def test_load_report_says_what_it_loaded_into_an_empty_database(db):
    out = StringIO()

    call_command("load_report", stdout=out)

    assert "Loaded the report" in out.getvalue()
    assert model_counts() == EXPECTED_COUNTS
