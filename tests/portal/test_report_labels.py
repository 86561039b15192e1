"""/report/'s labels and dates read as the source prints them, letter for letter: each
label below is looked up in the source text itself, then on the page."""

import html
import re

import pytest
from django.urls import reverse

from initiatives.models import CaseStudy, ReportSection

pytestmark = pytest.mark.django_db

SOURCE_LABELS = [
    "区行政改革の実行計画（第2期）における位置づけ",
    "めざすべき区役所像",
    "「新たな行財政改革プラン」における改革の実現に向けた6つの取組",
    "関連する組織整備等",
    "（平成20年度から）",
    "（平成21年度）",
]
MARKUP = re.compile(r"<[^>]+>")


@pytest.fixture
def page_text(report_page):
    text = report_page.text
    main = text[text.index("<main") : text.index("</main>")]
    return html.unescape(MARKUP.sub("", main))


@pytest.mark.parametrize("label", SOURCE_LABELS)
def test_the_report_page_writes_each_label_as_the_source_does(seed_text, page_text, label):
    assert label in seed_text, "the label is the source's own"
    assert label in page_text


@pytest.mark.parametrize(
    "wrong",
    [
        "での位置付け",
        "（平成20年度（2008年度）から）",
        "（平成21年度（2009年度））",
    ],
)
def test_the_report_page_keeps_no_reworded_label(page_text, wrong):
    assert wrong not in page_text


def test_the_table_of_contents_links_each_part_and_case(client, report_data):
    text = client.get(reverse("initiatives:report")).text
    contents = text[
        text.index('class="report-contents"') : text.index(
            "</nav>", text.index('class="report-contents"')
        )
    ]
    for section in ReportSection.objects.all():
        if f'id="section-{section.number}"' in text:
            assert f'href="#section-{section.number}"' in contents
    for case in CaseStudy.objects.all():
        assert f'href="#case-{case.number}"' in contents
        assert f'id="case-{case.number}"' in text
    assert 'href="#plan-pillars"' in contents
