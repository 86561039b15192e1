"""``{{ user|display_name }}``: a person as the public pages name them."""

from django import template

from wards.roles import display_name as _display_name

register = template.Library()


@register.filter
def display_name(user) -> str:
    return _display_name(user)
