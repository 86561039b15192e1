"""Names in two languages.

Wards, departments, visions, pillars, case studies and report sections are named in
Japanese, and most also have an English name (``name_en``, ``title_en``). The Japanese
pages show the Japanese name; the English pages show the English name where there is
one and fall back to the Japanese name, which then needs ``lang="ja"`` around it.
"""

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


class BilingualName:
    """A model named in Japanese in ``name_field`` with its English name in ``<name_field>_en``."""

    name_field = "name"

    @property
    def display_name(self) -> str:
        """The name in the active language, as plain text (titles, breadcrumbs)."""
        return localized(self)[0]
