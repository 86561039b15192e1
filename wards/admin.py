from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from core.history import HistoryAdminMixin
from core.people import full_name, own_name
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
from wards.models import Department, Ward
from wards.resources import DepartmentResource
from wards.roles import NOTIFIED_ROLES, Role, role_of, sees_every_ward, ward_of
from wards.services import role_check, user_set_role

# 川崎市 区役所の取組 管理: the admin's name in its header, its pages' titles and its index.
ADMIN_TITLE = _("Kawasaki City ward offices' initiatives: administration")
admin.site.site_header = ADMIN_TITLE
admin.site.site_title = ADMIN_TITLE
admin.site.index_title = ADMIN_TITLE


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
    WardScopedAdminMixin,
    OwnWardFieldMixin,
    SpreadsheetImportExportMixin,
    HistoryAdminMixin,
    SimpleHistoryAdmin,
):
    form = DepartmentAdminForm
    list_display = ["name", "ward", "name_en"]
    list_filter = ["ward"]
    search_fields = ["name", "name_en"]
    resource_classes = [DepartmentResource]


class RoleFormMixin(forms.Form):
    """One role for the account (区職員 with its ward, 事務局, 委員), instead of the staff
    flag, groups and profile that it sets (``wards.services.user_set_role``)."""

    role = forms.ChoiceField(
        label=_("role"),
        choices=[("", "---------"), *Role.choices],
        help_text=_(
            "Ward staff and the secretariat sign in to this admin; committee members sign in "
            "on the public site to comment."
        ),
    )
    ward = forms.ModelChoiceField(
        label=_("ward"),
        queryset=Ward.objects.all(),
        required=False,
        help_text=_("For ward staff only: the ward whose initiatives they enter."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.instance
        if user.pk is not None:
            self.fields["role"].initial = role_of(user)
            self.fields["ward"].initial = ward_of(user)
        for name in ("last_name", "first_name"):
            if name in self.fields:
                self.fields[name].help_text = _(
                    "Public pages show the family name and given name (山田 花子), or the "
                    "user name if both are empty."
                )

    def clean(self):
        cleaned_data = super().clean()
        role, ward = cleaned_data.get("role"), cleaned_data.get("ward")
        if role:
            try:
                role_check(role=role, ward=ward)
            except ValidationError as error:
                self.add_error("ward", error)
        return cleaned_data


class AccountCreationForm(RoleFormMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        fields = ["username", "last_name", "first_name", "email"]


class AccountChangeForm(RoleFormMixin, UserChangeForm):
    pass


class RoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        if self.value() in Role.values:
            return queryset.filter(groups__name=self.value())
        return queryset


admin.site.unregister(get_user_model())
admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(GroupAdmin):
    """The role groups under their Japanese names; their permissions come from
    ``wards.roles.GROUP_PERMISSIONS`` (set after every migrate), never by hand here."""

    list_display = ["role_label", "name"]

    @admin.display(description=_("role"), ordering="name")
    def role_label(self, group):
        return dict(Role.choices).get(group.name, group.name)


@admin.register(get_user_model())
class AccountAdmin(UserAdmin):
    """Accounts for the secretariat: one role each, which sets the staff flag, the group
    and (for ward staff) the ward.

    Only a superuser may grant superuser status or single permissions, or change a
    superuser's account, so that managing accounts cannot raise one's own rights.
    """

    form = AccountChangeForm
    add_form = AccountCreationForm
    list_display = [
        "username",
        "person",
        "role_label",
        "ward_name",
        "email_or_warning",
        "is_active",
    ]
    list_filter = [RoleFilter, "is_active", "ward_staff_profile__ward"]
    list_select_related = ["ward_staff_profile__ward"]
    search_fields = ["username", "last_name", "first_name", "email"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Name and e-mail"), {"fields": ["last_name", "first_name", "email"]}),
        (_("Role"), {"fields": ["role", "ward"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "usable_password", "password1", "password2"],
            },
        ),
        (_("Name and e-mail"), {"fields": ["last_name", "first_name", "email"]}),
        (_("Role"), {"fields": ["role", "ward"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("name"), ordering="last_name")
    def person(self, user):
        return full_name(user)

    @admin.display(description=_("role"))
    def role_label(self, user):
        labels = dict(Role.choices)
        names = [labels[g.name] for g in user.groups.all() if g.name in labels]
        return "、".join(str(n) for n in names) or (
            "—" if not user.is_superuser else _("superuser")
        )

    @admin.display(description=_("ward"), ordering="ward_staff_profile__ward__position")
    def ward_name(self, user):
        profile = getattr(user, "ward_staff_profile", None)
        return profile.ward if profile else ""

    @admin.display(description=_("e-mail"), ordering="email")
    def email_or_warning(self, user):
        if user.email:
            return user.email
        if any(g.name in NOTIFIED_ROLES for g in user.groups.all()):
            return format_html(
                '<span class="account-warning">{}</span>', _("none: gets no notifications")
            )
        return ""

    def get_readonly_fields(self, request, obj=None):
        # The staff flag follows the role; only a superuser grants superuser status or
        # single permissions.
        readonly = [*super().get_readonly_fields(request, obj), "is_staff"]
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        notified = obj is not None and role_of(obj) in NOTIFIED_ROLES
        if request.method == "GET" and notified and not obj.email:
            messages.warning(request, self.no_email_warning(obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def no_email_warning(self, user):
        return _(
            "%(user)s has no e-mail address, so gets no notifications (comments to "
            "moderate, replies). Add one if they should."
        ) % {"user": own_name(user)}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        role = form.cleaned_data.get("role")
        if role:
            user_set_role(user=user, role=role, ward=form.cleaned_data.get("ward"))
        if role in NOTIFIED_ROLES and not user.email:
            messages.warning(request, self.no_email_warning(user))

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)
