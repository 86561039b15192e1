"""The two languages: Japanese at /…, the English interface at /en/…."""

import re
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from initiatives.models import Aim, InitiativePart
from tests import factories
from tests.portal.helpers import page_urls

pytestmark = pytest.mark.django_db

JAPANESE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]")
SHOWN_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")
VOID_ELEMENTS = {"br", "hr", "img", "input", "link", "meta", "source", "wbr"}
# Proper names and technical terms, which WCAG 3.1.2 leaves in the language of the text
# around them: a Japanese sentence may name JIS X 8341-3 or the Nu HTML Checker.
NAMES = {"JIS", "AA", "WCAG", "axe", "core", "Nu", "HTML", "Checker", "Chromium"}
# Addresses and identifiers are in no human language: the readers leave them out.
LANGUAGELESS = {"title", "code"}


class LanguageOfText(HTMLParser):
    """Each piece of text a reader meets, with the language the page declares for it:
    text nodes and the attributes that browsers and screen readers present. The page's
    <title> is left out: it cannot mark part of itself as another language; so is code
    (addresses, column names)."""

    def __init__(self):
        super().__init__()
        self.open = []  # (tag, lang)
        self.pieces = []  # (lang, text)

    def lang(self):
        return self.open[-1][1] if self.open else ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang") or self.lang()
        self.pieces += [(lang, attrs[name]) for name in SHOWN_ATTRIBUTES if attrs.get(name)]
        if tag not in VOID_ELEMENTS:
            self.open.append((tag, lang))

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return

    def handle_data(self, data):
        if data.strip() and not any(tag in LANGUAGELESS for tag, _lang in self.open):
            self.pieces.append((self.lang(), data.strip()))


def pieces(html):
    parser = LanguageOfText()
    parser.feed(html)
    return parser.pieces


def unmarked_japanese(html):
    """Japanese text of an English page that no lang="ja" covers."""
    return [text for lang, text in pieces(html) if lang != "ja" and JAPANESE_SCRIPT.search(text)]


def interface_words():
    """Every English word of the interface's msgids (placeholders left out)."""
    with open(settings.BASE_DIR / "locale" / "ja" / "LC_MESSAGES" / "django.po", "rb") as file:
        catalog = read_po(file)
    words = set()
    for message in catalog:
        for msgid in message.id if message.pluralizable else [message.id]:
            words |= set(re.findall(r"[A-Za-z]{2,}", re.sub(r"%\(\w+\)\w", "", msgid)))
    return words - NAMES


def english_words_outside_english_markup(html):
    """Interface words on a Japanese page that no lang="en" covers."""
    words = interface_words()
    return [
        text
        for lang, text in pieces(html)
        if lang != "en" and words & set(re.findall(r"[A-Za-z]{2,}", text))
    ]


@pytest.fixture
def portal(make_portal):
    """A small portal whose wards, visions, pillars, case and one department have English
    names, as the report's data has; the other department and focus areas have none."""
    portal = make_portal()
    for case in portal.cases:
        case.title_en = f"Case in English {case.number}"
        case.save()
    for pillar in portal.plan.pillars.all():
        pillar.title_en = f"Pillar in English {pillar.number}"
        pillar.save()
    department = portal.initiatives[0].departments.filter(ward__isnull=False).first()
    department.name_en = "Community Development Section"
    department.save()
    portal.department = department
    portal.department_without_english_name = factories.DepartmentFactory(
        ward=department.ward, name="道路公園センター"
    )
    factories.MeasureFactory(focus_area=portal.focus_areas[0], fiscal_year=2019)
    return portal


# --- The language switch ------------------------------------------------------


def test_the_language_switch_keeps_the_page_and_its_query_string(client):
    factories.CaseStudyFactory(number=1)

    japanese = client.get("/cases/1/?x=1").text
    english = client.get("/en/cases/1/?x=1").text

    assert '<a href="/en/cases/1/?x=1" lang="en" hreflang="en">English</a>' in japanese
    assert (
        '<a href="/cases/1/?x=1" lang="ja" hreflang="ja" aria-current="true">日本語</a>'
    ) in japanese
    assert '<a href="/cases/1/?x=1" lang="ja" hreflang="ja">日本語</a>' in english
    assert (
        '<a href="/en/cases/1/?x=1" lang="en" hreflang="en" aria-current="true">English</a>'
    ) in english


def test_the_language_switch_escapes_a_query_string_of_several_parameters(client):
    factories.CaseStudyFactory(number=1)

    text = client.get("/cases/1/?x=1&y=%E5%8C%BA").text

    assert 'href="/en/cases/1/?x=1&amp;y=%E5%8C%BA"' in text


def test_every_page_links_to_itself_in_the_other_language(client, portal):
    for url in page_urls(portal).values():
        japanese = client.get(url).text
        english = client.get(f"/en{url}").text

        assert f'<a href="/en{url}" lang="en" hreflang="en">English</a>' in japanese, url
        assert f'<a href="{url}" lang="ja" hreflang="ja">日本語</a>' in english, url


def test_a_missing_page_switches_to_the_front_page_of_the_other_language(client):
    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    assert '<a href="/" lang="ja" hreflang="ja">日本語</a>' in response.text


# --- Japanese pages ---------------------------------------------------------------


def test_a_japanese_page_has_the_japanese_interface(client, portal):
    text = client.get(reverse("home")).text

    assert '<html lang="ja">' in text
    assert ">本文へ移動</a>" in text
    for label in ("区", "めざすべき区役所像", "取組事例", "取組", "行財政改革プラン", "報告書"):
        assert f">{label}</a></li>" in text
    assert '<h2 id="visions-heading">めざすべき4つの区役所像</h2>' in text


def test_no_japanese_page_shows_an_english_interface_word(client, portal):
    for url in page_urls(portal).values():
        text = client.get(url).text

        assert english_words_outside_english_markup(text) == [], url


# The pages that name their object in both languages: the name of the page's language
# is the heading; the other, marked with its language, stands in a ward's facts and under
# a vision's or a case's heading.
NAMED_PAGES = [
    pytest.param(
        lambda portal: portal.wards[0], "name", '<dd lang="{lang}">{name}</dd>', id="ward"
    ),
    pytest.param(
        lambda portal: portal.visions[0],
        "title",
        '<p class="subtitle"><span lang="{lang}">{name}</span></p>',
        id="vision",
    ),
    pytest.param(
        lambda portal: portal.cases[0],
        "title",
        '<p class="subtitle"><span lang="{lang}">{name}</span></p>',
        id="case",
    ),
]


@pytest.mark.parametrize(("named", "field", "beside"), NAMED_PAGES)
def test_a_japanese_page_shows_the_japanese_name_and_marks_the_english_one(
    client, portal, named, field, beside
):
    obj = named(portal)
    text = client.get(obj.get_absolute_url()).text

    assert f"<h1>{getattr(obj, field)}</h1>" in text
    assert beside.format(lang="en", name=getattr(obj, f"{field}_en")) in text


# --- English pages ------------------------------------------------------------------


def test_an_english_page_has_the_english_interface(client, portal):
    text = client.get("/en/").text

    assert '<html lang="en">' in text
    assert ">Skip to main content</a>" in text
    for label in ("Wards", "Visions", "Case studies", "Initiatives", "Reform plan", "Report"):
        assert f">{label}</a></li>" in text


def test_an_english_page_marks_every_piece_of_japanese_text_as_japanese(client, portal):
    for url in page_urls(portal).values():
        text = client.get(f"/en{url}").text

        assert unmarked_japanese(text) == [], url


@pytest.mark.parametrize(("named", "field", "beside"), NAMED_PAGES)
def test_an_english_page_shows_the_english_name_and_marks_the_japanese_one(
    client, portal, named, field, beside
):
    obj = named(portal)
    text = client.get(f"/en{obj.get_absolute_url()}").text

    assert f"<h1>{getattr(obj, f'{field}_en')}</h1>" in text
    assert beside.format(lang="ja", name=getattr(obj, field)) in text


def test_the_english_front_page_names_every_ward_in_english(client, portal):
    home = client.get("/en/").text

    unnamed = [ward.name_en for ward in portal.wards if f">{ward.name_en}</a>" not in home]
    assert not unnamed


def test_english_pages_show_english_pillar_and_department_names(client, portal):
    plan_page = client.get("/en/reform-plan/").text
    ward_page = client.get(f"/en{portal.department.ward.get_absolute_url()}").text
    initiative_page = client.get(f"/en{portal.initiatives[0].get_absolute_url()}").text
    other = portal.department_without_english_name

    for pillar in portal.plan.pillars.all():
        assert f"<h3>{pillar.title_en}</h3>" in plan_page
    assert ">Community Development Section</a>" in ward_page
    assert f'<span lang="ja">{other.name}</span>' in ward_page
    assert (
        f"Community Development Section ({portal.department.ward.name_en})</a>" in initiative_page
    )


def test_english_pages_mark_content_that_exists_only_in_japanese(client, portal):
    initiative = portal.initiatives[0]
    opinion = portal.cases[0].opinions.exclude(topic="").first()

    initiative_page = client.get(f"/en{initiative.get_absolute_url()}").text
    case_page = client.get(f"/en{portal.cases[0].get_absolute_url()}").text
    vision_page = client.get(f"/en{portal.visions[0].get_absolute_url()}").text

    assert f'<h1 lang="ja">{initiative.title}</h1>' in initiative_page
    assert '<div lang="ja">\n  <p>第一段落。</p>' in initiative_page
    assert initiative_page.count('<ul class="points" lang="ja">') == 3
    assert f'<h3 class="opinion__topic" lang="ja">{opinion.topic}</h3>' in case_page
    assert f'<div class="opinion__body" lang="ja"><p>{opinion.body}</p></div>' in case_page
    assert '<ul class="measures" lang="ja">' in vision_page


# --- Fiscal years in both languages -------------------------------------------------


def test_a_vision_page_shows_fiscal_years_with_their_era_in_both_languages(client, portal):
    url = portal.visions[0].get_absolute_url()

    japanese = client.get(url).text
    english = client.get(f"/en{url}").text

    assert "（平成22年度（2010年度））" in japanese
    assert "（平成20年度（2008年度）から）" in japanese
    assert "（令和元年度（2019年度））" in japanese
    assert '<span class="fiscal-year" lang="en">(FY2010 (Heisei 22))</span>' in english
    assert "(from FY2008 (Heisei 20))" in english
    assert "(FY2019 (Reiwa 1))" in english
    assert "年度" not in "".join(text for lang, text in pieces(english) if lang == "en")


def test_initiative_and_case_pages_show_fiscal_years_in_both_languages(client, portal):
    initiative = portal.initiatives[0]
    case = portal.cases[0]

    assert "平成22年度（2010年度）から" in client.get(initiative.get_absolute_url()).text
    assert "from FY2010 (Heisei 22)" in client.get(f"/en{initiative.get_absolute_url()}").text
    assert "（平成22年度（2010年度））" in client.get(case.get_absolute_url()).text
    assert "(FY2010 (Heisei 22))" in client.get(f"/en{case.get_absolute_url()}").text


def test_an_initiatives_aims_and_the_reform_plans_aims_have_their_own_japanese():
    with translation.override("ja"):
        assert str(InitiativePart.AIM.label) == "取組のねらい"
        assert str(Aim._meta.verbose_name_plural) == "ねらい"
