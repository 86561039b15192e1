"""The wards' initiatives: what each ward does, with its points, departments and photos."""

from django.db import models
from django.db.models import Count, F, Min, OuterRef, Prefetch, Subquery
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.constraints import valid_choice
from core.fiscal_years import format_fiscal_year
from core.history import (
    VersionedHistoricalRecords,
    VersionedModel,
    VersionSnapshot,
    connect_part,
)
from core.timeline import TimelineEntry
from initiatives.models.base import Point, fiscal_year_field, fiscal_year_range, has_come
from initiatives.models.report import CaseStudy, Pillar
from wards.models import CuratedQuerySet, Department, Ward


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


def published_index(name: str, *, fields: list[str], include: list[str] = ()) -> models.Index:
    """An index of the published initiatives only: the public pages read no others (their
    publication time is compared at query time, which an index condition cannot do)."""
    return models.Index(
        fields=fields,
        include=include,
        condition=models.Q(status=InitiativeStatus.PUBLISHED),
        name=name,
    )


def wards_with_initiative_counts():
    """``/wards/``: each ward with ``initiative_count``, its published initiatives (1 query)."""
    published = Initiative.objects.published()
    # An aggregate drops Meta.ordering, so the city's order is asked for again.
    return Ward.objects.annotate(
        initiative_count=Count("initiatives", filter=models.Q(initiatives__in=published))
    ).order_by("position")


class InitiativeQuerySet(CuratedQuerySet):
    def published(self):
        """Visible to the public: published, with a publication time that has come."""
        return self.filter(published_condition())

    def scheduled(self):
        """Published, with a publication time still to come (公開予定)."""
        return self.filter(status=InitiativeStatus.PUBLISHED, published_at__gt=timezone.now())

    def drafts(self):
        return self.filter(status=InitiativeStatus.DRAFT)

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


class Initiative(VersionedModel, models.Model):
    """One ward's initiative (取組), from the report or entered by ward staff.

    A version of it holds its points, departments and photos' captions too
    (``core.history``): the history shows them, a restore brings them all back.
    """

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
    history = VersionedHistoricalRecords(
        verbose_name=_("version of an initiative"),
        verbose_name_plural=_("versions of initiatives"),
        bases=[VersionSnapshot],
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
            published_index(
                "initiative_city_order",
                fields=["ward_position", "case_number", "-is_main", "position", "id"],
                include=[
                    "published_at",
                    "ward",
                    "case_study",
                    "fiscal_year_start",
                    "fiscal_year_end",
                ],
            ),
            # The newest published first: the front page, a ward's page of its own, and
            # /initiatives/ in its default order (新着順). On PostgreSQL it also covers what
            # the list's filters read, so that a filtered page of ids is an index-only scan.
            published_index(
                "initiative_newest",
                fields=["-published_at", "-id"],
                include=["ward", "case_study", "fiscal_year_start", "fiscal_year_end"],
            ),
            # A ward's page of its own, and (holding the columns they read) its counts by
            # case and by fiscal year, read from the index alone.
            published_index(
                "initiative_ward_newest",
                fields=[
                    "ward",
                    "-published_at",
                    "-id",
                    "case_study",
                    "fiscal_year_start",
                    "fiscal_year_end",
                ],
            ),
            # A case's or a vision's published initiatives counted (by ward, by fiscal
            # year), read from the index alone.
            published_index(
                "initiative_case_published",
                fields=[
                    "case_study",
                    "published_at",
                    "id",
                    "ward",
                    "fiscal_year_start",
                    "fiscal_year_end",
                ],
            ),
            # The report's own few among all: /report/ reads them by case.
            models.Index(
                fields=["case_study"],
                condition=models.Q(in_report=True),
                name="initiative_in_report",
            ),
        ]
        constraints = [
            valid_choice("status", InitiativeStatus, "initiative_status_valid"),
            models.CheckConstraint(
                condition=models.Q(status=InitiativeStatus.DRAFT)
                | models.Q(published_at__isnull=False),
                name="initiative_published_has_time",
            ),
            fiscal_year_range("fiscal_year_start", "initiative_fiscal_year_start_range"),
            fiscal_year_range("fiscal_year_end", "initiative_fiscal_year_end_range"),
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
        return self.status == InitiativeStatus.PUBLISHED and has_come(self.published_at)

    @property
    def publication_state(self) -> str:
        """下書き, 公開予定（日時）or 公開, as the admin's list shows it."""
        if self.status != InitiativeStatus.PUBLISHED or self.published_at is None:
            return str(_("draft"))
        if self.published_at > timezone.now():
            when = formats.date_format(
                timezone.localtime(self.published_at), "SHORT_DATETIME_FORMAT"
            )
            return str(_("scheduled (%(when)s)") % {"when": when})
        return str(_("published"))

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

    def version_snapshot(self) -> dict:
        """The points and photos' captions kept with each version (2 queries)."""
        return self.version_snapshots([self.pk])[self.pk]

    @classmethod
    def version_snapshots(cls, pks) -> dict:
        """``version_snapshot()`` of each of these initiatives, in 2 queries whatever their
        number (an import writes thousands of versions at once)."""
        snapshots = {pk: {"points": [], "photos": []} for pk in pks}
        # Plain values, not model instances: an import's 10,000 versions hold 80,000 points.
        point_fields = ("part", "position", "depth", "style", "text", "editorial_note")
        points = InitiativePoint.objects.filter(initiative_id__in=pks).order_by(
            "initiative_id", "part", "position", "pk"
        )
        for initiative_id, *values in points.values_list("initiative_id", *point_fields):
            snapshots[initiative_id]["points"].append(dict(zip(point_fields, values, strict=True)))
        photo_fields = ("id", "position", "caption", "alt_text", "image", "thumbnail")
        photos = Photo.objects.filter(initiative_id__in=pks).order_by(
            "initiative_id", "position", "pk"
        )
        for initiative_id, *values in photos.values_list("initiative_id", *photo_fields):
            photo = dict(zip(photo_fields, values, strict=True))
            photo["image"], photo["thumbnail"] = photo["image"] or "", photo["thumbnail"] or ""
            snapshots[initiative_id]["photos"].append(photo)
        return snapshots

    @classmethod
    def version_snapshot_parts(cls, snapshot: dict) -> list[tuple[str, str, str]]:
        """The aims, contents, future directions and captions of a version, one line an
        item (a sub-item indented), as the history and the conflict message show them."""
        if not snapshot:
            return []
        parts = []
        for part in InitiativePart:
            lines = [
                ("　" * point["depth"]) + "・" + point["text"]
                for point in snapshot.get("points", [])
                if point["part"] == part.value
            ]
            parts.append((f"points_{part.value}", part.label, "\n".join(lines)))
        captions = [photo["caption"] for photo in snapshot.get("photos", [])]
        parts.append(("captions", _("photo captions"), "\n".join(captions)))
        return parts


class InitiativeContentQuerySet(CuratedQuerySet):
    """An initiative's points and photos belong to its ward."""

    ward_path = "initiative__ward"


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

    objects = InitiativeContentQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name=_("version of an initiative point"),
        verbose_name_plural=_("versions of initiative points"),
    )

    class Meta(Point.Meta):
        verbose_name = _("initiative point")
        verbose_name_plural = _("initiative points")
        ordering = ["initiative", "part", "position"]
        constraints = [
            valid_choice("part", InitiativePart, "initiativepoint_part_valid"),
            *Point.Meta.constraints,
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

    objects = InitiativeContentQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name=_("version of a photo"), verbose_name_plural=_("versions of photos")
    )

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["initiative", "position", "pk"]

    def __str__(self):
        return self.caption

    def get_absolute_url(self):
        return f"{self.initiative.get_absolute_url()}#photo-{self.pk}"


# A point or a photo saved on its own (the photo admin, a factory) is a version of its
# initiative; saved with it in the initiative's form, it is part of that version.
connect_part(InitiativePoint, owner=lambda point: point.initiative)
connect_part(Photo, owner=lambda photo: photo.initiative)
