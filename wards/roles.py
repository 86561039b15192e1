"""The portal's roles, and who may do what. Each role is a Django group of the same name.

``GROUP_PERMISSIONS`` is the one place that says what each role may do; ``sync_groups``
makes the groups match it after every ``migrate`` (see ``wards.apps``), so that no one
sets a group up by hand and a new model's permissions reach the groups with its migration.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    WARD_STAFF = "ward-staff", _("ward staff")  # 区職員
    SECRETARIAT = "secretariat", _("secretariat")  # 事務局
    COMMITTEE = "committee", _("committee member")  # 自治推進委員


CRUD = ("view", "add", "change", "delete")

# The report's structure: ward staff read it, the secretariat curates it.
REPORT_MODELS = (
    "initiatives.report",
    "initiatives.reportsection",
    "initiatives.sectionpoint",
    "initiatives.footnote",
    "initiatives.figurepanel",
    "initiatives.vision",
    "initiatives.focusarea",
    "initiatives.measure",
    "initiatives.reformplan",
    "initiatives.aim",
    "initiatives.pillar",
    "initiatives.pillaritem",
    "initiatives.practicalinitiative",
    "initiatives.casestudy",
    "initiatives.organisationalchange",
)
# What ward staff link their initiatives to, and may read: the visions and the cases. The
# rest of the report's structure (図の枠, 脚注, 報告書の項目 …) is the secretariat's alone,
# so that a ward's admin lists only what its staff work with.
LINKED_REPORT_MODELS = ("initiatives.vision", "initiatives.casestudy")
# A ward's own content: ward staff curate their ward's rows (the admin scopes them).
WARD_CONTENT_MODELS = (
    "initiatives.initiative",
    "initiatives.initiativepoint",
    "initiatives.photo",
    "initiatives.commitment",
    "initiatives.progressreport",
    "wards.department",
)
ACCOUNT_MODELS = ("auth.user", "wards.wardstaffprofile")
# Curating every ward's content rather than one's own (see ``sees_every_ward``).
EVERY_WARD = "wards.curate_every_ward"
# Residents' proposals: the proposal's ward's staff (the secretariat for any ward) moderate
# them and link them to an initiative, and answer them; nobody adds one in the admin.
PROPOSAL_PERMISSIONS = [
    "proposals.view_proposal",
    "proposals.change_proposal",
    "proposals.view_answer",
    "proposals.add_answer",
    "proposals.change_answer",
    "proposals.view_historicalanswer",
]


def _perms(models_, actions):
    perms = []
    for model in models_:
        app_label, model_name = model.split(".")
        perms += [f"{app_label}.{action}_{model_name}" for action in actions]
    return perms


GROUP_PERMISSIONS: dict[str, list[str]] = {
    Role.WARD_STAFF: [
        *_perms(WARD_CONTENT_MODELS, CRUD),
        *_perms(LINKED_REPORT_MODELS, ("view",)),
        "initiatives.import_initiative",
        "initiatives.export_initiative",
        "wards.import_department",
        "wards.export_department",
        *PROPOSAL_PERMISSIONS,
    ],
    Role.SECRETARIAT: [
        *_perms(WARD_CONTENT_MODELS, CRUD),
        *_perms(REPORT_MODELS, CRUD),
        *_perms(("wards.ward",), CRUD),
        *_perms(ACCOUNT_MODELS, CRUD),
        EVERY_WARD,
        "auth.view_group",
        "initiatives.import_initiative",
        "initiatives.export_initiative",
        "wards.import_department",
        "wards.export_department",
        # Moderation of committee members' comments.
        *_perms(("feedback.opinion",), CRUD),
        *PROPOSAL_PERMISSIONS,
        "proposals.delete_proposal",
    ],
    # Committee members post comments on the public site; they have no admin access.
    Role.COMMITTEE: ["feedback.add_opinion"],
}

# Who may sign in to the admin (is_staff).
STAFF_ROLES = (Role.WARD_STAFF, Role.SECRETARIAT)


def sync_groups(using="default"):
    """Create the role groups and give each exactly the permissions of GROUP_PERMISSIONS."""
    from django.contrib.auth.models import Group, Permission

    for role, names in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        wanted = {tuple(name.split(".")) for name in names}
        permissions = [
            permission
            for permission in Permission.objects.using(using).select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        missing = wanted - {(p.content_type.app_label, p.codename) for p in permissions}
        if missing:
            raise LookupError(f"Unknown permissions for {role}: {sorted(missing)}")
        group.permissions.set(permissions)


def sees_every_ward(user) -> bool:
    """The secretariat and superusers curate every ward; everyone else at most their own.

    A permission, not a group name, so that a role given it later needs no code; Django's
    backend caches the user's permissions for the request."""
    return user.has_perm(EVERY_WARD)


def ward_of(user):
    """The ward a ward-staff account curates, or None."""
    profile = getattr(user, "ward_staff_profile", None)
    return profile.ward if profile is not None else None


def roles_of(user) -> frozenset[str]:
    """The names of the user's role groups, read once per request (cached on the user)."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_roles"):
        user._roles = frozenset(user.groups.values_list("name", flat=True))
    return user._roles


def role_of(user) -> Role | None:
    """The account's one role, or None (an account with none, or a superuser's own)."""
    for role in Role:
        if role in roles_of(user):
            return role
    return None


# Roles whose accounts are told of things by e-mail (comments to moderate, replies).
NOTIFIED_ROLES = (Role.SECRETARIAT, Role.COMMITTEE)


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
