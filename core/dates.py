"""Calendar dates in both forms: 令和8年12月1日（2026年12月1日）.

A date's era begins on the era's first day (令和 on 1 May 2019), unlike a fiscal year's,
which takes the era in force at its end (core.fiscal_years).
"""

import datetime

from django.utils.translation import get_language

# (first day, Japanese name, romanised name), newest first.
ERA_STARTS = [
    (datetime.date(2019, 5, 1), "令和", "Reiwa"),
    (datetime.date(1989, 1, 8), "平成", "Heisei"),
    (datetime.date(1926, 12, 25), "昭和", "Shōwa"),
]

ENGLISH_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
]  # fmt: skip


def era_date(day: datetime.date, *, language: str | None = None) -> str:
    """``day`` in the era and in the Gregorian calendar, in the active language."""
    language = language or get_language() or "ja"
    era = next(((name, roman, start) for start, name, roman in ERA_STARTS if day >= start), None)
    if language.startswith("ja"):
        gregorian = f"{day.year}年{day.month}月{day.day}日"
        if era is None:
            return gregorian
        name, _roman, start = era
        number = day.year - start.year + 1
        return f"{name}{'元' if number == 1 else number}年{day.month}月{day.day}日（{gregorian}）"
    gregorian = f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"
    if era is None:
        return gregorian
    _name, roman, start = era
    return f"{gregorian} ({roman} {day.year - start.year + 1})"
