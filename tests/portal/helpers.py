"""What the page tests share."""

from django.utils import translation


def names(response):
    return [template.name for template in response.templates]


def japanese(text):
    """The text as the Japanese interface shows it (once the catalogs come)."""
    with translation.override("ja"):
        return str(translation.gettext(text))
