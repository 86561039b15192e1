"""Comments change state through conditional updates; the search index follows them."""

import pytest

from feedback.models import OpinionState
from feedback.services import comment_publish, comment_withdraw
from search import index
from search.models import SearchDocument
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def documents_of(comment):
    index.flush()
    return SearchDocument.objects.filter(kind="opinion", object_id=comment.pk).count()


def test_a_comment_published_by_the_secretariat_becomes_searchable():
    comment = CommentFactory(body="検索に載るはずの意見")
    assert documents_of(comment) == 0

    assert comment_publish(comment_id=comment.pk, version=comment.version)

    assert documents_of(comment) == 1


def test_a_withdrawn_comment_and_its_replies_leave_the_search_index():
    comment = CommentFactory(state=OpinionState.PUBLISHED, body="取り下げる意見")
    reply = CommentFactory(
        state=OpinionState.PUBLISHED, case_study=comment.case_study, parent=comment
    )
    assert (documents_of(comment), documents_of(reply)) == (1, 1)

    assert comment_withdraw(comment_id=comment.pk, author=comment.author, version=comment.version)

    assert (documents_of(comment), documents_of(reply)) == (0, 0)


def test_a_comment_rejected_in_the_admin_takes_its_replies_out_of_the_search_index():
    comment = CommentFactory(state=OpinionState.PUBLISHED, body="管理画面で差し戻す意見")
    reply = CommentFactory(
        state=OpinionState.PUBLISHED, case_study=comment.case_study, parent=comment
    )
    assert (documents_of(comment), documents_of(reply)) == (1, 1)

    comment.state = OpinionState.REJECTED
    comment.save()

    assert (documents_of(comment), documents_of(reply)) == (0, 0)
