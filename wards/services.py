"""Account writes that touch several models: the user, its role group, its ward."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wards.models import WardStaffProfile
from wards.roles import STAFF_ROLES, Role


@transaction.atomic
def user_create(*, username: str, password: str, role: Role, ward=None, email: str = ""):
    """Create an account with one role; ward staff are tied to ``ward``.

    Raises ValidationError when the role and the ward do not go together.
    """
    role_check(role=role, ward=ward)
    user = get_user_model().objects.create_user(
        username=username, password=password, email=email, is_staff=role in STAFF_ROLES
    )
    user_set_role(user=user, role=role, ward=ward)
    return user


def role_check(*, role, ward):
    """Raise ValidationError unless the role and the ward go together."""
    if role == Role.WARD_STAFF and ward is None:
        raise ValidationError(_("Ward staff need a ward."), code="ward_required")
    if role != Role.WARD_STAFF and ward is not None:
        raise ValidationError(_("Only ward staff belong to a ward."), code="ward_not_allowed")


@transaction.atomic
def user_set_role(*, user, role: Role, ward=None):
    """Give ``user`` exactly one role: its group (other role groups are left), the staff
    flag that signs in to the admin (ward staff and the secretariat), and, for ward staff,
    the profile tying them to ``ward`` (removed for any other role).

    Raises ValidationError when the role and the ward do not go together.
    """
    role = Role(role)
    role_check(role=role, ward=ward)
    user.is_staff = role in STAFF_ROLES or user.is_superuser
    user.save(update_fields=["is_staff"])
    others = Group.objects.filter(name__in=[r for r in Role.values if r != role])
    user.groups.remove(*others)
    user.groups.add(Group.objects.get(name=role))
    if ward is None:
        WardStaffProfile.objects.filter(user=user).delete()
    else:
        WardStaffProfile.objects.update_or_create(user=user, defaults={"ward": ward})
    for cached in ("_roles", "_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(cached, None)
    # The profile may have been read (and cached) before it changed.
    if "ward_staff_profile" in user._state.fields_cache:
        del user._state.fields_cache["ward_staff_profile"]
    return user
