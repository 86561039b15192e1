"""Japanese fiscal years (年度) and their era names (元号).

A fiscal year is stored as the Gregorian year in which it starts (April to March):
平成22年度 is 2010. A calendar year is named by the era in force at its end, which
gives the names the city uses: FY1989 is 平成元年度 and FY2019 is 令和元年度.
"""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

# (first Gregorian year, Japanese name, romanised name), newest first.
ERAS = (
    (2019, "令和", "Reiwa"),
    (1989, "平成", "Heisei"),
    (1926, "昭和", "Shōwa"),
    (1912, "大正", "Taishō"),
    (1868, "明治", "Meiji"),
)
FIRST_ERA_YEAR = ERAS[-1][0]


def era_of(year: int) -> tuple[str, str, int] | None:
    """Return (Japanese era, romanised era, year of the era) or None before Meiji."""
    for first_year, name, romanised in ERAS:
        if year >= first_year:
            return name, romanised, year - first_year + 1
    return None


def japanese_era_year(year: int) -> str:
    """平成22年, 令和元年 — the era year alone, without 度."""
    era = era_of(year)
    if era is None:
        return f"{year}年"
    name, _romanised, number = era
    return f"{name}{'元' if number == 1 else number}年"


def format_fiscal_year(year: int, *, ongoing: bool = False, language: str | None = None) -> str:
    """Both forms of a fiscal year in the active language.

    Japanese: 平成22年度（2010年度）, or 平成20年度（2008年度）から when it runs on.
    English: FY2010 (Heisei 22), or from FY2008 (Heisei 20).
    """
    language = language or get_language() or "ja"
    era = era_of(year)
    if language.startswith("ja"):
        text = f"{japanese_era_year(year)}度（{year}年度）" if era else f"{year}年度"
        return f"{text}から" if ongoing else text
    if era:
        _name, romanised, number = era
        text = f"FY{year} ({romanised} {number})"
    else:
        text = f"FY{year}"
    return _("from %(year)s") % {"year": text} if ongoing else text
