from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.db.models import ManyToManyField, Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from core.forms import FiscalYearField, add_required_error
from core.history import HistoryAdminMixin, VersionedAdminMixin, VersionedFormMixin
from initiatives import models, services
from initiatives.photos import photo_clean
from initiatives.resources import InitiativeResource
from wards.admin import OwnWardFieldMixin, SpreadsheetImportExportMixin, WardScopedAdminMixin
from wards.models import Department
from wards.roles import sees_every_ward, ward_of


def inline(model, style=admin.TabularInline):
    """An inline of ``model`` on its parent's page: its rows, and no blank ones to fill."""
    return type(f"{model.__name__}Inline", (style,), {"model": model, "extra": 0})


@admin.register(models.Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["label", "title"]


@admin.register(models.ReportSection)
class ReportSectionAdmin(admin.ModelAdmin):
    list_display = ["number", "title"]
    inlines = [
        inline(models.SectionPoint),
        inline(models.Footnote),
        inline(models.FigurePanel, admin.StackedInline),
    ]


@admin.register(models.Vision)
class VisionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "title_en"]
    inlines = [inline(models.FocusArea)]


@admin.register(models.FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ["title", "vision", "position"]
    list_filter = ["vision"]
    inlines = [inline(models.Measure)]


@admin.register(models.Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["title", "focus_area", "fiscal_year", "ongoing"]
    list_filter = ["focus_area__vision", "fiscal_year"]
    search_fields = ["title"]


@admin.register(models.ReformPlan)
class ReformPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "subtitle", "starts_on", "duration_years"]
    inlines = [
        inline(models.Aim, admin.StackedInline),
        inline(models.Pillar),
        inline(models.PracticalInitiative),
    ]


@admin.register(models.Aim)
class AimAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "parent", "number"]


@admin.register(models.Pillar)
class PillarAdmin(admin.ModelAdmin):
    list_display = ["number", "title"]
    inlines = [inline(models.PillarItem)]


@admin.register(models.PillarItem)
class PillarItemAdmin(admin.ModelAdmin):
    list_display = ["text", "pillar", "position"]
    list_filter = ["pillar"]


@admin.register(models.PracticalInitiative)
class PracticalInitiativeAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "pillar_item"]


@admin.register(models.CaseStudy)
class CaseStudyAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "vision", "focus_area"]
    inlines = [inline(models.OrganisationalChange)]


@admin.register(models.OrganisationalChange)
class OrganisationalChangeAdmin(admin.ModelAdmin):
    list_display = ["text", "case_study", "fiscal_year"]


DEPTHS = [(0, pgettext_lazy("depth", "item")), (1, pgettext_lazy("depth", "sub-item"))]


class InitiativePointForm(forms.ModelForm):
    """One item of a list: its depth as a choice (項目 / 小項目); a new item may leave its
    position empty, to come after the others."""

    depth = forms.TypedChoiceField(label=_("depth"), choices=DEPTHS, coerce=int, initial=0)

    class Meta:
        model = models.InitiativePoint
        fields = ["position", "depth", "style", "text", "editorial_note"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2, "cols": 60}),
            "position": forms.NumberInput(attrs={"class": "position-input", "min": 0}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        position = self.fields["position"]
        position.required = False
        position.initial = None
        position.help_text = _("Empty: after the others.")


class InitiativePointFormSet(BaseInlineFormSet):
    """The points of one part (aims, contents or future direction) of an initiative."""

    part = None

    def get_queryset(self):
        return super().get_queryset().filter(part=self.part)

    def clean(self):
        """Number the items whose position is empty after the others, in the form's order."""
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk is not None
            if not self._should_delete_form(form) and hasattr(form, "cleaned_data")
        ]
        taken = [form.cleaned_data.get("position") for form in kept]
        following = max([p for p in taken if p is not None], default=0) + 1
        for form in kept:
            if form.cleaned_data.get("position") is None:
                form.cleaned_data["position"] = following
                form.instance.position = following
                following += 1

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.part = self.part
        # A table's row has no <label> for its cells: each control names its list, its
        # row and its column for screen readers.
        part = models.InitiativePart(self.part).label
        for field in form.fields.values():
            if not field.widget.is_hidden:
                field.widget.attrs["aria-label"] = f"{part} {i + 1}：{field.label}"
        return form


class InitiativePointInline(admin.TabularInline):
    """One ordered list of an initiative; subclasses name the part."""

    model = models.InitiativePoint
    form = InitiativePointForm
    fields = ["position", "depth", "style", "text", "editorial_note"]
    ordering = ["position"]
    extra = 0
    part = None

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(f"{formset.__name__}_{self.part}", (formset,), {"part": self.part})


class AimInline(InitiativePointInline):
    formset = InitiativePointFormSet
    part = models.InitiativePart.AIM
    verbose_name = pgettext_lazy("initiative", "aim")
    verbose_name_plural = pgettext_lazy("initiative", "aims")


class ContentInline(InitiativePointInline):
    formset = InitiativePointFormSet
    part = models.InitiativePart.CONTENT
    verbose_name = _("content")  # 取組内容
    verbose_name_plural = _("contents")


class FutureInline(InitiativePointInline):
    formset = InitiativePointFormSet
    part = models.InitiativePart.FUTURE
    verbose_name = _("future direction")  # 今後の方向性等
    verbose_name_plural = _("future directions")


class PhotoForm(forms.ModelForm):
    """A photo needs alternative text and a caption; a new one needs a real image.

    The report's photos are known by caption only, so an existing photo may stay
    without an image file.
    """

    alt_text = forms.CharField(
        label=_("alternative text"),
        max_length=300,
        help_text=_("What the photo shows, for readers who cannot see it."),
    )

    class Meta:
        model = models.Photo
        fields = ["initiative", "position", "image", "caption", "alt_text"]

    def clean_image(self):
        image = self.cleaned_data.get("image")
        self.thumbnail = None
        if isinstance(image, UploadedFile):
            image, self.thumbnail = photo_clean(image)
        return image

    def clean(self):
        cleaned_data = super().clean()
        if (
            self.instance.pk is None
            and not cleaned_data.get("image")
            and "image" not in self.errors
        ):
            add_required_error(self, "image", _("A new photo needs an image file."))
        return cleaned_data

    def save(self, commit=True):
        photo = super().save(commit=False)
        if self.thumbnail is not None:
            photo.thumbnail = self.thumbnail
        elif not photo.image:
            photo.thumbnail = None
        if commit:
            photo.save()
        return photo


class PhotoInline(admin.StackedInline):
    model = models.Photo
    form = PhotoForm
    fields = ["position", "image", "caption", "alt_text"]
    extra = 0


class PublicationStateFilter(admin.SimpleListFilter):
    """下書き / 公開予定 / 公開: whether the public sees an initiative, and from when."""

    title = _("publication")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("draft")),
            ("scheduled", _("scheduled")),
            ("published", _("published")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "draft":
                return queryset.drafts()
            case "scheduled":
                return queryset.scheduled()
            case "published":
                return queryset.published()
        return queryset


class InitiativeAdminForm(VersionedFormMixin, forms.ModelForm):
    """Departments of the initiative's own ward or of the city; a publication time to publish.

    ``own_ward`` is the ward of a ward-staff account, whose form has no ward field. The
    form carries the version it was opened at: a save over a newer one is refused.
    """

    own_ward = None

    class Meta:
        model = models.Initiative
        fields = [
            "ward",
            "title",
            "summary",
            "editorial_note",
            "case_study",
            "is_main",
            "position",
            "departments",
            "fiscal_year_start",
            "fiscal_year_end",
            "status",
            "published_at",
        ]
        field_classes = {"fiscal_year_start": FiscalYearField, "fiscal_year_end": FiscalYearField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        published_at = self.fields.get("published_at")
        if published_at is not None and hasattr(published_at.widget, "widgets"):
            day, time = published_at.widget.widgets
            day.attrs["aria-label"] = _("publication date")
            time.attrs["aria-label"] = _("publication time of day")

    def clean(self):
        cleaned_data = super().clean()
        ward = cleaned_data.get("ward") or self.own_ward
        if ward is None and self.instance.ward_id:
            ward = self.instance.ward
        foreign = [
            department
            for department in cleaned_data.get("departments") or []
            if department.ward_id is not None and (ward is None or department.ward_id != ward.pk)
        ]
        if foreign:
            self.add_error(
                "departments",
                _("%(names)s belong to another ward.")
                % {"names": "、".join(str(d) for d in foreign)},
            )
        published = cleaned_data.get("status") == models.InitiativeStatus.PUBLISHED
        if published and not cleaned_data.get("published_at"):
            self.add_error("published_at", _("A published initiative needs a publication time."))
        return cleaned_data


@admin.register(models.Initiative)
class InitiativeAdmin(
    WardScopedAdminMixin,
    OwnWardFieldMixin,
    SpreadsheetImportExportMixin,
    VersionedAdminMixin,
    SimpleHistoryAdmin,
):
    form = InitiativeAdminForm
    list_display = ["title", "ward", "case_label", "fiscal_years", "state", "updated_at"]
    list_filter = [
        PublicationStateFilter,
        "ward",
        "case_study__vision",
        "case_study",
        "fiscal_year_start",
        "in_report",
    ]
    list_select_related = ["ward", "case_study"]
    search_fields = ["title", "summary", "points__text"]
    ordering = ["-updated_at"]
    date_hierarchy = "published_at"
    # Check boxes rather than the two-list widget, whose script adds markup that screen
    # readers cannot use (axe: aria-prohibited-attr); a ward has a few departments.
    formfield_overrides = {
        ManyToManyField: {"widget": forms.CheckboxSelectMultiple},
    }
    fieldsets = [
        (None, {"fields": ["ward", "title", "summary", "editorial_note"]}),
        (_("Report"), {"fields": ["case_study", "is_main", "position", "in_report"]}),
        (_("Who and when"), {"fields": ["departments", "fiscal_year_start", "fiscal_year_end"]}),
        (_("Publication"), {"fields": ["status", "published_at"]}),
    ]
    # Whether the report printed it is a fact about the report, set when the report is
    # loaded (load_report); no staff account sets it, nor does an import.
    readonly_fields = ["in_report"]
    inlines = [AimInline, ContentInline, FutureInline, PhotoInline]
    resource_classes = [InitiativeResource]
    import_template_name = "admin/initiatives/initiative/import.html"

    def get_fieldsets(self, request, obj=None):
        if sees_every_ward(request.user):
            return self.fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "ward"]})
            for name, options in self.fieldsets
        ]

    @admin.display(description=_("publication"), ordering="published_at")
    def state(self, initiative):
        return initiative.publication_state

    @admin.display(description=_("case"), ordering="case_number")
    def case_label(self, initiative):
        return f"{initiative.case_study.number}" if initiative.case_study_id else "—"

    @admin.display(description=_("fiscal years"), ordering="fiscal_year_start")
    def fiscal_years(self, initiative):
        return initiative.fiscal_years_display

    def check_restorable(self, request, obj, record):
        # A version from before the initiative came to this ward would move it away.
        if not sees_every_ward(request.user) and record.ward_id != obj.ward_id:
            raise Http404(_("There is no such object in your ward."))

    def restore_version(self, request, obj, record):
        services.initiative_restore_version(
            initiative=obj, history_id=record.history_id, user=request.user
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "departments" and not sees_every_ward(request.user):
            ward = ward_of(request.user)
            kwargs["queryset"] = Department.objects.filter(
                Q(ward=ward) | Q(ward__isnull=True)
            ).select_related("ward")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class InitiativeInScopeMixin:
    """For the admin of what belongs to an initiative: the initiative is chosen among those
    the account curates (its ward's, or every ward's for the secretariat)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "initiative":
            kwargs["queryset"] = models.Initiative.objects.select_related("ward").curated_by(
                request.user
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(models.Photo)
class PhotoAdmin(
    InitiativeInScopeMixin, WardScopedAdminMixin, HistoryAdminMixin, SimpleHistoryAdmin
):
    form = PhotoForm
    list_display = ["caption", "initiative", "position", "has_image"]
    list_filter = ["initiative__ward"]
    list_select_related = ["initiative__ward"]
    search_fields = ["caption", "alt_text", "initiative__title"]

    @admin.display(description=_("image"), boolean=True)
    def has_image(self, photo):
        return bool(photo.image)

    def get_list_filter(self, request):
        return self.list_filter if sees_every_ward(request.user) else []


@admin.register(models.SectionPoint)
class SectionPointAdmin(admin.ModelAdmin):
    list_display = ["text", "section", "part", "position"]
    list_filter = ["section", "part"]


@admin.register(models.Footnote)
class FootnoteAdmin(admin.ModelAdmin):
    list_display = ["marker", "text", "section"]


@admin.register(models.FigurePanel)
class FigurePanelAdmin(admin.ModelAdmin):
    list_display = ["heading", "section", "position"]


@admin.register(models.InitiativePoint)
class InitiativePointAdmin(
    InitiativeInScopeMixin, WardScopedAdminMixin, HistoryAdminMixin, SimpleHistoryAdmin
):
    list_display = ["text", "initiative", "part", "position"]
    list_filter = ["initiative__ward", "part"]
    list_select_related = ["initiative__ward"]
    search_fields = ["text", "initiative__title"]

    def get_list_filter(self, request):
        return self.list_filter if sees_every_ward(request.user) else ["part"]

    def has_module_permission(self, request):
        # Ward staff edit points in their initiative's form; the list of every point is
        # the secretariat's.
        return sees_every_ward(request.user) and super().has_module_permission(request)
