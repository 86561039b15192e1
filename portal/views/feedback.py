"""Committee members' comments on the cases, and their moderation by the secretariat."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from feedback import services
from feedback.forms import (
    REASON_MAX_LENGTH,
    CommentEditForm,
    CommentForm,
    ModerationForm,
    VersionForm,
)
from feedback.models import Opinion, OpinionState
from feedback.notifications import notify_decision, notify_new_comment
from initiatives.models import CaseStudy
from wards.roles import committee_member_required, secretariat_required

MODERATION_PAGE_SIZE = 50

CHANGED_MEANWHILE = gettext_lazy(
    "This comment was changed meanwhile (in another window, or by the secretariat), "
    "so nothing was saved. Here is its current version."
)


def _posting_too_fast(request) -> bool:
    return is_ratelimited(
        request,
        group="feedback:comment",
        key="user",
        rate=settings.FEEDBACK_COMMENT_RATE,
        method="POST",
        increment=True,
    )


@require_http_methods(["GET", "POST"])
@committee_member_required
def comment_create(request, number):
    """A member's new comment or reply on a case (``CaseStudy`` ``number``).

    Template: ``feedback/comment_form.html`` for the empty form and for errors (400);
    ``feedback/rate_limited.html`` (429) when the member posts too fast. On success,
    back to the case page at the new comment.
    """
    case_study = get_object_or_404(CaseStudy, number=number)
    if request.method == "GET":
        form = CommentForm(case_study=case_study)
        return render(
            request, "feedback/comment_form.html", {"form": form, "case_study": case_study}
        )
    if _posting_too_fast(request):
        response = render(
            request, "feedback/rate_limited.html", {"case_study": case_study}, status=429
        )
        response["Retry-After"] = "60"
        return response
    form = CommentForm(request.POST, case_study=case_study)
    if not form.is_valid():
        context = {"form": form, "case_study": case_study}
        return render(request, "feedback/comment_form.html", context, status=400)
    comment = services.comment_create(
        author=request.user, case_study=case_study, **form.cleaned_data
    )
    notify_new_comment(
        comment, moderation_url=request.build_absolute_uri(reverse("feedback:moderation"))
    )
    messages.success(request, _("Thank you. Your comment awaits moderation by the secretariat."))
    return redirect(f"{case_study.get_absolute_url()}#comment-{comment.pk}")


def _own_comment(request, pk) -> Opinion:
    return get_object_or_404(
        Opinion.objects.from_members()
        .by_author(request.user)
        .select_related("case_study", "initiative__ward"),
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
@committee_member_required
def comment_edit(request, pk):
    """The author edits a comment that awaits moderation.

    Template: ``feedback/comment_edit.html``; 409 when the comment changed meanwhile or
    was moderated, 400 for invalid input. Someone else's comment is not found (404).
    """
    comment = _own_comment(request, pk)
    if request.method == "GET":
        form = CommentEditForm(comment=comment) if comment.is_pending else None
        return render(request, "feedback/comment_edit.html", {"comment": comment, "form": form})
    form = CommentEditForm(request.POST, comment=comment)
    if not form.is_valid():
        return render(
            request, "feedback/comment_edit.html", {"comment": comment, "form": form}, status=400
        )
    saved = services.comment_update(
        comment_id=comment.pk,
        author=request.user,
        version=form.cleaned_data["version"],
        topic=form.cleaned_data["topic"],
        body=form.cleaned_data["body"],
        initiative=form.cleaned_data.get("initiative"),
    )
    if saved:
        messages.success(request, _("Your changes were saved."))
        return redirect("feedback:my-comments")
    comment = _own_comment(request, pk)
    context = {
        "comment": comment,
        "form": CommentEditForm(comment=comment) if comment.is_pending else None,
        "refused": CHANGED_MEANWHILE
        if comment.is_pending
        else _("This comment has been moderated or withdrawn; it can no longer be edited."),
        "unsaved_text": form.cleaned_data["body"],
    }
    return render(request, "feedback/comment_edit.html", context, status=409)


@require_http_methods(["GET", "POST"])
@committee_member_required
def comment_withdraw(request, pk):
    """The author withdraws a comment (awaiting moderation or published).

    GET asks for confirmation (``feedback/comment_withdraw.html``), saying what becomes of
    the comment's replies; POST withdraws it, then back to the member's list.
    """
    comment = _own_comment(request, pk)
    replies = comment.replies.exclude(
        state__in=[OpinionState.REJECTED, OpinionState.WITHDRAWN]
    ).count()
    if request.method == "GET":
        context = {"comment": comment, "replies": replies}
        return render(request, "feedback/comment_withdraw.html", context)
    form = VersionForm(request.POST)
    if form.is_valid() and services.comment_withdraw(
        comment_id=comment.pk, author=request.user, version=form.cleaned_data["version"]
    ):
        if replies:
            messages.success(
                request,
                _(
                    "Your comment was withdrawn. The case page shows a note in its place, "
                    "and the replies to it stay under that note."
                ),
            )
        else:
            messages.success(request, _("Your comment was withdrawn."))
    else:
        messages.error(
            request,
            _("The comment was changed meanwhile or cannot be withdrawn; nothing was done."),
        )
    return redirect("feedback:my-comments")


@require_GET
@committee_member_required
def my_comments(request):
    """The member's own comments with their state. Template: ``feedback/my_comments.html``."""
    comments = (
        Opinion.objects.from_members()
        .by_author(request.user)
        .select_related("case_study", "initiative__ward")
        .order_by("-created_at", "-pk")
    )
    return render(request, "feedback/my_comments.html", {"comments": comments})


@require_GET
@secretariat_required
def moderation_queue(request):
    """Comments awaiting moderation, oldest first. Template: ``feedback/moderation_queue.html``."""
    queue = (
        Opinion.objects.from_members()
        .awaiting_moderation()
        .select_related("author", "case_study", "initiative__ward", "parent__author")
        .order_by("created_at", "pk")
    )
    page = Paginator(queue, MODERATION_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "reason_max_length": REASON_MAX_LENGTH}
    return render(request, "feedback/moderation_queue.html", context)


@require_POST
@secretariat_required
def moderation_decide(request, pk):
    """Publish or reject one comment; the author is told by e-mail.

    Back to the queue on success; ``feedback/moderation_item.html`` with 400 for invalid
    input, 409 when the comment changed meanwhile or was decided already.
    """
    comment = get_object_or_404(
        Opinion.objects.from_members().select_related("author", "case_study", "parent__author"),
        pk=pk,
    )
    form = ModerationForm(request.POST)
    if not form.is_valid():
        context = {"comment": comment, "form": form, "reason_max_length": REASON_MAX_LENGTH}
        return render(request, "feedback/moderation_item.html", context, status=400)
    version = form.cleaned_data["version"]
    if form.cleaned_data["decision"] == OpinionState.PUBLISHED:
        decided = services.comment_publish(comment_id=comment.pk, version=version)
    else:
        decided = services.comment_reject(
            comment_id=comment.pk, version=version, reason=form.cleaned_data["reason"]
        )
    comment.refresh_from_db()
    if not decided:
        context = {
            "comment": comment,
            "reason_max_length": REASON_MAX_LENGTH,
            "refused": _(
                "This comment was changed or decided meanwhile, so your decision was not "
                "saved. Here is its current version."
            ),
        }
        return render(request, "feedback/moderation_item.html", context, status=409)
    notify_decision(
        comment,
        comments_url=request.build_absolute_uri(reverse("feedback:my-comments")),
        page_url=request.build_absolute_uri(comment.get_absolute_url()),
    )
    messages.success(
        request, _("Decision saved: %(state)s.") % {"state": comment.get_state_display()}
    )
    return redirect("feedback:moderation")


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a sign-in while locked out (``AXES_LOCKOUT_CALLABLE``): 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
