from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from core.spreadsheets import (
    FORMATS,
    ColumnNamedExportForm,
    JapaneseExcelCSV,
    LimitedImportForm,
    UnreadableFile,
    UploadStorage,
    limits_text,
    sign_upload,
    unsign_upload,
    workbook_bytes,
)
from wards.models import Department, Ward, WardStaffProfile
from wards.resources import DepartmentResource
from wards.roles import sees_every_ward, ward_of


class WardScopedAdminMixin:
    """Limits a ModelAdmin to the ward of a ward-staff account; the secretariat sees all.

    The model's queryset scopes it (``CuratedQuerySet.curated_by``). Another ward's object
    is missing from every list, and its change, delete and history pages answer 404 (or
    403 where a history page finds it through its past versions).
    """

    @property
    def ward_path(self) -> str:
        """The lookup from the model to its ward, as its queryset declares it."""
        return self.model._default_manager.get_queryset().ward_path

    def get_queryset(self, request):
        return super().get_queryset(request).curated_by(request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("There is no such object in your ward."))
        return obj

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history checks a revert against the old version's ward: an object since
        # moved to another ward would be taken back. The live object must be in scope.
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404(_("There is no such object in your ward."))
        return super().history_form_view(request, object_id, version_id, extra_context)

    def ward_id_of(self, obj):
        value = obj
        for name in self.ward_path.split("__"):
            value = getattr(value, name, None)
            if value is None:
                return None
        return value.pk

    def in_scope(self, request, obj):
        if obj is None or sees_every_ward(request.user):
            return True
        ward = ward_of(request.user)
        return ward is not None and self.ward_id_of(obj) == ward.pk

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj)

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if sees_every_ward(request.user):
            return filters
        return [f for f in filters if f != self.ward_path]

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}


class SpreadsheetImportExportMixin(ImportExportMixin):
    """CSV and XLSX import and export, all or nothing, safe against a tampered confirmation.

    The confirm step is offered only for a file without errors, and a file with any
    error saves nothing even if its confirmation is posted directly. The upload waits in
    ``UploadStorage`` under a random name; the confirm form carries it signed with the
    user's id and the format, and anything else posted there (another name, another
    user's upload, a path, another format, an expired one) is refused with a message
    before any file is opened. An upload whose preview cannot be confirmed is deleted at
    once; ``clean_import_uploads`` deletes those never confirmed.
    """

    formats = FORMATS
    tmp_storage_class = UploadStorage
    import_form_class = LimitedImportForm
    export_form_class = ColumnNamedExportForm
    export_template_name = "admin/import_export/export.html"

    def get_urls(self):
        info = self.get_model_info()
        return [
            path(
                "import/template.<str:extension>",
                self.admin_site.admin_view(self.import_template_view),
                name="{}_{}_import_template".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request, extension):
        """A file to start from: the columns, an example row, and (XLSX) what each holds."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource = self.get_import_resource_classes(request)[0](
            **self.get_import_resource_kwargs(request)
        )
        if not hasattr(resource, "template_sheets") or extension not in ("xlsx", "csv"):
            raise Http404
        sheets = resource.template_sheets()
        if extension == "xlsx":
            content = workbook_bytes(sheets)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            content = JapaneseExcelCSV().export_data(sheets[0][1])
            content_type = "text/csv; charset=utf-8"
        response = HttpResponse(content, content_type=content_type)
        name = f"{self.opts.model_name}-template.{extension}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def get_import_data_kwargs(self, **kwargs):
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["import_file_name"] = sign_upload(
                name=initial["import_file_name"], user=request.user, file_format=initial["format"]
            )
        return initial

    def get_context_data(self, **kwargs):
        resource = self.get_import_resource_classes(None)[0] if self.resource_classes else None
        return {
            **super().get_context_data(**kwargs),
            "import_limits": limits_text(),
            "import_columns": [c for c in getattr(resource, "columns", []) if not c.export_only],
        }

    def import_url(self):
        return reverse("admin:{}_{}_import".format(*self.get_model_info()))

    def refuse_confirmation(self, request, message):
        messages.error(request, "{} {}".format(message, _("Upload the file again.")))
        return redirect(self.import_url())

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        # The library marks the uploaded file with the name it stored it under.
        name = getattr(request.FILES.get("import_file"), "tmp_storage_name", None)
        if name and "confirm_form" not in context:
            # Nothing will confirm this upload: it goes now, not at the next clean-up.
            self.get_tmp_storage_class()(name=name).remove()
        return response

    def process_import(self, request, **kwargs):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_confirm_form(request)
        if not form.is_valid():
            return self.refuse_confirmation(request, _("The confirmation is incomplete."))
        file_format = form.cleaned_data["format"]
        formats = self.get_import_formats()
        name = unsign_upload(
            form.cleaned_data["import_file_name"], user=request.user, file_format=file_format
        )
        if name is None:
            return self.refuse_confirmation(
                request,
                _("This confirmation names no upload of yours, or it has expired."),
            )
        resource = form.cleaned_data.get("resource") or "0"
        resources = self.get_import_resource_classes(request)
        if not (str(resource).isdigit() and int(resource) < len(resources)):
            return self.refuse_confirmation(request, _("Unknown kind of data."))
        input_format = formats[int(file_format)]()
        storage = self.get_tmp_storage_class()(name=name, read_mode="rb")
        try:
            data = storage.read()
        except OSError:
            return self.refuse_confirmation(
                request, _("The upload is no longer there (it has expired).")
            )
        try:
            dataset = input_format.create_dataset(data)
        except UnreadableFile as error:
            storage.remove()
            return self.refuse_confirmation(request, str(error))
        result = self.process_dataset(dataset, form, request, **kwargs)
        storage.remove()
        return self.process_result(result, request)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            messages.error(request, _("The file has errors; nothing was imported."))
            return redirect(self.import_url())
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            _("Imported: %(new)s new, %(update)s changed, %(skip)s unchanged.")
            % {"new": totals["new"], "update": totals["update"], "skip": totals["skip"]},
        )

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, UnreadableFile):
            form.add_error("import_file", str(error))
        else:
            form.add_error(
                "import_file",
                _("The file cannot be read as the chosen format: is the format right?"),
            )


class OwnWardFieldMixin:
    """Sets the ``ward`` of a ward-staff account's new objects; they never choose it."""

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if not sees_every_ward(request.user):
            exclude.append("ward")
        return exclude

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.own_ward = None if sees_every_ward(request.user) else ward_of(request.user)
        return form

    def save_model(self, request, obj, form, change):
        if not sees_every_ward(request.user):
            obj.ward = ward_of(request.user)
        super().save_model(request, obj, form, change)


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["name", "reading", "name_en", "code", "position"]
    search_fields = ["name", "reading", "name_en", "slug"]


class DepartmentAdminForm(forms.ModelForm):
    """A ward-staff form has no ward field, so the name's uniqueness in the ward is checked here.

    ``own_ward`` is the ward of a ward-staff account.
    """

    own_ward = None
    # An address typed without a scheme is the https one (Django 6's default, now).
    web_page = forms.URLField(
        label=Department._meta.get_field("web_page").verbose_name,
        max_length=Department._meta.get_field("web_page").max_length,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = Department
        fields = ["ward", "name", "name_en", "phone", "email", "web_page"]

    def clean(self):
        cleaned_data = super().clean()
        name = cleaned_data.get("name")
        if self.own_ward is not None and name:
            clash = Department.objects.filter(ward=self.own_ward, name=name)
            if clash.exclude(pk=self.instance.pk).exists():
                self.add_error("name", _("Your ward has a department of this name already."))
        return cleaned_data


@admin.register(Department)
class DepartmentAdmin(
    WardScopedAdminMixin, OwnWardFieldMixin, SpreadsheetImportExportMixin, SimpleHistoryAdmin
):
    form = DepartmentAdminForm
    list_display = ["name", "ward", "name_en"]
    list_filter = ["ward"]
    search_fields = ["name", "name_en"]
    resource_classes = [DepartmentResource]


class WardStaffProfileInline(admin.StackedInline):
    model = WardStaffProfile
    can_delete = True
    extra = 0
    max_num = 1


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class AccountAdmin(UserAdmin):
    """Accounts for the secretariat: roles are groups; ward staff get a ward.

    Only a superuser may grant superuser status or single permissions, or change a
    superuser's account, so that managing accounts cannot raise one's own rights.
    """

    inlines = [WardStaffProfileInline]
    list_display = ["username", "email", "is_staff", "is_active", "ward_name"]
    list_filter = ["groups", "is_staff", "is_active", "ward_staff_profile__ward"]
    list_select_related = ["ward_staff_profile__ward"]

    @admin.display(description=_("ward"), ordering="ward_staff_profile__ward__position")
    def ward_name(self, user):
        profile = getattr(user, "ward_staff_profile", None)
        return profile.ward if profile else ""

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)
