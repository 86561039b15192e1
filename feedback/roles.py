"""Who may do what with comments. Roles are the groups named by ``wards.roles.Role``."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from wards.roles import Role


def roles_of(user) -> frozenset[str]:
    """The names of the user's groups, read once per request (cached on the user)."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_feedback_roles"):
        user._feedback_roles = frozenset(user.groups.values_list("name", flat=True))
    return user._feedback_roles


def is_committee_member(user) -> bool:
    return user.is_active and Role.COMMITTEE in roles_of(user)


def is_secretariat(user) -> bool:
    return user.is_active and (user.is_superuser or Role.SECRETARIAT in roles_of(user))


def _role_required(test):
    """Anonymous visitors are sent to sign in; signed-in users without the role get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


committee_member_required = _role_required(is_committee_member)
secretariat_required = _role_required(is_secretariat)
