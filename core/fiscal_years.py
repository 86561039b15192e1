"""Japanese fiscal years (年度) and their era names (元号).

A fiscal year is stored as the Gregorian year in which it starts (April to March):
平成22年度 is 2010. A calendar year is named by the era in force at its end, which
gives the names the city uses: FY1989 is 平成元年度 and FY2019 is 令和元年度.
"""

import calendar
import datetime
import re

from django.utils import timezone
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
# The years a stored fiscal year may take: from Meiji 1 to a bound far enough ahead for any
# plan, so that a typo (20100) is refused by forms, imports and the database alike.
FIRST_ERA_YEAR = ERAS[-1][0]
LAST_YEAR = 2200
ERA_YEAR = re.compile(r"^(?P<era>\D+?)(?P<number>元|\d+)年度?$")


def current_fiscal_year() -> int:
    """The fiscal year of today in Japan: April to March."""
    today = timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


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


def parse_fiscal_year(value) -> int | None:
    """2010, "2010", "2010年度", "平成22年度", "令和元年度" → the Gregorian starting year."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    text = text.removesuffix("年度") if text.rstrip("年度").isdigit() else text
    if text.isdigit():
        year = int(text)
    else:
        match = ERA_YEAR.match(text)
        firsts = {name: first for first, name, _romanised in ERAS}
        if not match or match["era"] not in firsts:
            raise ValueError(
                _("%(value)s is not a fiscal year: write 2010 or 平成22年度.") % {"value": value}
            )
        number = 1 if match["number"] == "元" else int(match["number"])
        year = firsts[match["era"]] + number - 1
    if not FIRST_ERA_YEAR <= year <= LAST_YEAR:
        raise ValueError(
            _("%(value)s is not a fiscal year between %(first)s and %(last)s.")
            % {"value": value, "first": FIRST_ERA_YEAR, "last": LAST_YEAR}
        )
    return year


def fiscal_year_of(day: datetime.date) -> int:
    """The fiscal year a date falls in: April to March, named by the year it starts."""
    return day.year if day.month >= 4 else day.year - 1


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` months earlier, or the month's last day where it has
    fewer days (12 months before 2028-02-29 is 2027-02-28)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# The first day of each era (the Japanese calendar's dates change era on these days).
ERA_FIRST_DAYS = (
    (datetime.date(2019, 5, 1), "令和"),
    (datetime.date(1989, 1, 8), "平成"),
    (datetime.date(1926, 12, 25), "昭和"),
    (datetime.date(1912, 7, 30), "大正"),
    (datetime.date(1868, 10, 23), "明治"),
)


def format_date(day: datetime.date, *, language: str | None = None) -> str:
    """A date in the active language: 令和7年12月1日 (era by the day), or 1 December 2025."""
    language = language or get_language() or "ja"
    if language.startswith("ja"):
        for first_day, name in ERA_FIRST_DAYS:
            if day >= first_day:
                number = day.year - first_day.year + 1
                return f"{name}{'元' if number == 1 else number}年{day.month}月{day.day}日"
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"
