"""How a person is named on the public pages: by their name, never by their sign-in name."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _


def full_name(user) -> str:
    """The user's name as they set it: family name first in Japanese (川崎 花子), given
    name first in English for names written in Latin letters (Hanako Kawasaki)."""
    first = (user.first_name or "").strip()
    last = (user.last_name or "").strip()
    if not (first or last):
        return ""
    latin = (first + last).isascii()
    if latin and (get_language() or "ja").startswith("en"):
        return " ".join(part for part in (first, last) if part)
    return " ".join(part for part in (last, first) if part)


def display_name(user) -> str:
    """The name shown to others: the user's name, or 「委員」 when none is set. The sign-in
    name is never shown to others: it is half of what signs in."""
    if user is None:
        return ""
    return full_name(user) or _("Committee member")


def own_name(user) -> str:
    """The name shown to the user themselves (the header): their name, else their sign-in
    name, which they know already."""
    return full_name(user) or user.get_username()
