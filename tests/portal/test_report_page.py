"""/report/ shows the whole source section from the database, in its order."""

import html
import re
import unicodedata

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from feedback.models import Opinion
from initiatives.models import (
    CaseStudy,
    FocusArea,
    Initiative,
    InitiativePart,
    InitiativePoint,
    Pillar,
    SectionPart,
    SectionPoint,
)
from portal.templatetags.report import circled
from tests.factories import (
    DepartmentFactory,
    InitiativeFactory,
    InitiativePointFactory,
    MeasureFactory,
    OpinionFactory,
    PhotoFactory,
    PillarItemFactory,
)
from tests.portal.helpers import answered
from wards.models import Ward

pytestmark = pytest.mark.django_db

REPORT_QUERIES = 22

# --- Reading the source and the page as comparable text ----------------------

MARKUP = re.compile(r"<[^>]+>")
# A list marker (・, ●, "- ・") after a line start or a space begins a new phrase; a
# middle dot inside a word (迅速・的確) does not.
LIST_MARKER = re.compile(r"(?:^|\s)(?:-\s*)?[・●]\s*")
# Labels the report prints before a title on the same line: 取組 …, 事例① …, 【ねらい1】 ….
PREFIX_LABEL = re.compile(r"^\s*(取組(?=\s)|事例[①-⑳]|【ねらい\d+】)\s*")
# The page adds the Gregorian year to every era year: 平成22年度（2010年度）.
GREGORIAN_YEAR = re.compile(r"\(\d{4}年度\)")


def normalise(text: str) -> str:
    """NFKC (full-width brackets, ① and ³ become ASCII) and no whitespace at all.

    Whitespace carries no meaning in Japanese text; in the source it is layout.
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def source_phrases(text: str) -> list[str]:
    """Every cell, list item and sentence of the source, without its extraction markup."""
    phrases = []
    for chunk in re.split(r"[\n\t]|\s{2,}", MARKUP.sub("\n", text)):
        for piece in LIST_MARKER.split(chunk):
            label = PREFIX_LABEL.match(piece)
            if label:
                phrases.append(label.group(1))
                piece = piece[label.end() :]
            phrases.extend(re.split(r"(?<=。)", piece))
    return [phrase for phrase in map(normalise, phrases) if phrase]


def page_text(content: bytes) -> str:
    main = content.decode()
    main = main[main.index("<main") : main.index("</main>")]
    text = normalise(html.unescape(MARKUP.sub("", main)))
    return GREGORIAN_YEAR.sub("", text)


def interface_labels() -> dict[str, str]:
    """The report's table and heading labels, which the page shows as interface strings.

    Their Japanese comes from the locale catalogue; until it has them, the page shows the
    English msgid, so each label is checked against its translation in the active language.
    """
    labels = {
        "取組の方向性": SectionPart.DIRECTION.label,
        "主な取組内容": SectionPart.CONTENTS.label,
        "今後の方向性等": SectionPart.FUTURE.label,
        "取組のねらい": InitiativePart.AIM.label,
        "取組内容": InitiativePart.CONTENT.label,
        "《委員からの意見》": "《{}》".format(gettext("Opinions of committee members")),
        "めざすべき区役所像": gettext("Ward-office vision"),
        "区行政改革の実行計画（第2期）における位置づけ": gettext(
            "Place in the ward reform execution plan (phase 2)"
        ),
        "関連する組織整備等": gettext("Related organisational changes"),
        "「新たな行財政改革プラン」のねらい": gettext(
            "Aims of the new administrative and fiscal reform plan"
        ),
        "「新たな行財政改革プラン」における改革の実現に向けた6つの取組": gettext(
            "Six pillars for realising the reform"
        ),
        "取組": gettext("Pillar"),
    }
    for number in range(1, 5):
        labels[f"事例{circled(number)}"] = gettext("Case %(number)s") % {"number": circled(number)}
    for number in range(1, 3):
        labels[f"【ねらい{number}】"] = "【{}】".format(
            gettext("Aim %(number)s") % {"number": number}
        )
    return {normalise(source): normalise(capfirst(str(shown))) for source, shown in labels.items()}


def missing_phrases(source: str, content: bytes) -> list[str]:
    text = page_text(content)
    labels = interface_labels()
    return [phrase for phrase in source_phrases(source) if labels.get(phrase, phrase) not in text]


@pytest.fixture(autouse=True)
def _japanese():
    # A request to /en/… leaves English active in the thread; these tests read the Japanese page.
    with translation.override("ja"):
        yield


# --- The proof that every sentence is held -------------------------------------


def test_every_sentence_of_the_source_appears_on_the_report_page(seed_text, report_page):
    phrases = source_phrases(seed_text)
    assert len(phrases) > 250
    assert missing_phrases(seed_text, report_page.content) == []


def test_the_completeness_check_notices_a_sentence_missing_from_the_data(
    client, seed_text, report_data
):
    Opinion.objects.filter(topic="スポーツのネットワーク力について").delete()
    response = client.get(reverse("initiatives:report"))

    missing = missing_phrases(seed_text, response.content)

    assert "スポーツのネットワーク力について" in missing
    assert "スポーツのネットワークづくりをぜひ大いに進めてほしい。" in missing


def test_the_source_is_split_into_phrases_without_its_markup():
    source = (
        '主な取組内容\t<p>前文。</p> <ul style="list-style-type: none">'
        " ・迅速・的確な解決（平成21年度） ・二つ目\n"
        "- ・ 意見。二文目。\n取組 柱の題\n事例② 事例の題"
    )

    assert source_phrases(source) == [
        "主な取組内容",
        "前文。",
        "迅速・的確な解決(平成21年度)",
        "二つ目",
        "意見。",
        "二文目。",
        "取組",
        "柱の題",
        "事例2",
        "事例の題",
    ]


# --- Structure and accessibility -----------------------------------------------


def test_the_report_page_shows_the_headings_in_the_sources_order(report_page):
    text = page_text(report_page.content)
    headings = [
        "第2節参加・協働の拠点としての区役所に関する取組の事例検証",
        "1「めざすべき区役所像」の実現に向けた取組",
        "2「新たな行財政改革プラン」",
        "3区における取組事例",
    ] + [normalise(case.title) for case in CaseStudy.objects.all()]
    positions = [text.index(heading) for heading in headings]
    assert positions == sorted(positions)


def test_the_section_tables_have_row_headers(report_page):
    content = report_page.content.decode()
    section_rows = SectionPoint.objects.values("section", "part").distinct().count()
    case_rows = 3 * CaseStudy.objects.count()
    initiative_rows = InitiativePoint.objects.values("initiative", "part").distinct().count()
    assert content.count('<th scope="row">') == section_rows + case_rows + initiative_rows


def test_measures_show_their_fiscal_years_as_the_report_prints_them(report_page):
    text = report_page.content.decode()
    year = '<span class="measure__year">{}</span>'
    gregorian = '<small class="report__gregorian">（{}）</small>'
    assert (
        f"「地区まちづくり育成条例」の制定（{year.format('平成21年度')}）"
        f"{gregorian.format('2009年度')}" in text
    )
    assert (
        f"区における市民提案型協働事業の実施（{year.format('平成20年度から')}）"
        f"{gregorian.format('2008年度')}" in text
    )
    assert "（平成20年度（2008年度）から）" not in text


def test_footnote_markers_link_to_footnotes_that_link_back(report_page):
    content = report_page.content.decode()
    area = FocusArea.objects.get(title="区における総合行政の推進")
    pk = area.footnote.pk
    assert (
        f'区における総合行政の推進<sup class="footnote-ref"><a id="footnote-ref-{pk}"'
        f' href="#footnote-{pk}" role="doc-noteref">³</a></sup>'
    ) in content
    assert f'<aside id="footnote-{pk}" class="footnote" role="doc-footnote">' in content
    assert content.count('role="doc-footnote"') == 2
    assert content.count('role="doc-backlink"') == 2
    assert content.count('role="doc-noteref"') == 2
    assert "体育指導委員会（<sup" in content


def test_the_before_and_after_picture_is_a_figure_with_a_caption(report_page):
    content = report_page.content.decode()
    figure = content[content.index('<figure class="ward-office-figure"') :]
    figure = figure[: figure.index("</figure>")]
    assert "<figcaption" in figure
    assert "これまでの区役所" in figure
    assert "《川崎市基本構想(平成16年12月16日議決)に基づく考え方》" in figure
    assert "<img" not in figure


def test_photos_named_by_caption_only_show_as_captions_not_empty_boxes(report_page):
    content = report_page.content.decode()
    assert content.count('<figure id="photo-') == 6
    assert content.count('class="photo photo--caption-only"') == 6
    assert "photo__placeholder" not in content
    assert '<span class="photo__kind">写真：</span> モデル事業の様子</figcaption>' in content


def test_opinions_show_under_their_topic_headings(report_page):
    content = report_page.content.decode()
    assert content.count('class="opinion__topic"') == 9
    assert content.count('class="opinions__title"') == 6


def test_editorial_notes_are_marked_beside_the_text_they_correct(report_page):
    content = report_page.content.decode()
    assert content.count('class="editorial-note"') == 5
    assert "「とうい」は「といい」の誤りと思われます。" in content


def test_the_page_links_to_visions_cases_wards_and_initiatives(report_page):
    content = report_page.content.decode()
    assert reverse("initiatives:vision-detail", kwargs={"number": 4}) in content
    assert reverse("initiatives:case-detail", kwargs={"number": 3}) in content
    assert reverse("wards:detail", kwargs={"slug": "nakahara"}) in content


def test_member_comments_and_drafts_stay_off_the_report_page(
    client, report_data, django_user_model
):
    author = django_user_model.objects.create_user("member", password="x")
    Opinion.objects.create(
        case_study=CaseStudy.objects.get(number=1),
        source="member",
        author=author,
        state="published",
        body="委員が投稿したコメント。",
    )
    InitiativeFactory(
        ward=Ward.objects.get(slug="tama"),
        case_study=CaseStudy.objects.get(number=1),
        title="下書きの取組",
        status="draft",
        published_at=None,
    )

    content = client.get(reverse("initiatives:report")).content.decode()

    assert "委員が投稿したコメント。" not in content
    assert "下書きの取組" not in content


def test_initiatives_entered_since_the_report_show_on_the_portal_not_in_the_report(
    client, report_data
):
    case = CaseStudy.objects.get(number=1)
    ward = Ward.objects.get(slug="tama")
    entered = InitiativeFactory(ward=ward, case_study=case, title="区職員が入力した取組")
    printed = Initiative.objects.from_report().filter(case_study=case).first()

    report = client.get(reverse("initiatives:report")).content.decode()

    assert "区職員が入力した取組" not in report
    assert printed.title in report
    for url in [
        case.get_absolute_url(),
        ward.get_absolute_url(),
        reverse("initiatives:list"),
        entered.get_absolute_url(),
    ]:
        assert "区職員が入力した取組" in client.get(url).content.decode(), url


def test_the_report_page_is_a_404_before_the_report_is_loaded(client):
    assert client.get(reverse("initiatives:report")).status_code == 404


# --- Query count -----------------------------------------------------------------


def add_more_of_everything():
    """More initiatives, points, photos, departments, opinions, measures and pillar items."""
    ward = Ward.objects.get(slug="tama")
    for case in CaseStudy.objects.all():
        initiative = InitiativeFactory(
            ward=ward,
            case_study=case,
            position=9,
            in_report=True,
            departments=DepartmentFactory.create_batch(2, ward=ward),
        )
        InitiativePointFactory.create_batch(3, initiative=initiative)
        PhotoFactory.create_batch(2, initiative=initiative)
        OpinionFactory(case_study=case, position=100)
    for area in FocusArea.objects.all():
        MeasureFactory(focus_area=area, position=100)
    for pillar in Pillar.objects.all():
        PillarItemFactory(pillar=pillar, position=100)


def test_the_report_page_reads_a_fixed_number_of_queries(
    client, report_data, django_assert_num_queries
):
    with django_assert_num_queries(REPORT_QUERIES):
        response = client.get(reverse("initiatives:report"))
    assert response.status_code == 200


def test_the_report_page_reads_as_many_queries_with_more_data(
    client, report_data, django_assert_num_queries
):
    add_more_of_everything()

    with django_assert_num_queries(REPORT_QUERIES):
        response = client.get(reverse("initiatives:report"))

    assert response.content.decode().count('<figure id="photo-') == 6 + 2 * 4


def test_the_english_report_page_is_the_japanese_document_marked_as_japanese(client, report_data):
    response = answered(client, "/en/report/")

    assert "The report exists only in Japanese" in response.text
    assert '<article class="report" lang="ja">' in response.text
    article = response.text.split('<article class="report" lang="ja">')[1]
    assert "取組の方向性" in article
    assert "direction" not in article.lower()
