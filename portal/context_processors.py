"""What every page's header needs to know about the person reading it."""

from core.people import own_name
from wards.roles import is_committee_member, is_secretariat


def account(request) -> dict:
    """``account``: the signed-in user's name and the links their roles open
    (includes/account.html, and the admin's moderation link). Nothing for a visitor.

    Queries: the user's roles once a request (wards.roles caches them on the user).
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"account": None}
    return {
        "account": {
            "name": own_name(user),
            "is_committee_member": is_committee_member(user),
            "is_secretariat": is_secretariat(user),
            "is_staff": user.is_staff,
        }
    }
