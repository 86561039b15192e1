"""What the wards promised (今後の方向性等) and how far they have got.

A ``Commitment`` is one promise: an item of an initiative's future direction, an item of
a report section's own future direction (the city's, with no ward), or one that staff
enter. The report's commitments carry the state 「報告書の時点（進捗の報告なし）」 and
nothing else: no status, value or date is invented that the source does not give.
A ``ProgressReport`` is a dated account of progress; once published it moves its
commitment's value and status (``initiatives.services.progress_report_publish``).
"""

import datetime
from decimal import Decimal

from django.db import models
from django.db.models import Case, Count, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.constraints import valid_choice
from core.fiscal_years import fiscal_year_of, months_before
from initiatives.models.base import fiscal_year_field, fiscal_year_range, has_come
from initiatives.models.initiatives import Initiative, InitiativePoint, published_condition
from initiatives.models.report import SectionPoint
from wards.models import CuratedQuerySet

# A commitment with no published report for this long shows as stale (更新なし).
STALE_AFTER_MONTHS = 12


class CommitmentStatus(models.TextChoices):
    # The report's own commitments, before anyone reports on them.
    AS_REPORTED = "as_reported", _("as of the report (no progress reported)")
    NOT_STARTED = "not_started", _("not started")  # 未着手
    IN_PROGRESS = "in_progress", _("in progress")  # 進行中
    ACHIEVED = "achieved", _("achieved")  # 達成
    UNDER_REVIEW = "under_review", _("under review")  # 見直し
    CANCELLED = "cancelled", _("cancelled")  # 中止


# What a progress report or staff may set: every status but the report's own.
REPORTED_STATUSES = [
    (value, label)
    for value, label in CommitmentStatus.choices
    if value != CommitmentStatus.AS_REPORTED
]
# Statuses that go stale without reports; achieved and cancelled are where a promise ends.
OPEN_STATUSES = (
    CommitmentStatus.NOT_STARTED,
    CommitmentStatus.IN_PROGRESS,
    CommitmentStatus.UNDER_REVIEW,
)
# The state shown and counted for a stale commitment, in place of its status.
STALE = "stale"
# Every state a commitment shows, in the order pages list them.
STATES = (*CommitmentStatus.values, STALE)


def stale_before(now: datetime.datetime | None = None) -> datetime.datetime:
    """The first moment of the day after the date ``STALE_AFTER_MONTHS`` months ago: a
    commitment whose latest report (or, lacking one, its entry) came before it is stale.

    Counted by local dates: a report of 2025-12-01 is stale from 2026-12-01, and not on
    2026-11-30 (11 months and 30 days later)."""
    today = timezone.localdate(now or timezone.now())
    first_fresh_day = months_before(today, STALE_AFTER_MONTHS) + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(first_fresh_day, datetime.time.min))


def stale_condition(now=None, prefix: str = "") -> Q:
    """Commitments (at ``prefix``) in an open status whose latest published report (or,
    with none, their entry by staff) came before ``stale_before(now)``. The report's own
    commitments, never reported on, show their as-reported state instead."""
    before = stale_before(now)
    return Q(**{f"{prefix}status__in": OPEN_STATUSES}) & (
        Q(**{f"{prefix}last_reported_at__lt": before})
        | Q(**{f"{prefix}last_reported_at__isnull": True, f"{prefix}entered_at__lt": before})
    )


def public_commitment_condition(prefix: str = "") -> Q:
    """Commitments (at ``prefix``) that the public sees: the city's own, and those of a
    published initiative."""
    return Q(**{f"{prefix}initiative__isnull": True}) | published_condition(f"{prefix}initiative__")


class CommitmentQuerySet(CuratedQuerySet):
    """Commitments belong to the ward of their initiative; the city's own (no initiative)
    only the secretariat curates."""

    ward_path = "initiative__ward"

    def public(self):
        return self.filter(public_commitment_condition())

    def for_vision(self, vision):
        return self.filter(initiative__case_study__vision=vision)

    def from_report(self):
        return self.filter(from_report=True)

    def stale(self, now=None):
        return self.filter(stale_condition(now))

    def with_state(self, now=None):
        """Each with ``state``: its status, or ``"stale"`` (``STALE``) when it is stale."""
        return self.annotate(
            state=Case(
                When(stale_condition(now), then=Value(STALE)),
                default=F("status"),
                output_field=models.CharField(),
            )
        )

    def state_counts(self, now=None) -> dict[str, int]:
        """How many are in each state, each commitment counted once (1 query)."""
        rows = self.with_state(now).order_by().values("state").annotate(n=Count("pk"))
        counts = dict.fromkeys(STATES, 0)
        counts.update({row["state"]: row["n"] for row in rows})
        return counts

    def state_counts_by(self, path: str, now=None) -> dict:
        """``{value at path: {state: count}}``, each commitment counted once (1 query)."""
        rows = (
            self.with_state(now)
            .order_by()
            .values(key=F(path) if path else Value(None), state_=F("state"))
            .annotate(n=Count("pk"))
        )
        counts: dict = {}
        for row in rows:
            counts.setdefault(row["key"], dict.fromkeys(STATES, 0))[row["state_"]] = row["n"]
        return counts

    def in_city_order(self):
        """The city's own first, then by ward in the city's order, initiative, position."""
        return self.order_by(
            F("initiative__ward_position").asc(nulls_first=True),
            F("initiative__case_number").asc(nulls_last=True),
            "initiative__position",
            "initiative",
            "position",
            "pk",
        )

    def newest_reported(self):
        """The latest reported first, those never reported last (on PostgreSQL the index
        ``commitment_newest_reported`` of migration 0006 serves it; SQLite has no NULLS LAST
        in an index)."""
        return self.order_by(F("last_reported_at").desc(nulls_last=True), "-pk")

    def for_dashboard(self, now=None):
        """``/progress/``: public commitments, the latest reported first, with their state,
        initiative, ward, case's vision and (for the city's own) section (1 query a page).

        Not in city order: that order lies on the initiatives, and a page of it would sort
        every public commitment (66,000 at 100,000 initiatives); this one is read along an
        index of the commitments' own. The rollups show them by ward and by vision."""
        return (
            self.public()
            .with_state(now)
            .select_related(
                "initiative__ward", "initiative__case_study__vision", "section_point__section"
            )
            .newest_reported()
        )

    def for_initiative_page(self, now=None):
        """An initiative's commitments with their state and published reports, newest
        first (2 queries)."""
        return (
            self.with_state(now)
            .order_by("position", "pk")
            .prefetch_related(
                models.Prefetch(
                    "reports",
                    queryset=ProgressReport.objects.published().order_by("-published_at", "-pk"),
                    to_attr="published_reports",
                )
            )
        )


class Commitment(models.Model):
    """One promise of a ward (or of the city): 「3か年で8か所…の冒険あそび場の設立をめざす」."""

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="commitments",
        null=True,
        blank=True,
        help_text=_("Empty only for the city's own commitments from a report section."),
    )
    point = models.ForeignKey(
        InitiativePoint,
        verbose_name=_("future-direction item"),
        on_delete=models.SET_NULL,
        related_name="commitments",
        null=True,
        blank=True,
        help_text=_(
            "The item of the initiative's future direction (今後の方向性等) it comes from."
        ),
    )
    section_point = models.ForeignKey(
        SectionPoint,
        verbose_name=_("section's future-direction item"),
        on_delete=models.PROTECT,
        related_name="commitments",
        null=True,
        blank=True,
        help_text=_("For the city's own commitments: the report section's item."),
    )
    from_report = models.BooleanField(
        _("from the report"),
        default=False,
        editable=False,
        help_text=_("Set for the report's own commitments when the report is loaded."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("text"), help_text=_("As the source or the ward wrote it."))
    target_value = models.DecimalField(
        _("target value"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Only where the source states a measurable target (8 of 8 か所)."),
    )
    target_unit = models.CharField(_("target unit"), max_length=20, blank=True)
    period = models.CharField(
        _("period"), max_length=50, blank=True, help_text=_("As the source states it: 3か年.")
    )
    status = models.CharField(
        pgettext_lazy("commitment", "status"),
        max_length=20,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.NOT_STARTED,
    )
    current_value = models.DecimalField(
        _("current value"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
        help_text=_("The latest value a published progress report gave."),
    )
    last_reported_at = models.DateTimeField(
        _("last reported at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When its latest progress report was published."),
    )
    entered_at = models.DateTimeField(
        _("entered at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When staff entered it; empty for the report's own."),
    )

    objects = CommitmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["initiative", "position", "pk"]
        indexes = [
            models.Index(fields=["status", "last_reported_at"], name="commitment_status_reported"),
        ]
        constraints = [
            valid_choice("status", CommitmentStatus, "commitment_status_valid"),
            models.CheckConstraint(
                condition=Q(initiative__isnull=False) | Q(section_point__isnull=False),
                name="commitment_has_initiative_or_section",
            ),
            # The report's state says that nothing was reported: nothing may be.
            models.CheckConstraint(
                condition=~Q(status=CommitmentStatus.AS_REPORTED)
                | Q(from_report=True, current_value__isnull=True, last_reported_at__isnull=True),
                name="commitment_as_reported_untouched",
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | Q(target_value__gt=0),
                name="commitment_target_positive",
            ),
            models.UniqueConstraint(
                fields=["point"], condition=Q(point__isnull=False), name="commitment_one_per_point"
            ),
            models.UniqueConstraint(
                fields=["section_point"],
                condition=Q(section_point__isnull=False),
                name="commitment_one_per_section_point",
            ),
        ]

    def __str__(self):
        return self.text if len(self.text) <= 60 else f"{self.text[:59]}…"

    def save(self, *args, **kwargs):
        # Not for fixtures (loaddata saves raw, past save()): the report gives no such date.
        if self._state.adding and self.entered_at is None and not self.from_report:
            self.entered_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if self.initiative_id is None:
            return f"{reverse('progress:dashboard')}#commitment-{self.pk}"
        return f"{self.initiative.get_absolute_url()}#commitment-{self.pk}"

    @property
    def ward(self):
        return self.initiative.ward if self.initiative_id else None

    @property
    def progress_share(self) -> Decimal | None:
        """The latest value as a share of the target (0 to 1 and beyond), or None where
        there is no target or no reported value: never guessed."""
        if self.target_value is None or self.current_value is None or self.target_value <= 0:
            return None
        return self.current_value / self.target_value

    @property
    def progress_percent(self) -> int | None:
        share = self.progress_share
        return None if share is None else int((share * 100).to_integral_value())

    @property
    def progress_bar_value(self) -> int | None:
        """The bar's fill, at most full (the text says the real share)."""
        percent = self.progress_percent
        return None if percent is None else min(percent, 100)

    def is_stale(self, now=None) -> bool:
        if self.status not in OPEN_STATUSES:
            return False
        reference = self.last_reported_at or self.entered_at
        return reference is not None and reference < stale_before(now)

    @property
    def shown_state(self) -> str:
        """``state`` where the queryset annotated it, else worked out now."""
        state = getattr(self, "state", None)
        if state is None:
            state = STALE if self.is_stale() else self.status
        return state


class ReportState(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


def progress_photo_upload_to(instance, filename):
    return f"progress/{instance.commitment_id or 'new'}/{filename}"


class ProgressReportQuerySet(CuratedQuerySet):
    ward_path = "commitment__initiative__ward"

    def published(self):
        """Visible to the public: published, with a time that has come, of a public
        commitment. The feeds of progress (issue 15) read this."""
        return self.filter(
            Q(state=ReportState.PUBLISHED, published_at__lte=timezone.now())
            & public_commitment_condition("commitment__")
        )

    def newest(self):
        return self.order_by("-published_at", "-pk")


class ProgressReport(models.Model):
    """A dated account of a commitment's progress (進捗報告), a draft until published."""

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    fiscal_year = fiscal_year_field(_("fiscal year"))
    reported_on = models.DateField(
        _("date"), null=True, blank=True, help_text=_("Give a date or a fiscal year (or both).")
    )
    text = models.TextField(_("text"))
    new_status = models.CharField(
        pgettext_lazy("commitment", "status"),
        max_length=20,
        choices=REPORTED_STATUSES,
        help_text=_("Where it stands now."),
    )
    new_value = models.DecimalField(
        _("new value"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The value reached, in the target's unit, where there is a target."),
    )
    photo = models.ImageField(_("photo"), upload_to=progress_photo_upload_to, blank=True)
    photo_alt_text = models.CharField(_("photo's alternative text"), max_length=300, blank=True)
    state = models.CharField(
        _("publication"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT
    )
    published_at = models.DateTimeField(_("publication time"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ProgressReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["commitment", "-published_at", "-pk"]
        indexes = [
            models.Index(
                fields=["commitment", "-published_at"],
                condition=Q(state=ReportState.PUBLISHED),
                name="progressreport_published",
            ),
        ]
        constraints = [
            valid_choice("state", ReportState, "progressreport_state_valid"),
            models.CheckConstraint(
                condition=Q(new_status__in=[value for value, _label in REPORTED_STATUSES]),
                name="progressreport_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(state=ReportState.DRAFT) | Q(published_at__isnull=False),
                name="progressreport_published_has_time",
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__isnull=False) | Q(reported_on__isnull=False),
                name="progressreport_dated",
            ),
            fiscal_year_range("fiscal_year", "progressreport_fiscal_year_range"),
            models.CheckConstraint(
                condition=Q(photo="") | ~Q(photo_alt_text=""),
                name="progressreport_photo_has_alt_text",
            ),
        ]

    def __str__(self):
        return f"{self.commitment}: {self.text[:40]}"

    def save(self, *args, **kwargs):
        if self.fiscal_year is None and self.reported_on is not None:
            self.fiscal_year = fiscal_year_of(self.reported_on)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.commitment.get_absolute_url().split('#')[0]}#progress-report-{self.pk}"

    @property
    def is_public(self) -> bool:
        return self.state == ReportState.PUBLISHED and has_come(self.published_at)
