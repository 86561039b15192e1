"""A reply never vanishes with the comment it answers: the whole path, from posting to the
secretariat's decision, with what each page and e-mail says on the way."""

import pytest
from django.core import mail
from django.urls import reverse

from feedback.models import Opinion, OpinionState
from tests.factories import CommentFactory, user_with_role
from wards.roles import Role

pytestmark = pytest.mark.django_db

STUB = "このコメントは取り下げられました"


def test_a_reply_to_a_comment_withdrawn_meanwhile_is_published_under_a_stub(
    client, case_study, member, other_member, secretariat
):
    secretariat.email = "jimukyoku@example.jp"
    secretariat.save()
    other_member.email = "iin2@example.jp"
    other_member.first_name, other_member.last_name = "太郎", "高津"
    other_member.save()

    # The member posts; the secretariat publishes.
    client.force_login(member)
    url = reverse("feedback:comment-create", args=[case_study.number])
    assert client.post(url, {"body": "親のコメント"}).status_code == 302
    parent = Opinion.objects.get(body="親のコメント")
    client.force_login(secretariat)
    client.post(
        reverse("feedback:moderation-decide", args=[parent.pk]),
        {"decision": "published", "version": parent.version},
    )
    parent.refresh_from_db()
    assert parent.is_published

    # Another member replies; the reply awaits moderation.
    client.force_login(other_member)
    assert client.post(url, {"body": "返信です", "parent": parent.pk}).status_code == 302
    reply = Opinion.objects.get(body="返信です")
    assert reply.is_pending

    # The author asks to withdraw: a confirmation page first, which names the reply.
    client.force_login(member)
    withdraw = reverse("feedback:comment-withdraw", args=[parent.pk])
    confirm = client.get(withdraw)
    assert confirm.status_code == 200
    assert "返信が1件あります" in confirm.text
    assert STUB in confirm.text
    parent.refresh_from_db()
    assert parent.is_published, "asking is not withdrawing"
    done = client.post(withdraw, {"version": parent.version}, follow=True)
    parent.refresh_from_db()
    assert parent.is_withdrawn
    assert "返信はその下に残ります" in done.text

    # The moderation queue shows that the parent is gone and what publishing means.
    client.force_login(secretariat)
    queue = client.get(reverse("feedback:moderation"))
    assert "返信先のコメントは投稿者が取り下げました" in queue.text
    assert "取り下げ" in queue.text
    mail.outbox.clear()
    client.post(
        reverse("feedback:moderation-decide", args=[reply.pk]),
        {"decision": "published", "version": reply.version},
    )
    reply.refresh_from_db()
    assert reply.is_published

    # The replier is told the truth, with the page where the reply stands.
    (message,) = mail.outbox
    assert message.to == ["iin2@example.jp"]
    assert "返信先のコメントは投稿者によって取り下げられました" in message.body
    assert f"#comment-{reply.pk}" in message.body

    # Everyone (signed out too) sees the stub and the reply under it, not the parent's text.
    client.logout()
    page = client.get(case_study.get_absolute_url())
    assert STUB in page.text
    assert "返信です" in page.text
    assert "親のコメント" not in page.text
    assert "高津 太郎" in page.text
    assert page.text.index(STUB) < page.text.index("返信です")


def test_a_withdrawn_comment_without_replies_leaves_nothing_on_the_case_page(
    client, case_study, member
):
    CommentFactory(
        author=member, case_study=case_study, body="消えた", state=OpinionState.WITHDRAWN
    )
    page = client.get(case_study.get_absolute_url())
    assert STUB not in page.text
    assert "消えた" not in page.text


def test_a_withdrawn_comment_takes_no_new_replies(client, case_study, member, other_member):
    parent = CommentFactory(author=member, case_study=case_study, state=OpinionState.WITHDRAWN)
    CommentFactory(
        author=other_member, case_study=case_study, parent=parent, state=OpinionState.PUBLISHED
    )
    client.force_login(other_member)
    response = client.post(
        reverse("feedback:comment-create", args=[case_study.number]),
        {"body": "遅い返信", "parent": parent.pk},
    )
    assert response.status_code == 400
    page = client.get(case_study.get_absolute_url())
    assert f'name="parent" value="{parent.pk}"' not in page.text


def test_withdrawing_by_get_only_asks(client, case_study, member):
    comment = CommentFactory(author=member, case_study=case_study, state=OpinionState.PUBLISHED)
    client.force_login(member)
    response = client.get(reverse("feedback:comment-withdraw", args=[comment.pk]))
    comment.refresh_from_db()
    assert comment.is_published
    assert "返信はありません" in response.text
    assert 'method="post"' in response.text


def test_public_comments_show_names_never_sign_in_names(client, case_study):
    named = user_with_role(
        Role.COMMITTEE, username="login-named", first_name="花子", last_name="川崎"
    )
    unnamed = user_with_role(Role.COMMITTEE, username="login-unnamed")
    CommentFactory(author=named, case_study=case_study, state=OpinionState.PUBLISHED)
    CommentFactory(author=unnamed, case_study=case_study, state=OpinionState.PUBLISHED)
    page = client.get(case_study.get_absolute_url())
    assert "川崎 花子" in page.text
    assert "委員" in page.text
    assert "login-named" not in page.text
    assert "login-unnamed" not in page.text


def test_the_same_notice_twice_shows_once(client, case_study, member):
    client.force_login(member)
    url = reverse("feedback:comment-create", args=[case_study.number])
    client.post(url, {"body": "一つ目"})
    client.post(url, {"body": "二つ目"})
    page = client.get(case_study.get_absolute_url())
    assert page.text.count("ありがとうございました。") == 1


def test_messages_show_on_every_page(client, case_study, member):
    client.force_login(member)
    client.post(reverse("feedback:comment-create", args=[case_study.number]), {"body": "本文"})
    page = client.get(reverse("initiatives:reform-plan"))
    assert 'class="messages"' in page.text


def test_the_comment_forms_initiative_picker_is_labelled_related_initiative(
    client, case_study, member
):
    client.force_login(member)
    page = client.get(reverse("feedback:comment-create", args=[case_study.number]))
    assert "関連する取組" in page.text
    assert "取組の概要" not in page.text
