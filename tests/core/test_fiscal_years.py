import pytest
from django.utils import translation

from core.fiscal_years import era_of, format_fiscal_year, japanese_era_year


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2010, "平成22年度（2010年度）"),
        (1988, "昭和63年度（1988年度）"),
        (1989, "平成元年度（1989年度）"),
        (1990, "平成2年度（1990年度）"),
        (2018, "平成30年度（2018年度）"),
        (2019, "令和元年度（2019年度）"),
        (2020, "令和2年度（2020年度）"),
        (1926, "昭和元年度（1926年度）"),
        (1912, "大正元年度（1912年度）"),
        (1868, "明治元年度（1868年度）"),
        (1867, "1867年度"),
    ],
)
def test_a_fiscal_year_shows_its_era_and_gregorian_year_in_japanese(year, expected):
    assert format_fiscal_year(year, language="ja") == expected


def test_an_ongoing_measure_shows_from_its_first_year():
    assert format_fiscal_year(2008, ongoing=True, language="ja") == "平成20年度（2008年度）から"


def test_english_shows_the_romanised_era():
    with translation.override("en"):
        assert format_fiscal_year(2010) == "FY2010 (Heisei 22)"
        assert format_fiscal_year(2019) == "FY2019 (Reiwa 1)"
        assert format_fiscal_year(2008, ongoing=True) == "from FY2008 (Heisei 20)"


def test_the_active_language_decides_the_form():
    with translation.override("ja"):
        assert format_fiscal_year(2011) == "平成23年度（2011年度）"


def test_era_of_gives_the_year_within_the_era():
    assert era_of(2011) == ("平成", "Heisei", 23)
    assert era_of(1800) is None
    assert japanese_era_year(2019) == "令和元年"
