import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from tests.factories import ward
from wards.roles import GROUP_PERMISSIONS, Role, sync_groups

pytestmark = pytest.mark.django_db


def permission_names(group):
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


@pytest.mark.parametrize("role", Role.values)
def test_each_role_group_exists_after_migrate_with_exactly_its_permissions(role):
    group = Group.objects.get(name=role)

    assert permission_names(group) == set(GROUP_PERMISSIONS[role])


def test_syncing_groups_again_restores_a_permission_removed_by_hand():
    group = Group.objects.get(name=Role.WARD_STAFF)
    group.permissions.clear()

    sync_groups()

    assert permission_names(group) == set(GROUP_PERMISSIONS[Role.WARD_STAFF])


def test_ward_staff_read_the_report_but_cannot_change_it():
    names = set(GROUP_PERMISSIONS[Role.WARD_STAFF])

    assert "initiatives.view_vision" in names
    assert "initiatives.change_vision" not in names
    assert "initiatives.change_casestudy" not in names
    assert "initiatives.change_reformplan" not in names
    assert "auth.change_user" not in names


def test_ward_staff_read_only_the_visions_and_cases_they_link_to_not_the_reports_internals():
    names = set(GROUP_PERMISSIONS[Role.WARD_STAFF])

    assert {"initiatives.view_vision", "initiatives.view_casestudy"} <= names
    for internal in ["figurepanel", "footnote", "sectionpoint", "reportsection", "report"]:
        assert f"initiatives.view_{internal}" not in names
    assert "wards.view_ward" not in names


def test_only_the_secretariat_manages_accounts_and_moderates():
    assert "auth.add_user" in GROUP_PERMISSIONS[Role.SECRETARIAT]
    assert "feedback.change_opinion" in GROUP_PERMISSIONS[Role.SECRETARIAT]
    assert "feedback.change_opinion" not in GROUP_PERMISSIONS[Role.WARD_STAFF]


def test_add_user_creates_ward_staff_tied_to_their_ward(monkeypatch):
    ward("saiwai")
    monkeypatch.setenv("PASSWORD", "a-long-enough-password-1")

    call_command("add_user", "sato", "--role", "ward-staff", "--ward", "saiwai")

    user = get_user_model().objects.get(username="sato")
    assert user.is_staff
    assert user.check_password("a-long-enough-password-1")
    assert list(user.groups.values_list("name", flat=True)) == ["ward-staff"]
    assert user.ward_staff_profile.ward.slug == "saiwai"


def test_add_user_makes_committee_members_without_admin_access(monkeypatch):
    monkeypatch.setenv("PASSWORD", "a-long-enough-password-1")

    call_command("add_user", "suzuki", "--role", "committee")

    user = get_user_model().objects.get(username="suzuki")
    assert not user.is_staff
    assert user.groups.get().name == "committee"


def test_add_user_asks_for_the_password_when_the_environment_has_none(monkeypatch):
    monkeypatch.delenv("PASSWORD", raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt: "a-long-enough-password-2")

    call_command("add_user", "tanaka", "--role", "secretariat")

    assert (
        get_user_model().objects.get(username="tanaka").check_password("a-long-enough-password-2")
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--role", "mayor"], "Unknown role 'mayor'"),
        (["--role", "ward-staff"], "Ward staff need --ward"),
        (["--role", "ward-staff", "--ward", "atlantis"], "Unknown ward 'atlantis'"),
        (["--role", "secretariat", "--ward", "saiwai"], "Only ward staff take --ward"),
    ],
)
def test_add_user_refuses_a_bad_role_or_ward_and_creates_nobody(monkeypatch, arguments, message):
    ward("saiwai")
    monkeypatch.setenv("PASSWORD", "a-long-enough-password-1")

    with pytest.raises(CommandError, match=message):
        call_command("add_user", "ito", *arguments)

    assert not get_user_model().objects.filter(username="ito").exists()


def test_add_user_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("PASSWORD", "123")

    with pytest.raises(CommandError):
        call_command("add_user", "kato", "--role", "secretariat")

    assert not get_user_model().objects.filter(username="kato").exists()
