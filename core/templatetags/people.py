"""``{% load people %}``: ``user|display_name`` for others' eyes, ``user|own_name`` for the
header (core.people)."""

from django import template

from core import people

register = template.Library()


@register.filter
def display_name(user) -> str:
    return people.display_name(user)


@register.filter
def own_name(user) -> str:
    return people.own_name(user)
