import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.template.loader import render_to_string
from django.test import RequestFactory

from feedback.models import OpinionState
from portal.selectors import case_comments_context
from tests.factories import (
    CaseStudyFactory,
    CommentFactory,
    InitiativeFactory,
    OpinionFactory,
    user_with_role,
)
from wards.roles import Role

pytestmark = pytest.mark.django_db


def render_comments(case_study, user) -> str:
    request = RequestFactory().get(case_study.get_absolute_url())
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    context = case_comments_context(case_study, user)
    return render_to_string("feedback/includes/case_comments.html", context, request=request)


def test_a_visitor_reads_published_comments_with_name_and_date(case_study, member):
    CommentFactory(
        author=member, case_study=case_study, topic="協働について", state=OpinionState.PUBLISHED
    )

    page = render_comments(case_study, AnonymousUser())

    assert "協働について" in page
    # Family name first, as Japanese names are written (core.people.display_name).
    assert "川崎 花子" in page
    assert "<time datetime=" in page


def test_a_visitor_sees_no_pending_rejected_or_withdrawn_comment(case_study):
    for state in ["pending", "rejected", "withdrawn"]:
        CommentFactory(case_study=case_study, body=f"状態{state}", state=state)

    page = render_comments(case_study, AnonymousUser())

    assert "状態" not in page
    assert "委員からのコメントはまだありません。" in page


def test_the_reports_opinions_are_not_among_the_members_comments(case_study):
    OpinionFactory(case_study=case_study, body="報告書に書かれた意見")

    assert "報告書に書かれた意見" not in render_comments(case_study, AnonymousUser())


def test_comments_of_another_case_are_not_shown(case_study):
    CommentFactory(case_study=CaseStudyFactory(), body="別の事例", state="published")

    assert "別の事例" not in render_comments(case_study, AnonymousUser())


@pytest.mark.parametrize("viewer", ["member", "secretariat"])
def test_members_and_the_secretariat_also_see_pending_comments_with_their_state(
    case_study, viewer, request
):
    CommentFactory(case_study=case_study, body="審査待ちの意見")

    page = render_comments(case_study, request.getfixturevalue(viewer))

    assert "審査待ちの意見" in page
    assert "承認待ち" in page


def test_html_and_script_in_a_comment_are_shown_as_text(case_study):
    CommentFactory(
        case_study=case_study,
        topic="<i>題</i>",
        body='<script>alert("x")</script>\n<b>太字</b>',
        state=OpinionState.PUBLISHED,
    )

    page = render_comments(case_study, AnonymousUser())

    assert "<script>" not in page
    assert "<b>" not in page
    assert "<i>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>&lt;b&gt;太字&lt;/b&gt;" in page


def test_line_breaks_are_kept(case_study):
    CommentFactory(case_study=case_study, body="一行目\n二行目", state="published")

    assert "一行目<br>二行目" in render_comments(case_study, AnonymousUser())


def test_replies_show_under_their_comment(case_study):
    comment = CommentFactory(case_study=case_study, body="元の意見", state="published")
    CommentFactory(case_study=case_study, parent=comment, body="返信です", state="published")

    page = render_comments(case_study, AnonymousUser())

    assert page.index("元の意見") < page.index("comment-replies") < page.index("返信です")


def test_a_reply_to_a_withdrawn_comment_stays_under_a_stub(case_study):
    comment = CommentFactory(case_study=case_study, body="取り下げた本文", state="withdrawn")
    CommentFactory(case_study=case_study, parent=comment, body="残る返信", state="published")

    page = render_comments(case_study, AnonymousUser())

    assert page.index("このコメントは取り下げられました") < page.index("残る返信")
    assert "取り下げた本文" not in page


def test_an_anonymous_visitor_gets_a_sign_in_link_and_no_form(case_study):
    page = render_comments(case_study, AnonymousUser())

    assert f"/accounts/login/?next=/cases/{case_study.number}/" in page
    assert "<form" not in page


@pytest.mark.parametrize("viewer", ["secretariat", "saiwai_staff"])
def test_a_signed_in_non_member_gets_no_form(case_study, viewer, request):
    page = render_comments(case_study, request.getfixturevalue(viewer))

    assert "<form" not in page
    assert "/accounts/login/" not in page


def test_a_member_gets_the_form_with_the_cases_published_initiatives_only(case_study, member):
    InitiativeFactory(case_study=case_study, title="この事例の取組")
    InitiativeFactory(case_study=case_study, title="下書きの取組", draft=True)
    InitiativeFactory(case_study=CaseStudyFactory(), title="別の事例の取組")
    CommentFactory(case_study=case_study, state="published")

    page = render_comments(case_study, member)

    assert 'name="csrfmiddlewaretoken"' in page
    assert "この事例の取組" in page
    assert "下書きの取組" not in page
    assert "別の事例の取組" not in page
    assert 'name="parent"' in page


@pytest.mark.parametrize("count", [1, 10])
def test_the_context_takes_the_same_queries_for_few_and_many(
    case_study, django_assert_num_queries, count
):
    member = user_with_role(Role.COMMITTEE)
    for _ in range(count):
        comment = CommentFactory(
            case_study=case_study, state="published", initiative=InitiativeFactory()
        )
        CommentFactory(case_study=case_study, parent=comment, state="pending")
    InitiativeFactory.create_batch(count, case_study=case_study)
    member = type(member).objects.get(pk=member.pk)

    # roles, comments with replies, then the form's initiatives when rendered
    with django_assert_num_queries(3):
        render_comments(case_study, member)


@pytest.mark.parametrize("count", [1, 10])
def test_an_anonymous_visitor_costs_one_query(case_study, django_assert_num_queries, count):
    CommentFactory.create_batch(count, case_study=case_study, state="published")

    with django_assert_num_queries(1):
        render_comments(case_study, AnonymousUser())


def test_a_comment_does_not_name_an_initiative_that_is_no_longer_public(client, case_study):
    initiative = InitiativeFactory(case_study=case_study, title="下書きに戻した取組")
    CommentFactory(case_study=case_study, initiative=initiative, state="published")
    initiative.status = "draft"
    initiative.save()

    response = client.get(case_study.get_absolute_url())

    assert "下書きに戻した取組" not in response.text
