"""``{% load dates %}``: ``{{ moment|era_date }}`` → 令和8年12月1日（2026年12月1日）, the day
in the site's time zone (core.dates)."""

import datetime

from django import template
from django.utils import timezone

from core import dates

register = template.Library()


@register.filter
def era_date(value) -> str:
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return dates.era_date(value)


@register.filter
def iso_date(value) -> str:
    """The day for ``<time datetime>``, in the site's time zone."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return value.isoformat()
