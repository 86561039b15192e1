"""Names in two languages.

Wards, departments, visions, pillars, case studies and report sections are named in
Japanese, and most also have an English name (``name_en``, ``title_en``). The Japanese
pages show the Japanese name; the English pages show the English name where there is
one and fall back to the Japanese name, which then needs ``lang="ja"`` around it so that
screen readers read it as Japanese.
"""

from django.utils.html import format_html
from django.utils.translation import get_language


def japanese_is_active() -> bool:
    return (get_language() or "ja").startswith("ja")


def names(obj, field: str | None = None) -> tuple[str, str]:
    """The (Japanese, English) pair of ``field`` and ``field_en``; English may be empty."""
    field = field or obj.name_field
    return getattr(obj, field), getattr(obj, f"{field}_en", "") or ""


def localized(obj, field: str | None = None) -> tuple[str, str]:
    """The (text, language code) of the name to show in the active language."""
    japanese, english = names(obj, field)
    if english and not japanese_is_active():
        return english, "en"
    return japanese, "ja"


def marked_japanese(text):
    """Text that exists only in Japanese, wrapped in ``lang="ja"`` on a page in another
    language; unchanged (and so escaped where it is shown) on a Japanese page."""
    if japanese_is_active() or not text:
        return text
    return format_html('<span lang="ja">{}</span>', text)


def localized_html(obj, field: str | None = None):
    """The name in the active language, marked ``lang="ja"`` when it had to fall back."""
    text, language = localized(obj, field)
    return marked_japanese(text) if language == "ja" else text


class BilingualName:
    """A model named in Japanese in ``name_field`` with its English name in ``<name_field>_en``."""

    name_field = "name"

    @property
    def display_name(self) -> str:
        """The name in the active language, as plain text (page titles)."""
        return localized(self)[0]
