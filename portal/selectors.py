"""Reads that pages other than feedback's own need."""

from feedback.forms import COMMENT_MAX_LENGTH, CommentForm
from feedback.models import Opinion
from wards.roles import is_committee_member, is_secretariat


def case_comments_context(case_study, user, *, form=None) -> dict:
    """The context of ``feedback/includes/case_comments.html`` for one case page.

    Queries: one for the comments with their replies, authors and initiatives; one for the
    viewer's roles when signed in; one for the form's initiatives when a member sees it.
    """
    can_comment = is_committee_member(user)
    sees_pending = can_comment or is_secretariat(user)
    visible = list(Opinion.objects.on_case_page(case_study, with_pending=sees_pending))
    by_pk = {comment.pk: comment for comment in visible}
    for comment in visible:
        comment.visible_replies = []
    for comment in visible:
        # A withdrawn comment stands as a stub over its replies, so they never vanish with
        # it; a reply to a comment that is not shown at all (rejected) is not shown either.
        if comment.parent_id in by_pk:
            by_pk[comment.parent_id].visible_replies.append(comment)
    threads = [
        comment
        for comment in visible
        if comment.parent_id is None and (not comment.is_withdrawn or comment.visible_replies)
    ]
    if can_comment and form is None:
        form = CommentForm(case_study=case_study)
    return {
        "case_study": case_study,
        "member_comments": threads,
        "can_comment": can_comment,
        "shows_state": sees_pending,
        "comment_form": form if can_comment else None,
        "comment_max_length": COMMENT_MAX_LENGTH,
    }
