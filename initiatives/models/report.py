"""The report's structure: the report and its sections, the four visions with their focus
areas and measures, the reform plan with its aims and pillars, and the case studies.

The names follow the committee report (第2節 参加・協働の拠点としての区役所に関する
取組の事例検証); each model's docstring gives the report's word for it.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.constraints import valid_choice
from core.fiscal_years import format_fiscal_year
from core.names import BilingualName
from core.timeline import TimelineEntry
from initiatives.models.base import (
    NaturalKeyManager,
    Point,
    SlugManager,
    fiscal_year_field,
    fiscal_year_range,
)


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
            valid_choice("part", SectionPart, "sectionpoint_part_valid"),
            *Point.Meta.constraints,
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
            fiscal_year_range("fiscal_year", "measure_fiscal_year_range"),
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
        initiatives; the section's points — 7 queries. The page adds the section's report
        opinions (``Opinion.objects.report_prefetch``): opinions stand above initiatives."""
        return self.select_related("section").prefetch_related(
            Prefetch(
                "aims",
                queryset=Aim.objects.filter(parent__isnull=True).prefetch_related("sub_aims"),
                to_attr="top_level_aims",
            ),
            Prefetch("pillars", queryset=Pillar.objects.prefetch_related("items")),
            "practical_initiatives",
            "section__points",
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
        its initiatives are counted by ``portal.overviews.wards_by_case()`` over the
        page's cases."""
        return self.select_related("vision", "focus_area__vision")

    def for_detail_page(self):
        """``/cases/<n>/``: the case with its vision and focus area; its organisational
        changes — 2 queries; the page adds the report's opinions on it
        (``Opinion.objects.report_prefetch``). Its initiatives are read by the view: a main
        one in full, the others a page at a time."""
        return self.select_related("vision", "focus_area__vision").prefetch_related(
            "organisational_changes",
        )

    def for_ward_page(self):
        """Cases as ``/wards/<slug>/`` shows them: with vision and focus area, the focus
        area's measures and the case's organisational changes (for the timeline) — 3 queries;
        the page adds the report's opinions on it (``Opinion.objects.report_prefetch``)."""
        return self.select_related("vision", "focus_area__vision").prefetch_related(
            "organisational_changes",
            "focus_area__measures",
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
            fiscal_year_range("fiscal_year", "organisationalchange_fiscal_year_range"),
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
