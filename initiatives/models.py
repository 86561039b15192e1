"""The report's structure and the wards' initiatives.

The names follow the committee report (第2節 参加・協働の拠点としての区役所に関する
取組の事例検証); each model's docstring gives the report's word for it.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import Count, F, Min, OuterRef, Prefetch, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from initiatives.fiscal_years import FIRST_ERA_YEAR, format_fiscal_year
from wards.models import Department
from wards.names import BilingualName
from wards.timeline import TimelineEntry


class NaturalKeyManager(models.Manager):
    """Looks objects up by the fields their ``natural_key()`` returns."""

    natural_key_fields: tuple[str, ...] = ("number",)

    def get_by_natural_key(self, *values):
        return self.get(**dict(zip(self.natural_key_fields, values, strict=True)))


class SlugManager(NaturalKeyManager):
    natural_key_fields = ("slug",)


def report_opinions():
    """The committee opinions printed in the report, in the report's order.

    Looked up by name: ``feedback`` depends on ``initiatives``, not the other way round.
    """
    return apps.get_model("feedback.Opinion").objects.from_report().published()


def fiscal_year_field(verbose_name, **kwargs):
    return models.PositiveSmallIntegerField(
        verbose_name,
        null=True,
        blank=True,
        help_text=_("The Gregorian year in which the fiscal year starts: 平成22年度 is 2010."),
        **kwargs,
    )


def fiscal_year_range(field_name: str) -> models.Q:
    """A stored fiscal year is empty or a plausible Gregorian year."""
    return models.Q(**{f"{field_name}__isnull": True}) | models.Q(
        **{f"{field_name}__gte": FIRST_ERA_YEAR, f"{field_name}__lte": 2200}
    )


class PointStyle(models.TextChoices):
    """How one item of a list shows: most are bullets; some are a paragraph or a label."""

    BULLET = "bullet", _("bullet")
    PARAGRAPH = "paragraph", _("paragraph")
    LABEL = "label", _("label")


class Point(models.Model):
    """One item of an ordered list of text, possibly nested one level (sub-list)."""

    position = models.PositiveSmallIntegerField(_("position"), default=0)
    depth = models.PositiveSmallIntegerField(
        _("depth"), default=0, help_text=_("0 for an item, 1 for an item of a sub-list.")
    )
    style = models.CharField(
        _("style"), max_length=10, choices=PointStyle.choices, default=PointStyle.BULLET
    )
    text = models.TextField(_("text"))
    editorial_note = models.CharField(
        _("editorial note"),
        max_length=300,
        blank=True,
        help_text=_("A correction shown beside the text, which is kept as the report wrote it."),
    )

    class Meta:
        abstract = True
        ordering = ["position"]

    def __str__(self):
        return self.text


# --- The report and its sections ------------------------------------------


class Report(BilingualName, models.Model):
    """The source document: one section (節) of the committee's report."""

    name_field = "title"

    slug = models.SlugField(_("slug"), unique=True)
    label = models.CharField(_("label"), max_length=20, help_text=_("e.g. 第2節"))
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)

    objects = SlugManager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["slug"]

    def __str__(self):
        return f"{self.label} {self.title}"

    def get_absolute_url(self):
        return reverse("initiatives:report")

    def natural_key(self):
        return (self.slug,)


class ReportSection(BilingualName, models.Model):
    """A numbered part of the report (1 めざすべき区役所像, 2 行財政改革プラン, 3 取組事例)."""

    name_field = "title"

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="sections"
    )
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)

    objects = NaturalKeyManager()

    class Meta:
        verbose_name = _("report section")
        verbose_name_plural = _("report sections")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return f"{reverse('initiatives:report')}#section-{self.number}"

    def natural_key(self):
        return (self.number,)


class SectionPart(models.TextChoices):
    """The rows of a section's summary table."""

    DIRECTION = "direction", _("direction")  # 取組の方向性
    CONTENTS = "contents", _("main contents")  # 主な取組内容
    FUTURE = "future", _("future direction")  # 今後の方向性等


class SectionPoint(Point):
    """A paragraph or list item in a section's summary table."""

    section = models.ForeignKey(
        ReportSection, verbose_name=_("section"), on_delete=models.CASCADE, related_name="points"
    )
    part = models.CharField(_("part"), max_length=10, choices=SectionPart.choices)

    class Meta(Point.Meta):
        verbose_name = _("section point")
        verbose_name_plural = _("section points")
        ordering = ["section", "part", "position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(part__in=SectionPart.values), name="sectionpoint_part_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(style__in=PointStyle.values), name="sectionpoint_style_valid"
            ),
        ]


class Footnote(models.Model):
    """A footnote of the report (脚注), e.g. ³ on 区における総合行政の推進."""

    section = models.ForeignKey(
        ReportSection, verbose_name=_("section"), on_delete=models.CASCADE, related_name="footnotes"
    )
    marker = models.CharField(_("marker"), max_length=5, unique=True)
    text = models.TextField(_("text"))
    editorial_note = models.CharField(_("editorial note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("footnote")
        verbose_name_plural = _("footnotes")
        ordering = ["section", "pk"]

    def __str__(self):
        return f"{self.marker} {self.text[:40]}"

    def get_absolute_url(self):
        return f"{reverse('initiatives:report')}#footnote-{self.pk}"


class FigurePanel(models.Model):
    """One side of the report's before/after picture of the ward office.

    ●これまでの区役所 (before) → ●これからの区役所 (after).
    """

    section = models.ForeignKey(
        ReportSection, verbose_name=_("section"), on_delete=models.CASCADE, related_name="panels"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    heading = models.CharField(_("heading"), max_length=200)
    basis = models.CharField(_("basis"), max_length=200, blank=True)
    items = models.JSONField(_("items"), default=list)

    class Meta:
        verbose_name = _("figure panel")
        verbose_name_plural = _("figure panels")
        ordering = ["section", "position"]
        constraints = [
            models.UniqueConstraint(fields=["section", "position"], name="figurepanel_unique"),
        ]

    def __str__(self):
        return self.heading


# --- The four visions -------------------------------------------------------


class VisionQuerySet(models.QuerySet):
    def for_list_page(self):
        """``/visions/``: each vision with its focus areas and case studies (3 queries)."""
        return self.prefetch_related("focus_areas", "case_studies")

    def for_detail_page(self):
        """``/visions/<n>/``: focus areas with their footnote and dated measures (3 queries).

        Its case studies and initiatives are counted and paginated by the view: a vision
        holds a quarter of every initiative."""
        return self.prefetch_related(
            Prefetch(
                "focus_areas",
                queryset=FocusArea.objects.select_related("footnote").prefetch_related("measures"),
            ),
        )


class VisionManager(NaturalKeyManager.from_queryset(VisionQuerySet)):
    pass


class Vision(BilingualName, models.Model):
    """めざすべき区役所像: one of the four target ward-office visions."""

    name_field = "title"

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200)

    objects = VisionManager()

    class Meta:
        verbose_name = _("vision")
        verbose_name_plural = _("visions")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("initiatives:vision-detail", kwargs={"number": self.number})

    def natural_key(self):
        return (self.number,)


class FocusAreaManager(NaturalKeyManager):
    natural_key_fields = ("vision__number", "position")


class FocusArea(BilingualName, models.Model):
    """A focus area under a vision, e.g. 区役所を地域のまちづくり拠点として整備."""

    name_field = "title"

    vision = models.ForeignKey(
        Vision, verbose_name=_("vision"), on_delete=models.CASCADE, related_name="focus_areas"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    footnote = models.ForeignKey(
        Footnote,
        verbose_name=_("footnote"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="focus_areas",
    )

    objects = FocusAreaManager()

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["vision__number", "position"]
        constraints = [
            models.UniqueConstraint(fields=["vision", "position"], name="focusarea_unique"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.vision.get_absolute_url()}#focus-area-{self.pk}"

    def natural_key(self):
        return (self.vision.number, self.position)

    natural_key.dependencies = ["initiatives.vision"]


class Measure(models.Model):
    """A dated measure under a focus area, e.g. 「地区まちづくり育成条例」の制定（平成21年度）."""

    focus_area = models.ForeignKey(
        FocusArea, verbose_name=_("focus area"), on_delete=models.CASCADE, related_name="measures"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(
        _("title"), max_length=300, help_text=_("Without the trailing fiscal year.")
    )
    fiscal_year = fiscal_year_field(_("fiscal year"))
    ongoing = models.BooleanField(
        _("ongoing"), default=False, help_text=_("Runs on from its fiscal year (…年度から).")
    )

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["focus_area__vision__number", "focus_area__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["focus_area", "position"], name="measure_unique"),
            models.CheckConstraint(
                condition=fiscal_year_range("fiscal_year"), name="measure_fiscal_year_range"
            ),
            models.CheckConstraint(
                condition=models.Q(ongoing=False) | models.Q(fiscal_year__isnull=False),
                name="measure_ongoing_needs_year",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.focus_area.vision.get_absolute_url()}#measure-{self.pk}"

    @property
    def fiscal_year_display(self) -> str:
        if self.fiscal_year is None:
            return ""
        return format_fiscal_year(self.fiscal_year, ongoing=self.ongoing)

    def timeline_entry(self) -> TimelineEntry | None:
        if self.fiscal_year is None:
            return None
        return TimelineEntry(
            key=f"measure-{self.pk}",
            fiscal_year=self.fiscal_year,
            kind=_("Measure"),
            title=self.title,
            url=self.get_absolute_url(),
            ongoing=self.ongoing,
        )


# --- The reform plan --------------------------------------------------------


class ReformPlanQuerySet(models.QuerySet):
    def current(self):
        """The plan in force: the one that started last."""
        return self.order_by("-starts_on")[:1]

    def for_detail_page(self):
        """``/reform-plan/``: the plan with its report section; top-level aims (as
        ``top_level_aims``) with their sub-aims; pillars with their items; the practical
        initiatives; the section's points and its report opinions (as
        ``section.report_opinions``) — 8 queries."""
        return self.select_related("section").prefetch_related(
            Prefetch(
                "aims",
                queryset=Aim.objects.filter(parent__isnull=True).prefetch_related("sub_aims"),
                to_attr="top_level_aims",
            ),
            Prefetch("pillars", queryset=Pillar.objects.prefetch_related("items")),
            "practical_initiatives",
            "section__points",
            Prefetch("section__opinions", queryset=report_opinions(), to_attr="report_opinions"),
        )


class ReformPlanManager(SlugManager.from_queryset(ReformPlanQuerySet)):
    pass


class ReformPlan(BilingualName, models.Model):
    """新たな行財政改革プラン～第4次改革プラン～ (three years from April 2011)."""

    name_field = "title"

    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    subtitle = models.CharField(_("subtitle"), max_length=200, blank=True)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    duration_years = models.PositiveSmallIntegerField(_("duration in years"))
    section = models.OneToOneField(
        ReportSection,
        verbose_name=_("report section"),
        on_delete=models.PROTECT,
        related_name="reform_plan",
    )

    objects = ReformPlanManager()

    class Meta:
        verbose_name = _("reform plan")
        verbose_name_plural = _("reform plans")
        ordering = ["starts_on"]

    def __str__(self):
        return f"{self.title}～{self.subtitle}～" if self.subtitle else self.title

    def get_absolute_url(self):
        return reverse("initiatives:reform-plan")

    def natural_key(self):
        return (self.slug,)


class Aim(models.Model):
    """ねらい: an aim of the reform plan; sub-aims ((1)…(3)) have a parent."""

    plan = models.ForeignKey(
        ReformPlan, verbose_name=_("reform plan"), on_delete=models.CASCADE, related_name="aims"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent aim"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sub_aims",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    lead = models.CharField(_("lead"), max_length=300, blank=True)
    body = models.TextField(_("body"), blank=True)

    class Meta:
        verbose_name = _("aim")
        verbose_name_plural = _("aims")
        ordering = ["plan", "parent__number", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                condition=models.Q(parent__isnull=True),
                name="aim_unique_top_level",
            ),
            models.UniqueConstraint(fields=["parent", "number"], name="aim_unique_sub_aim"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.plan.get_absolute_url()}#aim-{self.pk}"


class Pillar(BilingualName, models.Model):
    """One of the six pillars (改革の実現に向けた6つの取組)."""

    name_field = "title"

    plan = models.ForeignKey(
        ReformPlan, verbose_name=_("reform plan"), on_delete=models.CASCADE, related_name="pillars"
    )
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)

    objects = NaturalKeyManager()

    class Meta:
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")
        ordering = ["number"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.plan.get_absolute_url()}#pillar-{self.number}"

    def natural_key(self):
        return (self.number,)


class PillarItem(models.Model):
    """An item under a pillar, e.g. 公共サービスにおける民間部門のさらなる活用."""

    pillar = models.ForeignKey(
        Pillar, verbose_name=_("pillar"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("text"), max_length=300)

    class Meta:
        verbose_name = _("pillar item")
        verbose_name_plural = _("pillar items")
        ordering = ["pillar__number", "position"]
        constraints = [
            models.UniqueConstraint(fields=["pillar", "position"], name="pillaritem_unique"),
        ]

    def __str__(self):
        return self.text


class PracticalInitiative(models.Model):
    """具体的な実践の取組: the four practical initiatives named in the plan's summary."""

    plan = models.ForeignKey(
        ReformPlan,
        verbose_name=_("reform plan"),
        on_delete=models.CASCADE,
        related_name="practical_initiatives",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    pillar_item = models.ForeignKey(
        PillarItem,
        verbose_name=_("pillar item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practical_initiatives",
    )

    class Meta:
        verbose_name = _("practical initiative")
        verbose_name_plural = _("practical initiatives")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="practicalinitiative_unique"),
        ]

    def __str__(self):
        return self.title


# --- Case studies and initiatives -------------------------------------------


@dataclass(frozen=True)
class CaseHolding:
    """The first cases (in the report's order) that hold some of a set of initiatives,
    each with ``initiative_count``, how many of them it holds; ``total`` counts every
    case that holds some."""

    cases: list
    total: int

    @property
    def more(self) -> bool:
        return self.total > len(self.cases)


class CaseStudyQuerySet(models.QuerySet):
    def for_list_page(self):
        """``/cases/``: each case with its vision and focus area (1 query). The wards of
        its initiatives are counted by ``initiatives.overviews.wards_by_case()`` over the
        page's cases."""
        return self.select_related("vision", "focus_area__vision")

    def for_detail_page(self):
        """``/cases/<n>/``: the case with its vision and focus area; its organisational
        changes; the report's opinions on it (as ``report_opinions``) — 3 queries. Its
        initiatives are read by the view: a main one in full, the others a page at a time."""
        return self.select_related("vision", "focus_area__vision").prefetch_related(
            "organisational_changes",
            Prefetch("opinions", queryset=report_opinions(), to_attr="report_opinions"),
        )

    def for_ward_page(self):
        """Cases as ``/wards/<slug>/`` shows them: with vision and focus area, the focus
        area's measures and the case's organisational changes (for the timeline) and the
        report's opinions on it (as ``report_opinions``) — 4 queries."""
        return self.select_related("vision", "focus_area__vision").prefetch_related(
            "organisational_changes",
            "focus_area__measures",
            Prefetch("opinions", queryset=report_opinions(), to_attr="report_opinions"),
        )

    def for_vision_page(self):
        """Cases as ``/visions/<n>/`` shows them: with focus area and organisational
        changes (for the timeline) — 2 queries."""
        return self.select_related("focus_area__vision").prefetch_related("organisational_changes")

    def holding(self, initiatives, *, limit: int) -> CaseHolding:
        """The first ``limit`` cases, in the report's order, that hold any of
        ``initiatives`` (an Initiative queryset), each with ``initiative_count``.

        Evaluates: one grouped query over the initiatives (a row per case, not per
        initiative), then this queryset for the cases shown, with its prefetches."""
        counts = dict(initiatives.counts_by_case())
        shown = list(counts)[:limit]
        cases = self.in_bulk(shown)
        for case in cases.values():
            case.initiative_count = counts[case.pk]
        return CaseHolding(cases=[cases[pk] for pk in shown], total=len(counts))


class CaseStudyManager(NaturalKeyManager.from_queryset(CaseStudyQuerySet)):
    pass


class CaseStudy(BilingualName, models.Model):
    """区における取組事例: one of the report's case studies (事例①–④)."""

    name_field = "title"

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    vision = models.ForeignKey(
        Vision, verbose_name=_("vision"), on_delete=models.PROTECT, related_name="case_studies"
    )
    vision_text = models.CharField(
        _("vision as written"),
        max_length=200,
        blank=True,
        help_text=_("The vision cell of the case's table, as the report wrote it."),
    )
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("focus area"),
        on_delete=models.PROTECT,
        related_name="case_studies",
        help_text=_("Its place in the ward reform execution plan (区行政改革の実行計画（第2期）)."),
    )
    plan_heading = models.CharField(
        _("execution plan heading"),
        max_length=200,
        blank=True,
        help_text=_("The heading of the execution plan's entry, as the report wrote it."),
    )
    plan_item = models.CharField(_("execution plan item"), max_length=200, blank=True)
    main_heading = models.CharField(_("heading of the main initiative"), max_length=100, blank=True)
    others_heading = models.CharField(
        _("heading of the other initiatives"), max_length=100, blank=True
    )

    objects = CaseStudyManager()

    class Meta:
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")
        ordering = ["number"]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("initiatives:case-detail", kwargs={"number": self.number})

    def natural_key(self):
        return (self.number,)

    @property
    def label(self) -> str:
        """事例1 and the title, as links to the case read."""
        return f"事例{self.number} {self.title}"

    @property
    def label_en(self) -> str:
        return f"Case {self.number}: {self.title_en}" if self.title_en else ""


class OrganisationalChange(models.Model):
    """関連する組織整備等: a change of organisation related to a case study."""

    case_study = models.ForeignKey(
        CaseStudy,
        verbose_name=_("case study"),
        on_delete=models.CASCADE,
        related_name="organisational_changes",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("text"), max_length=300)
    fiscal_year = fiscal_year_field(_("fiscal year"))

    class Meta:
        verbose_name = _("organisational change")
        verbose_name_plural = _("organisational changes")
        ordering = ["case_study__number", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_study", "position"], name="organisationalchange_unique"
            ),
            models.CheckConstraint(
                condition=fiscal_year_range("fiscal_year"),
                name="organisationalchange_fiscal_year_range",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def fiscal_year_display(self) -> str:
        return format_fiscal_year(self.fiscal_year) if self.fiscal_year else ""

    def timeline_entry(self) -> TimelineEntry | None:
        if self.fiscal_year is None:
            return None
        return TimelineEntry(
            key=f"organisational-change-{self.pk}",
            fiscal_year=self.fiscal_year,
            kind=_("Organisational change"),
            title=self.text,
            url=self.case_study.get_absolute_url(),
        )


class InitiativeStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


def published_condition(prefix: str = "") -> models.Q:
    """What ``published()`` asks, of the initiatives at ``prefix`` (``"initiatives__"``
    from a ward): in one ``filter()`` with other conditions on those initiatives, the
    database joins them once and can read the partial indexes made for published ones."""
    return models.Q(
        **{
            f"{prefix}status": InitiativeStatus.PUBLISHED,
            f"{prefix}published_at__lte": timezone.now(),
        }
    )


def running_in(year: int) -> models.Q:
    """Initiatives running in fiscal ``year``: started by then, and not ended before it."""
    return models.Q(fiscal_year_start__lte=year) & (
        models.Q(fiscal_year_end__isnull=True) | models.Q(fiscal_year_end__gte=year)
    )


class InitiativeQuerySet(models.QuerySet):
    def published(self):
        """Visible to the public: published, with a publication time that has come."""
        return self.filter(published_condition())

    def for_ward(self, ward):
        return self.filter(ward=ward)

    def for_wards(self, wards):
        """Initiatives of any of these wards, found by the copy of the ward's position
        that leads the city order's index (a ward's position is unique)."""
        return self.filter(ward_position__in=[ward.position for ward in wards])

    def for_vision(self, vision):
        return self.filter(case_study__vision=vision)

    def for_case_study(self, case_study):
        return self.filter(case_study=case_study)

    def from_report(self):
        """The initiatives the report printed (not those ward staff entered since)."""
        return self.filter(in_report=True)

    def newest(self):
        return self.order_by("-published_at", "-pk")

    def starting_in(self, years):
        """Those whose first fiscal year is one of ``years``, with their ward (for their
        timeline entries)."""
        return self.filter(fiscal_year_start__in=years).select_related("ward")

    def in_city_order(self):
        """By ward in the city's usual order, then by case (initiatives of no case last),
        main initiative first, then the case's own order.

        The ward's position and the case's number are read from the initiative's own copy
        of them, so that the published initiatives' index serves the order.
        """
        return self.order_by(
            "ward_position",
            F("case_number").asc(nulls_last=True),
            "-is_main",
            "position",
            "pk",
        )

    def copy_city_order(self):
        """Copy each initiative's ward position and case number from its ward and case
        (one UPDATE): after a ward or a case is renumbered."""
        from wards.models import Ward

        return self.update(
            ward_position=Subquery(Ward.objects.filter(pk=OuterRef("ward_id")).values("position")),
            case_number=Subquery(
                CaseStudy.objects.filter(pk=OuterRef("case_study_id")).values("number")
            ),
        )

    def for_home_page(self):
        """The front page's newest published initiatives, with ward and case (1 query,
        served by the index ``initiative_newest``)."""
        return self.for_cards()

    def for_cards(self):
        """Published initiatives newest first, with the ward and case that
        ``includes/initiative_card.html`` shows; ``.for_ward()`` of it is served by the
        index ``initiative_ward_newest``."""
        return self.published().select_related("ward", "case_study").newest()

    def for_list_page(self):
        """``/initiatives/``: published initiatives in city order, with ward and the case's
        vision (1 query a page, plus the paginator's count)."""
        return self.published().select_related("ward", "case_study__vision").in_city_order()

    def for_detail_page(self):
        """``/initiatives/<id>/``: a published initiative with its ward, case, vision and
        focus area; its departments (the ward's own first, then the city's), points and
        photos (4 queries)."""
        return (
            self.published()
            .select_related("ward", "case_study__vision", "case_study__focus_area__vision")
            .prefetch_related(
                Prefetch(
                    "departments",
                    queryset=Department.objects.select_related("ward").order_by(
                        F("ward__position").asc(nulls_last=True), "name"
                    ),
                ),
                "points",
                "photos",
            )
        )

    def counts_by_vision_and_ward(self):
        """Published initiatives counted by their case's vision and their ward (1 query).

        One row per pair that has any, ``{"vision_number", "ward_slug", "count"}``.
        Initiatives that no case holds serve no vision and are left out.
        """
        return (
            self.published()
            .filter(case_study__isnull=False)
            .values(vision_number=F("case_study__vision__number"), ward_slug=F("ward__slug"))
            .annotate(count=Count("pk"))
            .order_by()
        )

    def counts_by_case(self):
        """``(case id, count)`` rows, one per case holding any of these initiatives, in the
        report's order (1 query). Initiatives that no case holds are left out."""
        # Grouped by the case alone, its number taken as an aggregate: the rows are
        # grouped before they are sorted (a few hundred cases, not thousands of rows).
        return (
            self.filter(case_study__isnull=False)
            .values_list("case_study")
            .annotate(count=Count("pk"), number=Min("case_study__number"))
            .order_by("number")
            .values_list("case_study", "count")
        )

    def fiscal_year_spans(self):
        """``(first fiscal year, last fiscal year or None, count)`` rows: these
        initiatives counted by their span of years (1 query; a row per span, at most a few
        hundred whatever the number of initiatives). Those without a year are left out."""
        return (
            self.filter(fiscal_year_start__isnull=False)
            .values_list("fiscal_year_start", "fiscal_year_end")
            .annotate(count=Count("pk"))
            .order_by()
        )

    def in_fiscal_year(self, year: int):
        """Initiatives running in the given fiscal year (started, and not yet ended)."""
        return self.filter(running_in(year))


class Initiative(models.Model):
    """One ward's initiative (取組), from the report or entered by ward staff."""

    ward = models.ForeignKey(
        "wards.Ward", verbose_name=_("ward"), on_delete=models.PROTECT, related_name="initiatives"
    )
    case_study = models.ForeignKey(
        CaseStudy,
        verbose_name=_("case study"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiatives",
        help_text=_("Empty for an initiative that no case of the report holds."),
    )
    is_main = models.BooleanField(
        _("main initiative of its case"),
        default=False,
        help_text=_("The case's (1) 主な取組; the others are (2) その他の取組."),
    )
    position = models.PositiveSmallIntegerField(_("position in its case"), default=0)
    in_report = models.BooleanField(
        _("printed in the report"),
        default=False,
        editable=False,
        help_text=_(
            "Set for the report's own initiatives when the report is loaded; /report/ shows "
            "only these. No form or import sets it."
        ),
    )
    title = models.CharField(
        _("title"), max_length=200, help_text=_("Without the ward's name in brackets.")
    )
    summary = models.TextField(
        _("narrative"), blank=True, help_text=_("Paragraphs separated by a blank line.")
    )
    editorial_note = models.CharField(_("editorial note"), max_length=300, blank=True)
    departments = models.ManyToManyField(
        "wards.Department",
        verbose_name=_("departments"),
        related_name="initiatives",
        blank=True,
    )
    pillars = models.ManyToManyField(
        Pillar,
        verbose_name=_("reform pillars"),
        related_name="initiatives",
        blank=True,
        help_text=_("The pillars of the reform plan (改革の6つの取組) that the initiative serves."),
    )
    fiscal_year_start = fiscal_year_field(_("first fiscal year"))
    fiscal_year_end = fiscal_year_field(_("last fiscal year"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.DRAFT,
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_("May lie in the future; the initiative shows from then on."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Copies of ward.position and case_study.number, kept by initiatives.signals: the list's
    # city order must come from one table for an index to serve it (an index cannot span
    # a join), or 100,000 rows are sorted for every page of 20.
    ward_position = models.PositiveSmallIntegerField(
        _("ward's position"), default=0, editable=False
    )
    case_number = models.PositiveSmallIntegerField(_("case number"), null=True, editable=False)

    objects = InitiativeQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[departments],
        excluded_fields=["updated_at", "ward_position", "case_number"],
    )

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["case_study__number", "-is_main", "position", "pk"]
        permissions = [
            ("import_initiative", _("Can import initiatives")),
            ("export_initiative", _("Can export initiatives")),
        ]
        indexes = [
            # The public list's order (in_city_order) over published initiatives: a page is
            # an index range scan, not a sort of every row. On PostgreSQL it also covers
            # what counts and facet counts read, so that they are index-only scans.
            models.Index(
                fields=["ward_position", "case_number", "-is_main", "position", "id"],
                include=[
                    "published_at",
                    "ward",
                    "case_study",
                    "fiscal_year_start",
                    "fiscal_year_end",
                ],
                condition=models.Q(status=InitiativeStatus.PUBLISHED),
                name="initiative_city_order",
            ),
            # The newest published first: the front page, and a ward's page of its own.
            models.Index(
                fields=["-published_at", "-id"],
                condition=models.Q(status=InitiativeStatus.PUBLISHED),
                name="initiative_newest",
            ),
            # A ward's page of its own, and (holding the columns they read) its counts by
            # case and by fiscal year, read from the index alone.
            models.Index(
                fields=[
                    "ward",
                    "-published_at",
                    "-id",
                    "case_study",
                    "fiscal_year_start",
                    "fiscal_year_end",
                ],
                condition=models.Q(status=InitiativeStatus.PUBLISHED),
                name="initiative_ward_newest",
            ),
            # A case's or a vision's published initiatives counted (by ward, by fiscal
            # year), read from the index alone.
            models.Index(
                fields=[
                    "case_study",
                    "published_at",
                    "id",
                    "ward",
                    "fiscal_year_start",
                    "fiscal_year_end",
                ],
                condition=models.Q(status=InitiativeStatus.PUBLISHED),
                name="initiative_case_published",
            ),
            # The report's own few among all: /report/ reads them by case.
            models.Index(
                fields=["case_study"],
                condition=models.Q(in_report=True),
                name="initiative_in_report",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=InitiativeStatus.values),
                name="initiative_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status=InitiativeStatus.DRAFT)
                | models.Q(published_at__isnull=False),
                name="initiative_published_has_time",
            ),
            models.CheckConstraint(
                condition=fiscal_year_range("fiscal_year_start"),
                name="initiative_fiscal_year_start_range",
            ),
            models.CheckConstraint(
                condition=fiscal_year_range("fiscal_year_end"),
                name="initiative_fiscal_year_end_range",
            ),
            models.CheckConstraint(
                condition=models.Q(fiscal_year_end__isnull=True)
                | models.Q(
                    fiscal_year_start__isnull=False,
                    fiscal_year_end__gte=models.F("fiscal_year_start"),
                ),
                name="initiative_fiscal_years_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.title}（{self.ward}）" if self.ward_id else self.title

    def get_absolute_url(self):
        return reverse("initiatives:detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return (
            self.status == InitiativeStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.summary.split("\n\n") if p.strip()]

    @property
    def fiscal_years_display(self) -> str:
        if self.fiscal_year_start is None:
            return ""
        if self.fiscal_year_end is None:
            return format_fiscal_year(self.fiscal_year_start, ongoing=True)
        if self.fiscal_year_end == self.fiscal_year_start:
            return format_fiscal_year(self.fiscal_year_start)
        start = format_fiscal_year(self.fiscal_year_start)
        return f"{start}–{format_fiscal_year(self.fiscal_year_end)}"

    def timeline_entry(self) -> TimelineEntry | None:
        """Under its first fiscal year; ongoing while it has no last one."""
        if self.fiscal_year_start is None:
            return None
        last = self.fiscal_year_end
        return TimelineEntry(
            key=f"initiative-{self.pk}",
            fiscal_year=self.fiscal_year_start,
            kind=_("Initiative"),
            title=str(self),
            url=self.get_absolute_url(),
            ongoing=last is None,
            last_fiscal_year=last if last != self.fiscal_year_start else None,
        )


class InitiativePart(models.TextChoices):
    # "aims" alone is the reform plan's; an initiative's are 取組のねらい.
    AIM = "aim", pgettext_lazy("initiative", "aims")
    CONTENT = "content", _("contents")  # 取組内容
    FUTURE = "future", _("future direction")  # 今後の方向性等


class InitiativePoint(Point):
    """An item of an initiative's aims, contents or future direction."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="points"
    )
    part = models.CharField(_("part"), max_length=10, choices=InitiativePart.choices)

    history = HistoricalRecords()

    class Meta(Point.Meta):
        verbose_name = _("initiative point")
        verbose_name_plural = _("initiative points")
        ordering = ["initiative", "part", "position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(part__in=InitiativePart.values),
                name="initiativepoint_part_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(style__in=PointStyle.values),
                name="initiativepoint_style_valid",
            ),
        ]


def photo_upload_to(instance, filename):
    return f"initiatives/{instance.initiative_id or 'new'}/{filename}"


def photo_thumbnail_upload_to(instance, filename):
    return f"initiatives/{instance.initiative_id or 'new'}/thumbnails/{filename}"


class Photo(models.Model):
    """A photo of an initiative. The report's photos are known by caption only."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="photos"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    image = models.ImageField(_("image"), upload_to=photo_upload_to, blank=True)
    caption = models.CharField(_("caption"), max_length=200)
    alt_text = models.CharField(_("alternative text"), max_length=300, blank=True)
    thumbnail = models.ImageField(
        _("thumbnail"), upload_to=photo_thumbnail_upload_to, blank=True, editable=False
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["initiative", "position", "pk"]

    def __str__(self):
        return self.caption

    def get_absolute_url(self):
        return f"{self.initiative.get_absolute_url()}#photo-{self.pk}"
