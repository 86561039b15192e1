"""Template helpers for the two languages: localized names and the language switch."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language, override

from core.names import localized, localized_html, marked_japanese, names
from core.translated_urls import translated_url

register = template.Library()


@register.filter
def localized_name(obj, field=None):
    """``{{ ward|localized_name }}``: the name in the page's language.

    On an English page without an English name, the Japanese name is wrapped in
    ``<span lang="ja">``. ``field`` picks another pair of attributes:
    ``{{ case|localized_name:"label" }}`` reads ``label`` and ``label_en``.
    """
    return localized_html(obj, field)


@register.filter
def alternate_name(obj, field=None):
    """``{{ vision|alternate_name }}``: the name in the other language, marked with its
    ``lang``, or an empty string when the object has only its Japanese name."""
    japanese, english = names(obj, field)
    if not english:
        return ""
    if localized(obj, field)[1] == "en":
        return format_html('<span lang="ja">{}</span>', japanese)
    return format_html('<span lang="en">{}</span>', english)


@register.filter
def japanese(text):
    """``{{ initiative.title|japanese }}``: text that exists only in Japanese, marked
    ``lang="ja"`` when it stands inside an English page's sentence."""
    return marked_japanese(text)


@register.simple_tag(takes_context=True)
def language_url(context, language):
    """This page's address in ``language``, with its query string.

    A path that resolves to no page (a 404) has no counterpart: its switch leads to
    the front page in that language.
    """
    request = context["request"]
    current = request.get_full_path()
    url = translated_url(request, current, language)
    if url == current and language != get_language():
        with override(language):
            return reverse("home")
    return url
