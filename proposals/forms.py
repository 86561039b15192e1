from django import forms
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.names import localized
from feedback.forms import TOO_LONG, RefusalReasonMixin, reason_field
from initiatives.models import CaseStudy, Vision
from proposals.models import (
    DISPLAY_NAME_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Answer,
    AnswerStatus,
)
from wards.models import Department, Ward


class LocalizedChoiceField(forms.ModelChoiceField):
    """Options named in the page's language (a ward's English name on English pages)."""

    def label_from_instance(self, obj):
        text = localized(obj)[0]
        return f"{obj.number} {text}" if isinstance(obj, Vision) else text


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return localized(obj, "label")[0]


def optional_choice(field_class, label, queryset, invalid_choice):
    """A part of the report the proposal may name, left at “(none)” by default."""
    return field_class(
        label=label,
        queryset=queryset,
        required=False,
        empty_label=_("(none)"),
        error_messages={"invalid_choice": invalid_choice},
    )


def one_line(value: str) -> str:
    return " ".join(value.split())


class ProposalForm(forms.Form):
    """A resident's proposal. ``website`` is a honeypot: hidden from people, filled by bots."""

    ward = LocalizedChoiceField(
        label=_("Ward"),
        queryset=Ward.objects.all(),
        empty_label=_("Choose the ward"),
        error_messages={
            "required": _("Please choose the ward you are writing to."),
            "invalid_choice": _("Please choose one of the seven wards."),
        },
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        help_text=format_lazy(_("Up to {limit} characters."), limit=TITLE_MAX_LENGTH),
        error_messages={
            "required": _("Please give your proposal a title."),
            "max_length": TOO_LONG,
        },
    )
    text = forms.CharField(
        label=_("Your proposal"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=format_lazy(
            _("Plain text, up to {limit} characters. Line breaks are kept."),
            limit=TEXT_MAX_LENGTH,
        ),
        error_messages={"required": _("Please write your proposal."), "max_length": TOO_LONG},
    )
    vision = optional_choice(
        LocalizedChoiceField,
        _("Related vision (optional)"),
        Vision.objects.all(),
        _("Please choose one of the four visions."),
    )
    case_study = optional_choice(
        CaseChoiceField,
        _("Related case study (optional)"),
        CaseStudy.objects.all(),
        _("Please choose one of the case studies."),
    )
    display_name = forms.CharField(
        label=_("Name shown with the proposal (optional)"),
        max_length=DISPLAY_NAME_MAX_LENGTH,
        required=False,
        help_text=_("Leave it empty to be shown as “Anonymous”."),
        error_messages={"max_length": TOO_LONG},
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send the confirmation link and the ward's answer here. It is never shown."),
        error_messages={
            "required": _(
                "Please give your e-mail address: the proposal counts once you confirm it."
            ),
            "invalid": _("Please give a valid e-mail address, such as name@example.jp."),
        },
    )
    agree = forms.BooleanField(
        label=_("I have read how personal information is handled and agree to it."),
        error_messages={
            "required": _("Please read the notice on personal information and agree to it.")
        },
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["agree"].label_suffix = ""  # a sentence, not a field name
        self.fields["display_name"].widget.attrs["autocomplete"] = "nickname"

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != "website"]

    def clean_title(self):
        return one_line(self.cleaned_data["title"])

    def clean_display_name(self):
        return one_line(self.cleaned_data["display_name"])

    def clean_text(self):
        # Browsers send line breaks as CRLF.
        return self.cleaned_data["text"].replace("\r\n", "\n").replace("\r", "\n")

    def clean_email(self):
        return self.cleaned_data["email"].strip()


class ModerationForm(RefusalReasonMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("publish", _("Publish")), ("reject", _("Do not publish"))],
        widget=forms.RadioSelect,
    )
    reason = reason_field(
        _("Reason for not publishing (the resident receives it)"),
        max_length=REASON_MAX_LENGTH,
        rows=3,
    )

    refusal = "reject"
    reason_missing = _("Please give the resident a reason for not publishing.")


class AnswerForm(forms.ModelForm):
    """The ward's answer. The model's ``clean()`` refuses an answer other than 実施します
    without its 道のひらき方, and a department of another ward."""

    class Meta:
        model = Answer
        fields = ["status", "text", "way_forward", "department"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "way_forward": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {"text": {"max_length": TOO_LONG}}

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.proposal = proposal
        self.fields["status"].choices = AnswerStatus.choices
        self.fields["department"].queryset = Department.objects.filter(
            Q(ward=proposal.ward_id) | Q(ward__isnull=True)
        ).select_related("ward")

    def clean_text(self):
        return self.cleaned_data["text"].replace("\r\n", "\n")

    def clean_way_forward(self):
        return self.cleaned_data["way_forward"].replace("\r\n", "\n")
