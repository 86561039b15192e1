import pytest
from django.test import Client
from django.urls import reverse

from feedback.forms import COMMENT_MAX_LENGTH
from feedback.models import Opinion, OpinionState
from tests.factories import CaseStudyFactory, CommentFactory, InitiativeFactory, UserFactory

pytestmark = pytest.mark.django_db


def create_url(case_study):
    return reverse("feedback:comment-create", kwargs={"number": case_study.number})


def test_an_anonymous_visitor_is_sent_to_sign_in(client, case_study):
    response = client.post(create_url(case_study), {"body": "意見"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Opinion.objects.exists()


@pytest.mark.parametrize("role_user", ["secretariat", "saiwai_staff"])
def test_a_signed_in_user_who_is_not_a_member_gets_403(client, case_study, role_user, request):
    client.force_login(request.getfixturevalue(role_user))

    response = client.post(create_url(case_study), {"body": "意見"})

    assert response.status_code == 403
    assert not Opinion.objects.exists()


def test_a_user_without_any_role_gets_403(client, case_study):
    client.force_login(UserFactory())

    assert client.post(create_url(case_study), {"body": "意見"}).status_code == 403


def test_a_member_posts_a_comment_that_awaits_moderation(member_client, member, case_study):
    initiative = InitiativeFactory(case_study=case_study)

    response = member_client.post(
        create_url(case_study),
        {"topic": "協働について", "body": "一行目\n二行目", "initiative": initiative.pk},
    )

    comment = Opinion.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert comment.author == member
    assert comment.case_study == case_study
    assert comment.state == OpinionState.PENDING
    assert (comment.topic, comment.body, comment.initiative) == (
        "協働について",
        "一行目\n二行目",
        initiative,
    )


def test_the_comment_form_page_shows_the_form_to_a_member(member_client, case_study):
    response = member_client.get(create_url(case_study))

    assert response.status_code == 200
    assert b'name="csrfmiddlewaretoken"' in response.content
    assert b'name="body"' in response.content


def test_forged_author_state_and_case_in_the_form_are_ignored(
    member_client, member, other_member, case_study
):
    other_case = CaseStudyFactory()

    member_client.post(
        create_url(case_study),
        {
            "body": "意見",
            "author": other_member.pk,
            "state": OpinionState.PUBLISHED,
            "case_study": other_case.pk,
            "source": "report",
            "version": 99,
        },
    )

    comment = Opinion.objects.get()
    assert comment.author == member
    assert comment.state == OpinionState.PENDING
    assert comment.case_study == case_study
    assert comment.source == "member"
    assert comment.version == 1


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_an_empty_comment_is_refused_with_a_message(member_client, case_study, body):
    response = member_client.post(create_url(case_study), {"body": body})

    assert response.status_code == 400
    assert "コメントを入力してください。" in response.content.decode()
    assert not Opinion.objects.exists()


def test_a_comment_of_exactly_the_limit_is_accepted(member_client, case_study):
    response = member_client.post(create_url(case_study), {"body": "あ" * COMMENT_MAX_LENGTH})

    assert response.status_code == 302
    assert len(Opinion.objects.get().body) == COMMENT_MAX_LENGTH


def test_a_too_long_comment_is_refused_with_a_message(member_client, case_study):
    response = member_client.post(create_url(case_study), {"body": "あ" * (COMMENT_MAX_LENGTH + 1)})

    assert response.status_code == 400
    assert (
        f"{COMMENT_MAX_LENGTH}文字以内で入力してください（現在{COMMENT_MAX_LENGTH + 1}文字）"
        in (response.content.decode())
    )
    assert not Opinion.objects.exists()


def test_a_comment_with_html_and_script_is_stored_as_written(member_client, case_study):
    body = '<script>alert("x")</script><b>太字</b>'

    member_client.post(create_url(case_study), {"body": body})

    assert Opinion.objects.get().body == body


def test_a_case_that_does_not_exist_is_not_found(member_client):
    response = member_client.post(
        reverse("feedback:comment-create", kwargs={"number": 99}), {"body": "意見"}
    )

    assert response.status_code == 404
    assert not Opinion.objects.exists()


def test_an_initiative_of_another_case_is_refused(member_client, case_study):
    elsewhere = InitiativeFactory(case_study=CaseStudyFactory())

    response = member_client.post(
        create_url(case_study), {"body": "意見", "initiative": elsewhere.pk}
    )

    assert response.status_code == 400
    assert "この事例の取組から選んでください。" in response.content.decode()


def test_an_unpublished_initiative_is_refused(member_client, case_study):
    draft = InitiativeFactory(case_study=case_study, draft=True)

    response = member_client.post(create_url(case_study), {"body": "意見", "initiative": draft.pk})

    assert response.status_code == 400


def test_a_member_replies_to_a_published_comment(member_client, member, case_study):
    comment = CommentFactory(case_study=case_study, state=OpinionState.PUBLISHED)

    response = member_client.post(create_url(case_study), {"body": "返信", "parent": comment.pk})

    reply = Opinion.objects.get(parent=comment)
    assert response.status_code == 302
    assert (reply.author, reply.case_study, reply.state) == (member, case_study, "pending")


def test_a_reply_drops_the_initiative(member_client, case_study):
    comment = CommentFactory(case_study=case_study, state=OpinionState.PUBLISHED)
    initiative = InitiativeFactory(case_study=case_study)

    member_client.post(
        create_url(case_study), {"body": "返信", "parent": comment.pk, "initiative": initiative.pk}
    )

    assert Opinion.objects.get(parent=comment).initiative is None


def test_a_reply_to_a_reply_is_refused(member_client, case_study):
    comment = CommentFactory(case_study=case_study, state=OpinionState.PUBLISHED)
    reply = CommentFactory(case_study=case_study, parent=comment, state=OpinionState.PUBLISHED)

    response = member_client.post(create_url(case_study), {"body": "返信", "parent": reply.pk})

    assert response.status_code == 400
    assert "返信への返信はできません" in response.content.decode()
    assert not Opinion.objects.filter(parent=reply).exists()


def test_a_reply_to_another_cases_comment_is_refused(member_client, case_study):
    elsewhere = CommentFactory(case_study=CaseStudyFactory(), state="published")

    response = member_client.post(create_url(case_study), {"body": "返信", "parent": elsewhere.pk})

    assert response.status_code == 400
    assert not Opinion.objects.filter(parent=elsewhere).exists()


def test_a_reply_to_a_comment_awaiting_moderation_is_refused(member_client, case_study):
    pending = CommentFactory(case_study=case_study)

    response = member_client.post(create_url(case_study), {"body": "返信", "parent": pending.pk})

    assert response.status_code == 400


def test_posting_without_a_csrf_token_is_refused(member, case_study):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.post(create_url(case_study), {"body": "意見"})

    assert response.status_code == 403
    assert not Opinion.objects.exists()


def test_a_member_who_posts_too_fast_gets_429_with_a_message(member_client, case_study, settings):
    settings.FEEDBACK_COMMENT_RATE = "2/d"

    statuses = [
        member_client.post(create_url(case_study), {"body": f"意見{i}"}).status_code
        for i in range(3)
    ]

    assert statuses == [302, 302, 429]
    assert Opinion.objects.count() == 2
    refused = member_client.post(create_url(case_study), {"body": "また"})
    assert refused["Retry-After"] == "60"
    assert "1分ほど待ってから" in refused.content.decode()


def test_the_rate_limit_counts_per_member(client, member, other_member, case_study, settings):
    settings.FEEDBACK_COMMENT_RATE = "1/d"
    client.force_login(member)
    client.post(create_url(case_study), {"body": "一人目"})

    client.force_login(other_member)
    response = client.post(create_url(case_study), {"body": "二人目"})

    assert response.status_code == 302
    assert Opinion.objects.count() == 2
