import json

import pytest
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from portal import accessibility
from tests.portal.helpers import answered

pytestmark = pytest.mark.django_db


@pytest.fixture
def results_file(tmp_path, monkeypatch):
    """Point the policy page at a results file of the test's own."""

    def write(data):
        path = tmp_path / "accessibility_results.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        monkeypatch.setattr(accessibility, "RESULTS_FILE", path)

    return write


@pytest.mark.parametrize(
    ("prefix", "fragments"),
    [
        pytest.param(
            "",
            [
                "JIS X 8341-3:2016 の適合レベルAAに準拠",
                "対象範囲",
                "本ポータルの全ての公開ページ",
                '<time datetime="2026-11-28">2026年11月28日</time>',
                # The methods.
                "axe-core",
                "Nu HTML Checker",
                "キーボードだけによる操作の試験",
            ],
            id="japanese",
        ),
        pytest.param(
            "/en",
            [
                "Conforming to JIS X 8341-3:2016 level AA",
                '<span lang="ja">JIS X 8341-3:2016 の適合レベルAAに準拠</span>',
                '<time datetime="2026-11-28">28 November 2026</time>',
                "Every public page of the portal",
            ],
            id="english",
        ),
    ],
)
def test_the_policy_states_the_target_scope_date_and_methods(client, prefix, fragments):
    text = answered(client, prefix + reverse("accessibility")).text

    missing = [fragment for fragment in fragments if fragment not in text]
    assert not missing


def test_the_results_table_shows_the_recorded_figures(client, results_file):
    results_file(
        {
            "tested_on": "2026-11-27",
            "environment": "Chromium 131, axe-core 4.10, vnu 24.10",
            "pages": [
                {
                    "page_type": "ward-list",
                    "path": "/wards/",
                    "axe_violations": 0,
                    "html_errors": 2,
                    "keyboard": "pass",
                }
            ],
        }
    )

    response = client.get("/en" + reverse("accessibility"))

    text = response.text
    assert "Tested on Nov. 27, 2026." in text
    assert "Chromium 131, axe-core 4.10, vnu 24.10" in text
    assertInHTML(
        """<tr><th scope="row">Ward list</th><td><code>/wards/</code></td>
        <td class="number">0</td><td class="number">2</td><td>pass</td></tr>""",
        text,
    )
    assert "not tested" not in text


def test_a_figure_not_yet_measured_shows_as_not_tested_never_as_zero(client, results_file):
    results_file(
        {
            "tested_on": None,
            "pages": [{"page_type": "home", "path": "/", "axe_violations": None}],
        }
    )

    response = client.get("/en" + reverse("accessibility"))

    assert "No test run has been recorded yet" in response.text
    assert response.text.count("not tested") == 3
    assert '<td class="number">0</td>' not in response.text


def test_the_shipped_results_file_lists_every_page_type():
    results = accessibility.load_results()

    assert [page.page_type for page in results.pages] == list(accessibility.PAGE_TYPES)
    assert all(page.path.startswith("/") for page in results.pages)


def test_the_results_table_has_headers_for_rows_and_columns(client):
    text = client.get(reverse("accessibility")).text

    assert "<caption" in text
    assert text.count('<th scope="col">') == 5
    assert text.count('<th scope="row">') == len(accessibility.PAGE_TYPES)


@pytest.mark.parametrize("url_name", ["home", "wards:list", "accessibility"])
def test_every_page_links_to_the_policy_from_the_footer(client, url_name):
    text = client.get(reverse(url_name)).text

    footer = text.split("<footer")[1]
    assert f'href="{reverse("accessibility")}"' in footer


def test_the_policy_page_costs_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get(reverse("accessibility")).status_code == 200
