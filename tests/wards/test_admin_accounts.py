"""Accounts by role: the admin asks for one role and sets everything that goes with it."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.test import Client

from tests.admin_forms import form_data
from tests.factories import ward
from wards.roles import Role

pytestmark = pytest.mark.django_db

ADD = "/admin/auth/user/add/"
PASSWORD = "kawasaki-wards-2026"


def add_account(client, **fields):
    data = form_data(client.get(ADD), "user_form")
    data |= {"usable_password": "true", "password1": PASSWORD, "password2": PASSWORD}
    return client.post(ADD, data | fields)


def models_in_admin(client):
    index = client.get("/admin/")
    return {m["object_name"] for app in index.context["app_list"] for m in app["models"]}


def sign_in(username):
    """A new browser that signs in through the admin's real sign-in form."""
    browser = Client()
    response = browser.post(
        "/admin/login/?next=/admin/", {"username": username, "password": PASSWORD}
    )
    return browser, response


def test_an_account_made_as_ward_staff_signs_in_and_sees_exactly_its_wards_work(
    client, secretariat
):
    saiwai = ward("saiwai")
    client.force_login(secretariat)

    response = add_account(
        client,
        username="sato",
        last_name="佐藤",
        first_name="一郎",
        email="",
        role="ward-staff",
        ward=str(saiwai.pk),
    )

    assert response.status_code == 302
    user = get_user_model().objects.get(username="sato")
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == ["ward-staff"]
    assert user.ward_staff_profile.ward == saiwai
    browser, signed_in = sign_in("sato")
    assert signed_in.status_code == 302
    # What they edit (their ward's initiatives, photos, departments, commitments and their
    # progress reports; the proposals to their ward and the answers), and the visions and
    # cases they link to.
    assert models_in_admin(browser) == {
        "Initiative",
        "Photo",
        "Department",
        "Vision",
        "CaseStudy",
        "Commitment",
        "ProgressReport",
        "Proposal",
        "Answer",
    }
    vision_list = browser.get("/admin/initiatives/vision/")
    assert vision_list.status_code == 200
    assert not vision_list.context["has_add_permission"]
    assert browser.get("/admin/initiatives/footnote/").status_code == 403
    assert browser.get("/admin/auth/user/").status_code == 403


def test_an_account_made_for_the_secretariat_sees_everything_it_curates(client, secretariat):
    client.force_login(secretariat)

    add_account(client, username="suzuki", email="suzuki@example.jp", role="secretariat")

    browser, signed_in = sign_in("suzuki")
    assert signed_in.status_code == 302
    seen = models_in_admin(browser)
    assert {"Initiative", "Footnote", "FigurePanel", "User", "Opinion", "Ward"} <= seen


def test_a_committee_member_signs_in_on_the_site_but_not_in_the_admin(client, secretariat):
    client.force_login(secretariat)

    add_account(
        client,
        username="iin",
        last_name="川崎",
        first_name="花子",
        role="committee",
        email="iin@example.jp",
    )

    user = get_user_model().objects.get(username="iin")
    assert not user.is_staff
    assert user.groups.get().name == "committee"
    site = Client()
    assert (
        site.post("/accounts/login/", {"username": "iin", "password": PASSWORD}).status_code == 302
    )
    assert site.get("/admin/").status_code == 302


def test_ward_staff_without_a_ward_are_refused_and_nobody_is_created(client, secretariat):
    client.force_login(secretariat)

    response = add_account(client, username="mukyoku", role="ward-staff", ward="")

    assert response.status_code == 200
    assert "区職員には区が必要です。" in response.content.decode()
    assert not get_user_model().objects.filter(username="mukyoku").exists()


@pytest.mark.parametrize("role", ["secretariat", "committee"])
def test_an_account_that_should_be_notified_but_has_no_e_mail_is_warned_of(
    client, secretariat, role
):
    client.force_login(secretariat)

    response = add_account(client, username="nomail", role=role, email="")

    warnings = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("メールアドレスがない" in m for m in warnings), warnings
    listing = client.get("/admin/auth/user/").content.decode()
    assert "通知が届きません" in listing


def test_changing_the_role_moves_the_staff_flag_group_and_ward_together(client, secretariat):
    client.force_login(secretariat)
    add_account(client, username="ido", role="ward-staff", ward=str(ward("saiwai").pk))
    user = get_user_model().objects.get(username="ido")
    url = f"/admin/auth/user/{user.pk}/change/"
    page = client.get(url)
    assert page.context["adminform"].form["role"].value() == Role.WARD_STAFF

    data = form_data(page, "user_form") | {"role": "committee", "ward": "", "email": "i@x.jp"}
    assert client.post(url, data).status_code == 302

    user.refresh_from_db()
    assert not user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == ["committee"]
    assert not hasattr(user, "ward_staff_profile")


def test_roles_show_in_japanese_in_the_account_list(client, secretariat, saiwai_staff):
    client.force_login(secretariat)

    page = client.get("/admin/auth/user/").content.decode()

    assert "区職員" in page
    assert "事務局" in page
    assert ">ward-staff<" not in page


def test_public_pages_name_a_member_family_name_first(client):
    from core.people import display_name
    from tests.factories import UserFactory

    assert (
        display_name(UserFactory(username="u1", last_name="山田", first_name="花子")) == "山田 花子"
    )
    assert display_name(UserFactory(username="u2")) != "u2"
