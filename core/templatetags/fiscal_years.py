from django import template

from core.fiscal_years import format_fiscal_year

register = template.Library()


@register.filter
def fiscal_year(year, ongoing=False):
    """``{{ measure.fiscal_year|fiscal_year:measure.ongoing }}`` → 平成20年度（2008年度）から."""
    if year in (None, ""):
        return ""
    return format_fiscal_year(int(year), ongoing=bool(ongoing))
