import pytest
from django.urls import reverse

from feedback.models import OpinionState
from tests.factories import CommentFactory, InitiativeFactory

pytestmark = pytest.mark.django_db


def edit_url(comment):
    return reverse("feedback:comment-edit", kwargs={"pk": comment.pk})


def withdraw_url(comment):
    return reverse("feedback:comment-withdraw", kwargs={"pk": comment.pk})


def test_the_author_edits_a_comment_awaiting_moderation(member_client, member, case_study):
    comment = CommentFactory(author=member, case_study=case_study, body="前")
    initiative = InitiativeFactory(case_study=case_study)

    response = member_client.post(
        edit_url(comment),
        {"topic": "題", "body": "後", "initiative": initiative.pk, "version": comment.version},
    )

    comment.refresh_from_db()
    assert response.status_code == 302
    assert (comment.topic, comment.body, comment.initiative) == ("題", "後", initiative)
    assert comment.version == 2
    assert comment.state == OpinionState.PENDING


def test_the_edit_page_shows_the_current_text_and_version(member_client, member, case_study):
    comment = CommentFactory(author=member, case_study=case_study, body="今の本文")

    response = member_client.get(edit_url(comment))

    assert response.status_code == 200
    assert "今の本文" in response.content.decode()
    assert 'name="version" value="1"' in response.content.decode()


def test_an_edit_based_on_an_older_version_is_refused(member_client, member, case_study):
    comment = CommentFactory(
        author=member, case_study=case_study, body="二つ目の窓で直した", version=2
    )

    response = member_client.post(edit_url(comment), {"body": "古い版からの編集", "version": 1})

    comment.refresh_from_db()
    assert response.status_code == 409
    assert "その間に別のウィンドウまたは事務局によって変更された" in response.content.decode()
    assert "古い版からの編集" in response.content.decode()
    assert comment.body == "二つ目の窓で直した"


@pytest.mark.parametrize("state", [OpinionState.PUBLISHED, OpinionState.REJECTED])
def test_an_edit_after_moderation_is_refused(member_client, member, case_study, state):
    comment = CommentFactory(author=member, case_study=case_study, body="元", state=state)

    response = member_client.post(edit_url(comment), {"body": "後から", "version": comment.version})

    comment.refresh_from_db()
    assert response.status_code == 409
    assert "編集できません" in response.content.decode()
    assert comment.body == "元"


def test_the_edit_page_of_a_moderated_comment_has_no_form(member_client, member, case_study):
    comment = CommentFactory(author=member, case_study=case_study, state=OpinionState.PUBLISHED)

    response = member_client.get(edit_url(comment))

    assert response.status_code == 200
    assert 'name="body"' not in response.content.decode()


def test_someone_elses_comment_cannot_be_edited(member_client, other_member, case_study):
    comment = CommentFactory(author=other_member, case_study=case_study, body="他人の")

    response = member_client.post(edit_url(comment), {"body": "乗っ取り", "version": 1})

    comment.refresh_from_db()
    assert response.status_code == 404
    assert comment.body == "他人の"


@pytest.mark.parametrize(
    "data",
    [{"body": "", "version": 1}, {"body": "新"}],
    ids=["one-that-empties-the-comment", "one-without-a-version"],
)
def test_an_edit_that_empties_the_comment_or_has_no_version_is_refused(
    member_client, member, case_study, data
):
    comment = CommentFactory(author=member, case_study=case_study, body="元")

    response = member_client.post(edit_url(comment), data)

    comment.refresh_from_db()
    assert response.status_code == 400
    assert comment.body == "元"


@pytest.mark.parametrize("state", [OpinionState.PENDING, OpinionState.PUBLISHED])
def test_the_author_withdraws_a_comment(member_client, member, case_study, state):
    comment = CommentFactory(author=member, case_study=case_study, state=state)

    response = member_client.post(withdraw_url(comment), {"version": comment.version})

    comment.refresh_from_db()
    assert response.status_code == 302
    assert comment.state == OpinionState.WITHDRAWN


def test_withdrawing_a_comment_changed_meanwhile_is_refused(member_client, member, case_study):
    comment = CommentFactory(author=member, case_study=case_study, version=3)

    response = member_client.post(withdraw_url(comment), {"version": 2}, follow=True)

    comment.refresh_from_db()
    assert comment.state == OpinionState.PENDING
    assert "処理を行いませんでした" in response.content.decode()


def test_someone_elses_comment_cannot_be_withdrawn(member_client, other_member, case_study):
    comment = CommentFactory(author=other_member, case_study=case_study)

    response = member_client.post(withdraw_url(comment), {"version": 1})

    comment.refresh_from_db()
    assert response.status_code == 404
    assert comment.state == OpinionState.PENDING


def test_withdrawing_needs_a_post_a_get_only_asks(member_client, member, case_study):
    comment = CommentFactory(author=member, case_study=case_study)

    assert member_client.get(withdraw_url(comment)).status_code == 200
    comment.refresh_from_db()
    assert comment.state == OpinionState.PENDING
    assert member_client.put(withdraw_url(comment)).status_code == 405


def test_my_comments_lists_own_comments_with_state_and_rejection_reason(
    member_client, member, other_member, case_study
):
    CommentFactory(author=member, case_study=case_study, body="待ち")
    CommentFactory(
        author=member,
        case_study=case_study,
        body="却下",
        state=OpinionState.REJECTED,
        rejection_reason="個人名が含まれているため",
    )
    CommentFactory(author=other_member, case_study=case_study, body="他人の意見")

    response = member_client.get(reverse("feedback:my-comments"))

    page = response.content.decode()
    assert "待ち" in page
    assert "承認待ち" in page
    assert "個人名が含まれているため" in page
    assert "他人の意見" not in page


@pytest.mark.parametrize("count", [1, 8])
def test_my_comments_takes_the_same_queries_for_few_and_many(
    member_client, member, case_study, django_assert_num_queries, count
):
    CommentFactory.create_batch(
        count, author=member, case_study=case_study, initiative=InitiativeFactory()
    )

    # session, user, roles, comments
    with django_assert_num_queries(4):
        member_client.get(reverse("feedback:my-comments"))


def test_my_comments_is_for_members_only(client, saiwai_staff):
    assert client.get(reverse("feedback:my-comments")).status_code == 302
    client.force_login(saiwai_staff)
    assert client.get(reverse("feedback:my-comments")).status_code == 403


def test_a_change_in_the_admin_makes_a_pending_edit_stale(
    admin_client, member_client, member, case_study
):
    comment = CommentFactory(author=member, case_study=case_study, body="元")
    admin_client.post(
        reverse("admin:feedback_opinion_change", args=[comment.pk]),
        {
            "case_study": case_study.pk,
            "source": "member",
            "position": 0,
            "body": "事務局が直した",
            "author": member.pk,
            "state": "pending",
        },
    )

    response = member_client.post(edit_url(comment), {"body": "古い版から", "version": 1})

    comment.refresh_from_db()
    assert response.status_code == 409
    assert (comment.body, comment.version) == ("事務局が直した", 2)
