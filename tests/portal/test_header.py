"""The header knows who reads the page: name, own comments, sign-out, and by role the
moderation queue and the admin. The admin links the moderation queue too."""

import pytest
from django.urls import reverse

from tests.factories import user_with_role
from wards.roles import Role

pytestmark = pytest.mark.django_db

MY_COMMENTS = "自分のコメント"
MODERATION = "モデレーション"
ADMIN = "管理画面"


def header(response) -> str:
    text = response.text
    return text[text.index('<header class="site-header">') : text.index("</header>")]


def test_a_visitor_sees_no_account_in_the_header(client):
    part = header(client.get(reverse("home")))
    assert "ログアウト" not in part
    assert MY_COMMENTS not in part


@pytest.mark.parametrize(
    ("role", "ward", "links", "absent"),
    [
        (Role.COMMITTEE, None, [MY_COMMENTS], [MODERATION, ADMIN]),
        (Role.SECRETARIAT, None, [MODERATION, ADMIN], [MY_COMMENTS]),
        (Role.WARD_STAFF, "saiwai", [ADMIN], [MODERATION, MY_COMMENTS]),
    ],
)
def test_a_signed_in_user_sees_their_name_and_the_links_of_their_role(
    client, role, ward, links, absent
):
    user = user_with_role(role, ward, username="login-name", first_name="花子", last_name="川崎")
    client.force_login(user)
    part = header(client.get(reverse("initiatives:reform-plan")))
    assert "川崎 花子" in part
    assert "login-name" not in part
    for link in links:
        assert f">{link}</a>" in part
    for link in absent:
        assert f">{link}</a>" not in part
    # ログアウト is a POST form of its own, apart from the links.
    logout = part[part.index('<form class="account__logout"') :]
    assert 'method="post"' in logout[:120]
    assert f'action="{reverse("logout")}"' in logout[:200]
    assert "ログアウト" in logout


def test_a_user_without_a_name_sees_their_sign_in_name_only_in_their_own_header(client):
    user = user_with_role(Role.COMMITTEE, username="iin-nameless")
    client.force_login(user)
    assert "iin-nameless" in header(client.get(reverse("home")))


def test_the_admin_links_the_moderation_queue_for_the_secretariat(client, secretariat):
    client.force_login(secretariat)
    response = client.get(reverse("admin:index"))
    assert f'href="{reverse("feedback:moderation")}"' in response.text


def test_the_admin_shows_ward_staff_no_moderation_link(client, saiwai_staff):
    client.force_login(saiwai_staff)
    response = client.get(reverse("admin:index"))
    assert reverse("feedback:moderation") not in response.text


def test_there_is_no_password_reset_by_mail(client):
    assert client.get("/accounts/password_reset/").status_code == 404
    page = client.get(reverse("login"))
    assert "パスワードを忘れた場合" in page.text
    assert "事務局にお問い合わせください" in page.text.replace("\n", "")


def test_sign_out_is_a_post(client, member):
    client.force_login(member)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
