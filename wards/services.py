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
    if role == Role.WARD_STAFF and ward is None:
        raise ValidationError(_("Ward staff need a ward."), code="ward_required")
    if role != Role.WARD_STAFF and ward is not None:
        raise ValidationError(_("Only ward staff belong to a ward."), code="ward_not_allowed")
    user = get_user_model().objects.create_user(
        username=username, password=password, email=email, is_staff=role in STAFF_ROLES
    )
    user.groups.add(Group.objects.get(name=role))
    if ward is not None:
        WardStaffProfile.objects.create(user=user, ward=ward)
    return user
