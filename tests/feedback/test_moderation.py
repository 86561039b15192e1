import pytest
from django.core import mail
from django.urls import reverse

from feedback.models import Opinion, OpinionState
from portal.views.feedback import MODERATION_PAGE_SIZE
from tests.factories import CommentFactory, OpinionFactory, user_with_role
from wards.roles import Role

pytestmark = pytest.mark.django_db

QUEUE_URL = reverse("feedback:moderation")


def decide_url(comment):
    return reverse("feedback:moderation-decide", kwargs={"pk": comment.pk})


def post_decision(client, comment, data):
    """``client`` posts a moderation decision on ``comment``, then reloads the comment."""
    response = client.post(decide_url(comment), data)
    comment.refresh_from_db()
    return response


def test_an_anonymous_visitor_is_sent_to_sign_in_from_the_queue(client):
    response = client.get(QUEUE_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role_user", ["member", "saiwai_staff"])
def test_only_the_secretariat_sees_the_queue(client, role_user, request):
    client.force_login(request.getfixturevalue(role_user))

    assert client.get(QUEUE_URL).status_code == 403


@pytest.mark.parametrize(
    ("poster", "decision", "status_code"),
    [("member_client", "published", 403), ("secretariat_client", "withdrawn", 400)],
    ids=["a-member-cannot-publish", "an-unknown-decision-is-refused"],
)
def test_a_refused_decision_leaves_the_comment_pending(
    request, case_study, poster, decision, status_code
):
    comment = CommentFactory(case_study=case_study)
    client = request.getfixturevalue(poster)

    response = post_decision(client, comment, {"decision": decision, "version": 1})

    assert response.status_code == status_code
    assert comment.state == OpinionState.PENDING


def test_the_queue_lists_comments_awaiting_moderation(secretariat_client, case_study):
    CommentFactory(case_study=case_study, body="待っている意見")
    CommentFactory(case_study=case_study, body="公開済みの意見", state=OpinionState.PUBLISHED)

    page = secretariat_client.get(QUEUE_URL).content.decode()

    assert "待っている意見" in page
    assert "公開済みの意見" not in page
    assert 'name="csrfmiddlewaretoken"' in page


@pytest.mark.parametrize("count", [1, 8])
def test_the_queue_takes_the_same_queries_for_few_and_many(
    secretariat_client, case_study, django_assert_num_queries, count
):
    parent = CommentFactory(case_study=case_study, state=OpinionState.PUBLISHED)
    CommentFactory.create_batch(count, case_study=case_study, parent=parent)

    # session, user, roles, count for the paginator, the page of comments
    with django_assert_num_queries(5):
        secretariat_client.get(QUEUE_URL)


def test_the_secretariat_publishes_a_comment_and_the_author_is_told(
    secretariat_client, member, case_study
):
    comment = CommentFactory(author=member, case_study=case_study, body="公開してほしい")

    response = post_decision(secretariat_client, comment, {"decision": "published", "version": 1})

    assert response.status_code == 302
    assert comment.state == OpinionState.PUBLISHED
    assert comment.published_at is not None
    assert [message.to for message in mail.outbox] == [[member.email]]
    assert "公開してほしい" in mail.outbox[0].body


def test_the_secretariat_rejects_with_a_reason_the_author_sees(
    secretariat_client, client, member, case_study
):
    comment = CommentFactory(author=member, case_study=case_study)

    post_decision(
        secretariat_client,
        comment,
        {"decision": "rejected", "reason": "特定の個人への言及があるため", "version": 1},
    )

    assert comment.state == OpinionState.REJECTED
    assert comment.rejection_reason == "特定の個人への言及があるため"
    assert "特定の個人への言及があるため" in mail.outbox[0].body
    client.force_login(member)
    assert (
        "特定の個人への言及があるため"
        in client.get(reverse("feedback:my-comments")).content.decode()
    )


def test_a_rejection_without_a_reason_is_refused(secretariat_client, case_study):
    comment = CommentFactory(case_study=case_study)

    response = post_decision(secretariat_client, comment, {"decision": "rejected", "version": 1})

    assert response.status_code == 400
    assert "投稿者に伝える非承認の理由を入力してください" in response.content.decode()
    assert comment.state == OpinionState.PENDING
    assert mail.outbox == []


def test_a_decision_on_a_comment_edited_meanwhile_is_refused(secretariat_client, case_study):
    comment = CommentFactory(case_study=case_study, body="編集後", version=2)

    response = post_decision(secretariat_client, comment, {"decision": "published", "version": 1})

    assert response.status_code == 409
    assert "その間に変更または判断されたため" in response.content.decode()
    assert "編集後" in response.content.decode()
    assert comment.state == OpinionState.PENDING
    assert mail.outbox == []


def test_a_second_decision_on_a_decided_comment_is_refused(secretariat_client, case_study):
    comment = CommentFactory(case_study=case_study)
    secretariat_client.post(decide_url(comment), {"decision": "published", "version": 1})

    response = post_decision(
        secretariat_client, comment, {"decision": "rejected", "reason": "遅れて", "version": 1}
    )

    assert response.status_code == 409
    assert comment.state == OpinionState.PUBLISHED


def test_an_opinion_from_the_report_cannot_be_moderated(secretariat_client, case_study):
    opinion = OpinionFactory(case_study=case_study)

    response = secretariat_client.post(
        decide_url(opinion), {"decision": "rejected", "reason": "x", "version": 1}
    )

    assert response.status_code == 404


def test_a_new_comment_emails_each_member_of_the_secretariat(member_client, case_study):
    first = user_with_role(Role.SECRETARIAT, username="jimu1")
    second = user_with_role(Role.SECRETARIAT, username="jimu2")
    user_with_role(Role.SECRETARIAT, username="jimu3", email="")
    user_with_role(Role.SECRETARIAT, username="jimu4", is_active=False)
    user_with_role(Role.WARD_STAFF, username="staff")

    member_client.post(
        reverse("feedback:comment-create", kwargs={"number": case_study.number}),
        {"topic": "協働について", "body": "新しい意見"},
    )

    assert sorted(message.to[0] for message in mail.outbox) == [first.email, second.email]
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert "新しい意見" in mail.outbox[0].body
    assert "http://testserver/moderation/" in mail.outbox[0].body


def test_a_refused_comment_emails_nobody(member_client, case_study, secretariat):
    member_client.post(
        reverse("feedback:comment-create", kwargs={"number": case_study.number}), {"body": ""}
    )

    assert mail.outbox == []


def test_a_failing_mail_server_does_not_lose_the_comment(
    member_client, case_study, secretariat, monkeypatch
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("feedback.notifications.send_mass_mail", refuse)

    response = member_client.post(
        reverse("feedback:comment-create", kwargs={"number": case_study.number}), {"body": "意見"}
    )

    assert response.status_code == 302
    assert Opinion.objects.count() == 1


def test_a_long_queue_is_paged_with_the_sites_page_links(secretariat_client, case_study):
    CommentFactory.create_batch(MODERATION_PAGE_SIZE + 1, case_study=case_study)

    first = secretariat_client.get(QUEUE_URL).text
    second = secretariat_client.get(QUEUE_URL, {"page": 2}).text

    assert first.count('class="moderation-item"') == MODERATION_PAGE_SIZE
    assert '<span aria-current="page">1</span>' in first
    assert '<a href="?page=2" rel="next">' in first
    assert second.count('class="moderation-item"') == 1
    assert '<a href="?page=1" rel="prev">' in second
