import datetime

from django import template
from django.utils import timezone

from core.fiscal_years import format_date, format_fiscal_year, japanese_era_year

register = template.Library()


@register.filter
def fiscal_year(year, ongoing=False):
    """``{{ measure.fiscal_year|fiscal_year:measure.ongoing }}`` → 平成20年度（2008年度）から."""
    if year in (None, ""):
        return ""
    return format_fiscal_year(int(year), ongoing=bool(ongoing))


@register.filter
def era_fiscal_year(year, ongoing=False):
    """``{{ 2008|era_fiscal_year:True }}`` → 平成20年度から: the era year alone, as the report
    prints it (the Gregorian year goes in an element of its own: ``gregorian_fiscal_year``)."""
    if year in (None, ""):
        return ""
    text = f"{japanese_era_year(int(year))}度"
    return f"{text}から" if ongoing else text


@register.filter
def gregorian_fiscal_year(year):
    """``{{ 2008|gregorian_fiscal_year }}`` → 2008年度."""
    if year in (None, ""):
        return ""
    return f"{int(year)}年度"


@register.filter
def era_date(value):
    """``{{ report.published_at|era_date }}`` → 令和7年12月1日 (1 December 2025 in English);
    a time is shown as its local date."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return format_date(value)
