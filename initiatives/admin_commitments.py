"""The admin of commitments and progress reports (issue 14).

Ward staff manage their own ward's commitments (inline on the initiative and on their own
list) and progress reports; the secretariat sees every ward's and the city's own, and
has a list of the stale commitments per ward to chase. Imported by ``InitiativesConfig``.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, F
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from core.forms import add_required_error
from initiatives.admin import InitiativeAdmin, InitiativeInScopeMixin
from initiatives.models import (
    REPORTED_STATUSES,
    Commitment,
    CommitmentStatus,
    ProgressReport,
    ReportState,
    stale_before,
)
from initiatives.models.commitments import stale_condition
from initiatives.photos import photo_clean
from initiatives.services import (
    commitment_refresh,
    commitment_statuses_update,
    progress_report_delete,
    progress_report_publish,
    progress_report_save,
)
from wards.admin import WardScopedAdminMixin
from wards.models import Ward
from wards.roles import sees_every_ward


class CommitmentForm(forms.ModelForm):
    """The as-reported state is the report's: a commitment keeps it until someone reports
    progress or gives it a status, and no one chooses it."""

    # Whether the commitment needs an initiative: ward staff have no city-level ones.
    needs_initiative = False

    class Meta:
        model = Commitment
        fields = [
            "initiative",
            "section_point",
            "position",
            "text",
            "target_value",
            "target_unit",
            "period",
            "status",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields:
            choices = list(REPORTED_STATUSES)
            if self.instance.status == CommitmentStatus.AS_REPORTED:
                choices.insert(
                    0, (CommitmentStatus.AS_REPORTED, CommitmentStatus.AS_REPORTED.label)
                )
            self.fields["status"].choices = choices

    def clean(self):
        cleaned_data = super().clean()
        if (
            self.needs_initiative
            and "initiative" in self.fields
            and not cleaned_data.get("initiative")
        ):
            add_required_error(
                self, "initiative", _("A commitment of your ward needs its initiative.")
            )
        if cleaned_data.get("target_value") is not None and not cleaned_data.get("target_unit"):
            add_required_error(
                self, "target_unit", _("Give the unit of the target (か所, 回, 人).")
            )
        return cleaned_data


class CommitmentInline(admin.StackedInline):
    """An initiative's commitments, on the initiative's page."""

    model = Commitment
    form = CommitmentForm
    fields = ["position", "text", "target_value", "target_unit", "period", "status", "point"]
    readonly_fields = ["point"]
    extra = 0
    show_change_link = True


# The initiative's change page lists its commitments too (the one edit of InitiativeAdmin).
InitiativeAdmin.inlines.append(CommitmentInline)


class StaleFilter(admin.SimpleListFilter):
    """Commitments with no published report for 12 months (更新なし)."""

    title = _("stale (no report for 12 months)")
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [("yes", _("stale")), ("no", _("not stale"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(stale_condition())
        if self.value() == "no":
            return queryset.exclude(stale_condition())
        return queryset


REPORT_FIELDS = [
    "fiscal_year",
    "reported_on",
    "text",
    "new_status",
    "new_value",
    "photo",
    "photo_alt_text",
    "state",
    "published_at",
]


class ProgressReportForm(forms.ModelForm):
    """A photo needs alternative text; it is re-encoded without its metadata on upload."""

    class Meta:
        model = ProgressReport
        fields = ["commitment", *REPORT_FIELDS]

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile):
            photo, _thumbnail = photo_clean(photo)
        return photo

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("photo") and not cleaned_data.get("photo_alt_text"):
            add_required_error(self, "photo_alt_text", _("A photo needs its alternative text."))
        if cleaned_data.get("state") == ReportState.PUBLISHED and not cleaned_data.get(
            "published_at"
        ):
            cleaned_data["published_at"] = timezone.now()
        if cleaned_data.get("fiscal_year") is None and cleaned_data.get("reported_on") is None:
            add_required_error(self, "fiscal_year", _("Give the report's fiscal year or its date."))
        return cleaned_data


class ProgressReportInline(admin.StackedInline):
    model = ProgressReport
    form = ProgressReportForm
    # On its commitment's page the commitment is the page's own.
    fields = REPORT_FIELDS
    extra = 0


def status_action(status, label):
    def action(modeladmin, request, queryset):
        changed = commitment_statuses_update(commitments=list(queryset), status=status)
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d commitment is now “%(status)s”.",
                "%(count)d commitments are now “%(status)s”.",
                changed,
            )
            % {"count": changed, "status": label},
            messages.SUCCESS,
        )

    action.__name__ = f"set_status_{status}"
    action.allowed_permissions = ("change",)
    description = format_lazy(_("Set the status of the selected: {status}"), status=label)
    return admin.action(description=description)(action)


@admin.register(Commitment)
class CommitmentAdmin(InitiativeInScopeMixin, WardScopedAdminMixin, SimpleHistoryAdmin):
    form = CommitmentForm
    list_display = ["__str__", "initiative", "ward_name", "status", "stale", "last_reported_at"]
    list_filter = [StaleFilter, "status", "initiative__ward", "from_report"]
    list_select_related = ["initiative__ward"]
    search_fields = ["text", "initiative__title"]
    readonly_fields = ["point", "from_report", "current_value", "last_reported_at", "entered_at"]
    inlines = [ProgressReportInline]
    actions = [status_action(value, label) for value, label in REPORTED_STATUSES]

    @admin.display(description=_("ward"), ordering="initiative__ward__position")
    def ward_name(self, commitment):
        return commitment.ward or _("the city")

    @admin.display(description=_("stale"), boolean=True)
    def stale(self, commitment):
        return commitment.is_stale()

    def get_fields(self, request, obj=None):
        fields = [*CommitmentForm.Meta.fields, *self.readonly_fields]
        if not sees_every_ward(request.user):
            fields.remove("section_point")
        return fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.needs_initiative = not sees_every_ward(request.user)
        return form

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        # Reports added, published, withdrawn or deleted inline move the commitment.
        if formset.model is ProgressReport:
            commitment_refresh(commitment=form.instance)

    def get_urls(self):
        return [
            path(
                "stale-by-ward/",
                self.admin_site.admin_view(self.stale_by_ward_view),
                name="initiatives_commitment_stale_by_ward",
            ),
            *super().get_urls(),
        ]

    def stale_by_ward_view(self, request):
        """The secretariat's list of stale commitments per ward, to chase each ward."""
        if not sees_every_ward(request.user) or not self.has_view_permission(request):
            raise PermissionDenied
        stale = stale_condition(prefix="initiatives__commitments__")
        wards = Ward.objects.annotate(
            stale_count=Count("initiatives__commitments", filter=stale),
            commitment_count=Count("initiatives__commitments"),
        ).order_by("position")
        changelist = reverse("admin:initiatives_commitment_changelist")
        rows = [
            {
                "ward": ward,
                "stale_count": ward.stale_count,
                "commitment_count": ward.commitment_count,
                "url": f"{changelist}?stale=yes&initiative__ward__id__exact={ward.pk}",
            }
            for ward in wards
        ]
        city = Commitment.objects.filter(initiative__isnull=True)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Stale commitments by ward"),
            "rows": rows,
            "city_stale_count": city.filter(stale_condition()).count(),
            "stale_items": Commitment.objects.filter(stale_condition())
            .select_related("initiative__ward")
            .order_by(F("initiative__ward__position").asc(nulls_first=True), "last_reported_at"),
            "stale_before": stale_before(),
        }
        return TemplateResponse(request, "admin/initiatives/commitment/stale_by_ward.html", context)


@admin.register(ProgressReport)
class ProgressReportAdmin(WardScopedAdminMixin, SimpleHistoryAdmin):
    form = ProgressReportForm
    list_display = ["__str__", "commitment", "fiscal_year", "new_status", "state", "published_at"]
    list_filter = ["state", "new_status", "fiscal_year", "commitment__initiative__ward"]
    list_select_related = ["commitment__initiative__ward"]
    search_fields = ["text", "commitment__text"]
    actions = ["publish"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "commitment":
            kwargs["queryset"] = Commitment.objects.curated_by(request.user).select_related(
                "initiative"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        progress_report_save(report=obj)

    def delete_model(self, request, obj):
        progress_report_delete(report=obj)

    def delete_queryset(self, request, queryset):
        for report in queryset.select_related("commitment"):
            progress_report_delete(report=report)

    @admin.action(description=_("Publish the selected progress reports"), permissions=["change"])
    def publish(self, request, queryset):
        drafts = queryset.filter(state=ReportState.DRAFT).select_related("commitment")
        count = 0
        for report in drafts:
            progress_report_publish(report=report)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d progress report published.",
                "%(count)d progress reports published.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
