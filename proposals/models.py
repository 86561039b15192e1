"""Residents' proposals to their ward (提案) and the ward's public answers (回答).

The committee asked that a ward office answer a proposal it cannot take up not with a
bare no but with how it could be done, its 「道のひらき方」 (the report's 《委員からの意見》
on 区民会議など市民からの提案に対する対応について). An answer other than 実施します must
carry that way forward: the database refuses it otherwise (``answer_way_forward_unless_will_do``).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.constraints import valid_choice
from wards.models import CuratedQuerySet

TITLE_MAX_LENGTH = 120
TEXT_MAX_LENGTH = 4000
DISPLAY_NAME_MAX_LENGTH = 50
REASON_MAX_LENGTH = 1000
ANSWER_MAX_LENGTH = 4000


def fiscal_year_of(moment) -> int:
    """The fiscal year (年度, April to March) of a time, as the Gregorian year it starts in."""
    day = timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
    return day.year if day.month >= 4 else day.year - 1


class ProposalState(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("awaiting e-mail confirmation")
    CONFIRMED = "confirmed", _("awaiting moderation")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("not published")


class ProposalQuerySet(CuratedQuerySet):
    """``curated_by(user)``: the proposals a staff account moderates and answers (its
    ward's; every ward's for the secretariat)."""

    def published(self):
        """What the public sees: confirmed by e-mail and then published by the ward's staff."""
        return self.filter(state=ProposalState.PUBLISHED)

    def awaiting_moderation(self):
        return self.filter(state=ProposalState.CONFIRMED)

    def unanswered(self):
        return self.filter(answer__isnull=True)

    def answered(self):
        return self.filter(answer__isnull=False)

    def for_list_page(self):
        """``/proposals/``: published proposals, newest first, with ward, vision and the
        answer's status (one query a page)."""
        return (
            self.published()
            .select_related("ward", "vision", "answer")
            .order_by("-published_at", "-pk")
        )

    def for_detail_page(self):
        """``/proposals/<id>/``: a published proposal with everything its page names
        (one query; the answer's earlier versions are one more)."""
        return self.published().select_related(
            "ward",
            "vision",
            "case_study",
            "initiative",
            "commitment__initiative",
            "answer__department__ward",
        )

    def for_queue(self):
        """The staff's queue: published proposals without an answer, oldest first."""
        return self.published().unanswered().select_related("ward").order_by("published_at", "pk")

    def answer_counts(self) -> dict:
        """``{"total": n, "answered": m}`` of these proposals, in one query."""
        return self.aggregate(
            total=Count("pk"), answered=Count("pk", filter=Q(answer__isnull=False))
        )


class Proposal(models.Model):
    """A resident's proposal to a ward (区への提案), sent without an account.

    It counts only once its e-mail address is confirmed (a signed link, see
    ``proposals.confirmation``), and it is public only once the ward's staff or the
    secretariat publish it. The e-mail address is never shown.
    """

    ward = models.ForeignKey(
        "wards.Ward", verbose_name=_("ward"), on_delete=models.PROTECT, related_name="proposals"
    )
    vision = models.ForeignKey(
        "initiatives.Vision",
        verbose_name=_("vision"),
        on_delete=models.SET_NULL,
        related_name="proposals",
        null=True,
        blank=True,
    )
    case_study = models.ForeignKey(
        "initiatives.CaseStudy",
        verbose_name=_("case study"),
        on_delete=models.SET_NULL,
        related_name="proposals",
        null=True,
        blank=True,
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative it led to"),
        on_delete=models.SET_NULL,
        related_name="proposals",
        null=True,
        blank=True,
        help_text=_("The ward's initiative that took this proposal up, if any."),
    )
    commitment = models.ForeignKey(
        "initiatives.Commitment",
        verbose_name=_("commitment it led to"),
        on_delete=models.SET_NULL,
        related_name="proposals",
        null=True,
        blank=True,
        help_text=_("The ward's commitment that took this proposal up, if any."),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    text = models.TextField(_("proposal"), max_length=TEXT_MAX_LENGTH)
    display_name = models.CharField(_("name shown"), max_length=DISPLAY_NAME_MAX_LENGTH, blank=True)
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=8, default="ja")
    state = models.CharField(
        _("state"), max_length=12, choices=ProposalState, default=ProposalState.UNCONFIRMED
    )
    rejection_reason = models.TextField(_("reason for not publishing"), blank=True)
    # A random value the confirmation link signs; emptied once the link is used.
    confirmation_key = models.CharField(max_length=32, blank=True, editable=False)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), editable=False, help_text=_("The fiscal year in which it was sent.")
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            valid_choice("state", ProposalState, "proposal_state_valid"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), TEXT_MAX_LENGTH),
                name="proposal_text_max_length",
            ),
            models.CheckConstraint(
                condition=Q(state=ProposalState.UNCONFIRMED) | Q(confirmed_at__isnull=False),
                name="proposal_confirmed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state=ProposalState.PUBLISHED) | Q(published_at__isnull=False),
                name="proposal_published_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state=ProposalState.REJECTED) | ~Q(rejection_reason=""),
                name="proposal_rejected_has_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["ward", "published_at"],
                condition=Q(state="published"),
                name="proposal_published_by_ward",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.fiscal_year = fiscal_year_of(self.created_at)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("proposals:detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        # A proposal leads to a commitment of its own ward only (not another ward's, nor
        # the city's own, which has no ward).
        if self.commitment_id and self.ward_id:
            commitment = self.commitment
            ward_id = commitment.initiative.ward_id if commitment.initiative_id else None
            if ward_id != self.ward_id:
                raise ValidationError(
                    {
                        "commitment": ValidationError(
                            _("Choose a commitment of the proposal's ward."), code="other_ward"
                        )
                    }
                )

    @property
    def is_published(self) -> bool:
        return self.state == ProposalState.PUBLISHED

    @property
    def shown_name(self) -> str:
        return self.display_name or str(_("Anonymous"))


class AnswerStatus(models.TextChoices):
    RECEIVED = "received", _("received")  # 受付
    CONSIDERING = "considering", _("under consideration")  # 検討中
    WILL_DO = "will-do", _("will be carried out")  # 実施します
    PARTLY = "partly", _("partly carried out")  # 一部実施
    DIFFICULT = "difficult", _("difficult at present")  # 現状では難しい


WAY_FORWARD_MESSAGE = _(
    "Unless the answer is “will be carried out”, please give the way forward (道のひらき方): "
    "what would make it possible."
)
WAY_FORWARD_REQUIRED = ValidationError(WAY_FORWARD_MESSAGE, code="way_forward_required")


class AnswerQuerySet(CuratedQuerySet):
    ward_path = "proposal__ward"


class Answer(models.Model):
    """The ward's one public answer to a proposal, signed by a department.

    ``way_forward`` is the 道のひらき方: what would make the proposal possible (conditions,
    partners, the department to talk to, a next step or a date to revisit). Only an
    answer that says yes (実施します) may go without it. Every change is kept
    (django-simple-history), so the page can show how an answer changed.
    """

    proposal = models.OneToOneField(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="answer"
    )
    status = models.CharField(_("status"), max_length=12, choices=AnswerStatus)
    text = models.TextField(_("answer"), max_length=ANSWER_MAX_LENGTH)
    way_forward = models.TextField(
        _("way forward (道のひらき方)"),
        max_length=ANSWER_MAX_LENGTH,
        blank=True,
        help_text=_(
            "How it could be done: conditions, partners, the department to talk to, a next "
            "step or a date to revisit. Required unless the answer is “will be carried out”."
        ),
    )
    department = models.ForeignKey(
        "wards.Department",
        verbose_name=_("answering department"),
        on_delete=models.PROTECT,
        related_name="answers",
    )
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AnswerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["-answered_at", "-pk"]
        constraints = [
            valid_choice("status", AnswerStatus, "answer_status_valid"),
            models.CheckConstraint(
                condition=Q(status=AnswerStatus.WILL_DO) | ~Q(way_forward=""),
                name="answer_way_forward_unless_will_do",
                violation_error_message=WAY_FORWARD_MESSAGE,
            ),
            models.CheckConstraint(condition=~Q(text=""), name="answer_text_not_empty"),
        ]

    def __str__(self):
        return f"{self.get_status_display()}: {self.proposal}"

    def get_absolute_url(self):
        return self.proposal.get_absolute_url()

    def clean(self):
        super().clean()
        errors = {}
        if self.status and self.status != AnswerStatus.WILL_DO and not self.way_forward.strip():
            errors["way_forward"] = WAY_FORWARD_REQUIRED
        department = self.department if self.department_id else None
        if (
            department is not None
            and self.proposal_id
            and department.ward_id not in (None, self.proposal.ward_id)
        ):
            errors["department"] = ValidationError(
                _("Choose a department of the proposal's ward or of the city."),
                code="other_ward",
            )
        if errors:
            raise ValidationError(errors)

    @property
    def needs_way_forward(self) -> bool:
        return self.status != AnswerStatus.WILL_DO


def published_proposals_prefetch():
    """For a queryset of commitments: their published proposals (only those: an
    unpublished proposal never shows), oldest first, as ``published_proposals``
    (1 query for all of them)."""
    return models.Prefetch(
        "proposals",
        queryset=Proposal.objects.published().order_by("published_at", "pk"),
        to_attr="published_proposals",
    )
