"""Tags for ``includes/meta.html``; the rules live in ``core.seo``."""

from django import template
from django.conf import settings

from core.seo import OG_LOCALES, canonical_path
from core.translated_urls import translated_url

register = template.Library()


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """``<link rel="canonical">``: this page's absolute address without tracking parameters."""
    request = context["request"]
    return request.build_absolute_uri(canonical_path(request, context.get("view")))


@register.simple_tag(takes_context=True)
def language_alternates(context) -> list[tuple[str, str]]:
    """``[(hreflang, absolute url), …]`` for every language, then ``x-default`` (Japanese)."""
    request = context["request"]
    path = canonical_path(request, context.get("view"))
    urls = {
        code: request.build_absolute_uri(translated_url(request, path, code))
        for code, _name in settings.LANGUAGES
    }
    return [*urls.items(), ("x-default", urls[settings.LANGUAGE_CODE])]


@register.filter
def og_locale(language_code: str) -> str:
    return OG_LOCALES.get(language_code, language_code)


@register.simple_tag
def other_og_locales(language_code: str) -> list[str]:
    return [locale for code, locale in OG_LOCALES.items() if code != language_code]
