from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.constraints import valid_choice
from core.people import display_name


class OpinionSource(models.TextChoices):
    REPORT = "report", _("from the report")
    MEMBER = "member", _("posted by a committee member")


class OpinionState(models.TextChoices):
    PENDING = "pending", _("awaiting moderation")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


class OpinionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=OpinionState.PUBLISHED)

    def from_report(self):
        return self.filter(source=OpinionSource.REPORT)

    def from_members(self):
        return self.filter(source=OpinionSource.MEMBER)

    def report_prefetch(self, lookup: str, *, to_attr: str | None = "report_opinions"):
        """The report's opinions of the objects at ``lookup`` (``"opinions"`` from a case,
        ``"section__opinions"`` from the reform plan), as a prefetch for their page: one
        query. The pages of initiatives' models add it, since opinions stand above them."""
        return models.Prefetch(lookup, queryset=self.from_report().published(), to_attr=to_attr)

    def for_case_study(self, case_study):
        return self.filter(case_study=case_study)

    def for_section(self, section):
        return self.filter(section=section)

    def awaiting_moderation(self):
        return self.filter(state=OpinionState.PENDING)

    def by_author(self, user):
        return self.filter(author=user)

    def top_level(self):
        return self.filter(parent__isnull=True)

    def on_case_page(self, case_study, *, with_pending: bool):
        """Members' comments on a case, as its page shows them, replies included.

        Published ones for everyone; with ``with_pending`` (members, secretariat) also
        those awaiting moderation; and withdrawn top-level comments, which the page shows
        as a stub (「このコメントは取り下げられました」) when replies stand under them.
        One query: author and initiative come along.
        """
        states = [OpinionState.PUBLISHED]
        if with_pending:
            states.append(OpinionState.PENDING)
        return (
            self.from_members()
            .for_case_study(case_study)
            .filter(
                models.Q(state__in=states)
                | models.Q(state=OpinionState.WITHDRAWN, parent__isnull=True)
            )
            .select_related("author", "initiative__ward")
            .order_by("created_at", "pk")
        )


class Opinion(models.Model):
    """《委員からの意見》: a committee opinion on a case study or on a report section.

    Opinions printed in the report have ``source=report``; comments that committee
    members post on the portal have ``source=member``, an author and a moderation state.
    """

    case_study = models.ForeignKey(
        "initiatives.CaseStudy",
        verbose_name=_("case study"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="opinions",
    )
    section = models.ForeignKey(
        "initiatives.ReportSection",
        verbose_name=_("report section"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="opinions",
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinions",
        help_text=_("The initiative of the case that the opinion is about, if any."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    source = models.CharField(
        _("source"), max_length=10, choices=OpinionSource.choices, default=OpinionSource.MEMBER
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order within the report.")
    )
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    editorial_note = models.CharField(_("editorial note"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=OpinionState.choices, default=OpinionState.PENDING
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        help_text=_("Counts changes, so that an edit based on an older version is refused."),
    )

    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["source", "position", "created_at", "pk"]
        constraints = [
            valid_choice("source", OpinionSource, "opinion_source_valid"),
            valid_choice("state", OpinionState, "opinion_state_valid"),
            models.CheckConstraint(
                condition=(
                    models.Q(case_study__isnull=False, section__isnull=True)
                    | models.Q(case_study__isnull=True, section__isnull=False)
                ),
                name="opinion_on_case_or_section",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(source=OpinionSource.REPORT, author__isnull=True)
                    | models.Q(source=OpinionSource.MEMBER, author__isnull=False)
                ),
                name="opinion_author_matches_source",
            ),
        ]

    def __str__(self):
        return self.topic or self.body[:40]

    def get_absolute_url(self):
        if self.case_study_id:
            anchor = "opinion" if self.is_from_report else "comment"
            return f"{self.case_study.get_absolute_url()}#{anchor}-{self.pk}"
        return f"{self.section.get_absolute_url()}-opinions"

    @property
    def is_from_report(self) -> bool:
        return self.source == OpinionSource.REPORT

    @property
    def is_pending(self) -> bool:
        return self.state == OpinionState.PENDING

    @property
    def is_published(self) -> bool:
        return self.state == OpinionState.PUBLISHED

    @property
    def is_withdrawn(self) -> bool:
        return self.state == OpinionState.WITHDRAWN

    @property
    def author_name(self) -> str:
        """The member's display name (core.people): never the sign-in name."""
        return display_name(self.author)
