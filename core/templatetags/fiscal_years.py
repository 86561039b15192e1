import datetime

from django import template
from django.utils import timezone

from core.fiscal_years import format_date, format_fiscal_year

register = template.Library()


@register.filter
def fiscal_year(year, ongoing=False):
    """``{{ measure.fiscal_year|fiscal_year:measure.ongoing }}`` → 平成20年度（2008年度）から."""
    if year in (None, ""):
        return ""
    return format_fiscal_year(int(year), ongoing=bool(ongoing))


@register.filter
def era_date(value):
    """``{{ report.published_at|era_date }}`` → 令和7年12月1日 (1 December 2025 in English);
    a time is shown as its local date."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return format_date(value)
