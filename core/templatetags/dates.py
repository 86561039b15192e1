"""``{% load dates %}``: ``{{ moment|era_date }}`` → 令和8年12月1日（2026年12月1日）, the day
in the site's time zone (core.dates)."""

import datetime

from django import template
from django.utils import timezone

from core import dates

register = template.Library()


def _local_day(value) -> datetime.date:
    """A date as it is; a moment as the day it falls on in the site's time zone."""
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value)
    return value


@register.filter
def era_date(value) -> str:
    return dates.era_date(_local_day(value)) if value else ""


@register.filter
def iso_date(value) -> str:
    """The day for ``<time datetime>``, in the site's time zone."""
    return _local_day(value).isoformat() if value else ""
