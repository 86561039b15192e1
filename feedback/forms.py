from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.forms import MultilineField, add_required_error
from feedback.models import Opinion, OpinionState
from initiatives.models import Initiative

COMMENT_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 1000

TOO_LONG = _("Please keep it within %(limit_value)d characters (it has %(show_value)d).")


def reason_field(label, *, max_length: int, rows: int) -> forms.CharField:
    """A moderator's reason for not publishing, sent to the author; ``RefusalReasonMixin``
    requires it for a refusal."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": TOO_LONG},
    )


class RefusalReasonMixin:
    """For a moderation form of ``decision`` and ``reason``: the decision ``refusal`` needs
    a reason, else ``reason_missing`` is the error."""

    refusal = ""
    reason_missing = ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.refusal and not cleaned.get("reason"):
            add_required_error(self, "reason", self.reason_missing)
        return cleaned


def comment_text_field() -> forms.CharField:
    return MultilineField(
        label=_("Comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 60}),
        help_text=format_lazy(
            _("Plain text, up to {limit} characters. Line breaks are kept."),
            limit=COMMENT_MAX_LENGTH,
        ),
        error_messages={
            "required": _("Please write your comment."),
            "max_length": TOO_LONG,
            "null_characters_not_allowed": _(
                "The text holds an invisible NUL character (it can come with copied text); "
                "please type it again without it."
            ),
        },
    )


def initiative_field(case_study) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Related initiative"),
        queryset=Initiative.objects.published().for_case_study(case_study).select_related("ward"),
        required=False,
        empty_label=_("(the case as a whole)"),
        error_messages={"invalid_choice": _("Choose one of this case's initiatives.")},
    )


class CommentForm(forms.ModelForm):
    """A member's new comment or reply on a case.

    Only these fields come from the request: the author, the case and the state are set
    by the view, whatever else a request carries.
    """

    body = comment_text_field()

    class Meta:
        model = Opinion
        fields = ["topic", "body", "initiative", "parent"]
        labels = {"topic": _("Topic (optional)")}
        help_texts = {"topic": _("A heading, as in the report: 「…について」.")}
        widgets = {"parent": forms.HiddenInput}
        error_messages = {
            "topic": {"max_length": TOO_LONG},
            "parent": {
                "invalid_choice": _(
                    "You can reply only to a published comment on this case, not to a reply."
                )
            },
        }

    def __init__(self, *args, case_study, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiative"] = initiative_field(case_study)
        # One level of replies: only a published, top-level comment of this case has replies.
        self.fields["parent"].queryset = (
            Opinion.objects.from_members().published().for_case_study(case_study).top_level()
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("parent"):
            # A reply is about its comment; the heading and initiative belong to that.
            cleaned["initiative"] = None
        return cleaned


class CommentEditForm(forms.Form):
    """An author's edit of a comment that awaits moderation, based on ``version``."""

    topic = forms.CharField(
        label=_("Topic (optional)"),
        max_length=Opinion._meta.get_field("topic").max_length,
        required=False,
        error_messages={"max_length": TOO_LONG},
    )
    body = comment_text_field()
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, comment, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "topic": comment.topic,
                "body": comment.body,
                "initiative": comment.initiative_id,
                "version": comment.version,
            },
        )
        super().__init__(*args, **kwargs)
        if comment.parent_id is None:
            self.fields["initiative"] = initiative_field(comment.case_study)


class VersionForm(forms.Form):
    """The version of the comment that the user saw when choosing an action."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ModerationForm(RefusalReasonMixin, VersionForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(OpinionState.PUBLISHED, _("Publish")), (OpinionState.REJECTED, _("Reject"))],
    )
    reason = reason_field(
        _("Reason for rejection (the author sees it)"), max_length=REASON_MAX_LENGTH, rows=2
    )

    refusal = OpinionState.REJECTED
    reason_missing = _("Please give the author a reason for the rejection.")
