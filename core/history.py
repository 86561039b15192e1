"""Whole versions of an object with its parts, and no lost edits.

An initiative (取組) is edited as one thing: its fields, its departments, its points (aims,
contents, future directions) and its photos' captions. Each save of any of them is one
version of the initiative: ``version`` counts them, and one historical record (of
django-simple-history) holds the fields, the departments (``m2m_fields``) and a snapshot of
the parts (``snapshot``). A form carries the version it was opened at, and a save over a
newer one is refused with the other person's change shown (``VersionedFormMixin``).

The pieces are generic, for any model that has parts (commitments too):

- the model inherits ``VersionedModel`` and says what its snapshot holds
  (``version_snapshot()``, ``version_snapshot_parts()``);
- its history is ``VersionedHistoricalRecords(bases=[VersionSnapshot], ...)``;
- changes made together are one version: ``with one_version(obj, user=…):`` (the admin's
  ``VersionedAdminMixin`` wraps a save with its inlines in one);
- a part saved on its own (a photo's caption in the photo admin) records a version of its
  owner: ``connect_part(PartModel, owner=lambda part: part.initiative)``.
"""

import contextvars
import dataclasses
from contextlib import contextmanager

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from core.fiscal_years import format_fiscal_year

# The objects whose changes are being gathered into one version, in this thread or task.
_OPEN = contextvars.ContextVar("open_versions", default=())


class VersionedHistoricalRecords(HistoricalRecords):
    """HistoricalRecords that the model can ask to record a version by hand."""

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if self.cls is sender:
            sender._version_records = self


class VersionSnapshot(models.Model):
    """The base of a versioned model's historical records: the parts, as they were."""

    snapshot = models.JSONField(_("parts"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        abstract = True


class VersionedModel(models.Model):
    """A model whose saves are counted, so that a save over a newer version is refused."""

    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Counts the changes, so that a save based on an older version is refused."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # A save on its own is a version; inside one_version() the block counts once.
        if not self._state.adding and not is_open(self):
            # Counted from the row, not from this copy: it may have been read before
            # another change (a part saved on its own moves the row's count).
            stored = type(self)._default_manager.filter(pk=self.pk).values_list("version")
            self.version = (stored.first() or (self.version,))[0] + 1
        super().save(*args, **kwargs)

    def version_snapshot(self) -> dict:
        """The parts to keep with each version (JSON): override."""
        return {}

    @classmethod
    def version_snapshot_parts(cls, snapshot: dict) -> list[tuple[str, str, str]]:
        """``(key, label, text as the pages show it)`` of each part of a snapshot."""
        return []


def is_open(instance) -> bool:
    def same(other):
        if other is instance:
            return True
        return other.pk is not None and type(other) is type(instance) and other.pk == instance.pk

    return any(same(other) for other in _OPEN.get())


def version_open(instance):
    """Gather the changes to ``instance`` and its parts into one version, until closed."""
    instance.skip_history_when_saving = True
    return _OPEN.set((*_OPEN.get(), instance))


def version_close(instance, token, *, user=None, reason="", created=False, record=True):
    """End the gathering begun by ``version_open``; record the version unless told not to."""
    _OPEN.reset(token)
    if hasattr(instance, "skip_history_when_saving"):
        del instance.skip_history_when_saving
    if record:
        record_version(instance, user=user, reason=reason, created=created)


@contextmanager
def one_version(instance, *, user=None, reason=""):
    """Changes to ``instance`` and its parts inside the block make one version."""
    created = instance.pk is None
    token = version_open(instance)
    try:
        yield
    except BaseException:
        version_close(instance, token, record=False)
        raise
    version_close(instance, token, user=user, reason=reason, created=created)


def record_version(instance, *, user=None, reason="", created=False):
    """Count a version of ``instance`` and record it, parts included (2–4 queries)."""
    model = type(instance)
    rows = model._default_manager.filter(pk=instance.pk)
    if not created:
        touch = {"updated_at": timezone.now()} if hasattr(instance, "updated_at") else {}
        rows.update(version=F("version") + 1, **touch)
        instance.version = rows.values_list("version", flat=True).get()
    if user is not None:
        instance._history_user = user
    instance._change_reason = reason
    model._version_records.create_historical_record(instance, "+" if created else "~")


def _fill_snapshot(sender, instance, history_instance, **kwargs):
    if isinstance(instance, VersionedModel) and isinstance(history_instance, VersionSnapshot):
        history_instance.snapshot = instance.version_snapshot()


pre_create_historical_record.connect(_fill_snapshot, dispatch_uid="version_snapshot")


def connect_part(part_model, *, owner):
    """A ``part_model`` row saved or deleted on its own records a version of its owner."""

    def changed(sender, instance, **kwargs):
        if kwargs.get("raw"):
            return
        try:
            whole = owner(instance)
        except models.ObjectDoesNotExist:
            return
        origin = kwargs.get("origin")
        with_owner = isinstance(origin, type(whole)) or getattr(origin, "model", None) is type(
            whole
        )
        if whole is None or is_open(whole) or with_owner:
            # Part of a version being gathered, or deleted with its owner.
            return
        # The owner as it is now: the part's copy of it may be older than the row.
        fresh = type(whole)._default_manager.filter(pk=whole.pk).first()
        if fresh is not None:
            record_version(fresh)

    uid = f"version_part_{part_model._meta.label_lower}"
    post_save.connect(changed, sender=part_model, weak=False, dispatch_uid=uid)
    post_delete.connect(changed, sender=part_model, weak=False, dispatch_uid=uid)


# --- Showing versions and what changed ----------------------------------------------


@dataclasses.dataclass
class Change:
    """One field or part that differs between two versions, as the pages show it."""

    key: str
    label: str
    old: str
    new: str
    yours: str | None = None


class ValueDisplay:
    """Shows stored values as the pages do, reading each related object once."""

    def __init__(self):
        self._related = {}

    def field(self, field, value) -> str:
        if value is None or value == "":
            return ""
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if getattr(field, "is_fiscal_year", False) or field.name.startswith("fiscal_year"):
            return format_fiscal_year(int(value))
        if isinstance(field, models.DateTimeField):
            return local_time(value)
        if isinstance(field, models.BooleanField):
            return gettext("Yes") if value else gettext("No")
        if field.is_relation:
            key = (field.related_model, value)
            if key not in self._related:
                obj = field.related_model._default_manager.filter(pk=value).first()
                self._related[key] = str(obj) if obj is not None else f"#{value}"
            return self._related[key]
        return str(value)

    def many(self, model, pks) -> str:
        names = []
        for pk in sorted(pks):
            key = (model, pk)
            if key not in self._related:
                obj = model._default_manager.filter(pk=pk).first()
                self._related[key] = str(obj) if obj is not None else f"#{pk}"
            names.append(self._related[key])
        return "、".join(names)


def local_time(value) -> str:
    """A time in Japan time (the site's zone), as 2027年1月15日 9:00."""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def tracked_fields(record):
    """The editable model fields that a historical record keeps."""
    kept = {field.name for field in record._meta.concrete_fields}
    return [
        field
        for field in record.instance_type._meta.concrete_fields
        if field.name in kept and field.editable and not field.primary_key
    ]


def record_values(record, display: ValueDisplay, many=None) -> dict[str, tuple[str, str]]:
    """``{key: (label, text)}`` of everything a version holds; ``many`` (from
    ``many_values``) holds its many-to-many values read with other records'."""
    values = {}
    for field in tracked_fields(record):
        values[field.name] = (
            str(field.verbose_name),
            display.field(field, getattr(record, field.attname)),
        )
    many = many_values([record]) if many is None else many
    for field in getattr(record, "_history_m2m_fields", []):
        pks = many.get((field.name, record.pk), [])
        values[field.name] = (str(field.verbose_name), display.many(field.related_model, pks))
    snapshot = getattr(record, "snapshot", None) or {}
    parts = getattr(record.instance_type, "version_snapshot_parts", lambda snapshot: [])
    for key, label, text in parts(snapshot):
        values[key] = (str(label), text)
    return values


def many_values(records) -> dict[tuple[str, int], list]:
    """The many-to-many values of these historical records, one query a field."""
    many = {}
    if not records:
        return many
    for field in getattr(records[0], "_history_m2m_fields", []):
        through, target_name = _many_through(records[0], field)
        rows = through.objects.filter(history__in=[record.pk for record in records])
        for history_id, target in rows.values_list("history_id", target_name):
            many.setdefault((field.name, history_id), []).append(target)
    return many


def _many_through(record, field):
    """The historical through model of a many-to-many field and its column of targets."""
    through = getattr(record, field.name).model
    target_name = next(
        f.attname
        for f in through._meta.concrete_fields
        if f.is_relation and f.related_model is field.related_model
    )
    return through, target_name


def changes_between(old, new, display: ValueDisplay | None = None) -> list[Change]:
    """What differs between two historical records (old may be None: everything is new)."""
    display = display or ValueDisplay()
    old_values = record_values(old, display) if old is not None else {}
    return value_changes(old_values, record_values(new, display))


def value_changes(old_values: dict, new_values: dict) -> list[Change]:
    """What differs between two records' ``record_values``."""
    changes = []
    for key, (label, text) in new_values.items():
        before = old_values.get(key, (label, ""))[1]
        if before != text:
            changes.append(Change(key=key, label=label, old=before, new=text))
    return changes


def person(user) -> str:
    """Who made a change, as people call them: their display name, or the user name."""
    if user is None:
        return gettext("unknown")
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()


# --- No lost edits -------------------------------------------------------------------


@dataclasses.dataclass
class Conflict:
    """A save based on version ``opened`` of an object now at version ``current``."""

    opened: int
    current: int
    people: list[str]
    when: str
    changes: list[Change]

    @property
    def message(self) -> str:
        labels = "、".join(change.label for change in self.changes) or gettext("nothing visible")
        return gettext(
            "Someone changed this after you opened it: %(people)s, at %(when)s (%(fields)s). "
            "Nothing was saved. Their version and yours are shown side by side below: "
            "bring in what you need and save again."
        ) % {"people": "、".join(self.people), "when": self.when, "fields": labels}


def version_conflict(instance, opened) -> Conflict | None:
    """The other people's change if ``instance`` moved on since version ``opened``."""
    model = type(instance)
    current = model._default_manager.filter(pk=instance.pk).values_list("version", flat=True)
    current = current.first()
    if current is None or opened == current:
        return None
    history = instance.history.all()
    opened_record = history.filter(version=opened).order_by("history_date").last()
    later = list(history.filter(version__gt=opened or 0).select_related("history_user"))
    latest = history.order_by("history_date", "history_id").last()
    people = list(dict.fromkeys(person(record.history_user) for record in reversed(later)))
    when = local_time(latest.history_date) if latest else ""
    changes = changes_between(opened_record, latest) if latest else []
    return Conflict(
        opened=opened or 0,
        current=current,
        people=people or [gettext("unknown")],
        when=when,
        changes=changes,
    )


class StaleVersion(ValidationError):
    """A save (a form, an import row) based on a version that is no longer current."""

    def __init__(self, conflict: Conflict):
        self.conflict = conflict
        super().__init__(conflict.message, code="stale_version")


def check_version(instance, version, *, lock=True):
    """Refuse (``StaleVersion``) a change of ``instance`` based on an older ``version``.

    In a transaction the row is locked (on PostgreSQL), so that no other save comes
    between this check and the write."""
    model = type(instance)
    manager = model._default_manager
    if lock and transaction.get_connection(manager.db).in_atomic_block:
        # Without the default ordering, whose joins FOR UPDATE cannot lock on PostgreSQL.
        list(manager.select_for_update().filter(pk=instance.pk).order_by().values("pk"))
    conflict = version_conflict(instance, version)
    if conflict is not None:
        raise StaleVersion(conflict)


class VersionedFormMixin(forms.Form):
    """A model form that carries the version it was opened at (a hidden field).

    A save over a newer version is refused; the form comes back with the user's values,
    ``conflict`` holding the other change, and the hidden version moved on, so that a
    second save (after looking at both) goes through.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if self.instance.pk is not None:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            return cleaned_data
        try:
            check_version(self.instance, cleaned_data.get("version"))
        except StaleVersion as error:
            self.conflict = error.conflict
            for change in self.conflict.changes:
                if change.key in self.fields and change.key in cleaned_data:
                    change.yours = _form_value(self.fields[change.key], cleaned_data[change.key])
            data = self.data.copy()
            data[self.add_prefix("version")] = error.conflict.current
            self.data = data
            raise
        return cleaned_data


def _form_value(field, value) -> str:
    if value is None or value == "":
        return ""
    if hasattr(value, "all") or isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if isinstance(field, forms.ModelChoiceField):
        return str(value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if hasattr(value, "tzinfo"):
        return local_time(value)
    if hasattr(field, "display"):
        return field.display(value)
    return str(value)


# --- The admin's history and restore pages ---------------------------------------------


class HistoryAdminMixin:
    """A SimpleHistoryAdmin's history in the user's language: values as the pages show
    them, times in Japan time, and who made each change by name, with no link to an
    account page that the reader may not open."""

    object_history_template = "admin/history/object_history.html"
    object_history_list_template = "admin/history/object_history_list.html"

    def history_view_title(self, request, obj):
        return gettext("History of %(object)s") % {"object": obj}

    def history_form_view_title(self, request, obj):
        return gettext("An earlier version of %(object)s") % {"object": obj}

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        records = list(getattr(historical_records, "object_list", historical_records))
        if not records:
            return
        # The same queries for a page of any length: each record's values are read once
        # (as itself and as the one before the next), its departments with all the others'.
        before_page = records[-1].prev_record
        every = [*records, *([before_page] if before_page is not None else [])]
        many = many_values(every)
        display = ValueDisplay()
        values = [record_values(record, display, many) for record in every]
        for index, record in enumerate(records):
            older = values[index + 1] if index + 1 < len(values) else {}
            record.history_delta_changes = value_changes(older, values[index])
            record.history_person = person(record.history_user)


class VersionedAdminMixin(HistoryAdminMixin):
    """A ModelAdmin of a ``VersionedModel``: a save with its inlines is one version,
    refused over a newer one (the form must mix in ``VersionedFormMixin``), and a version
    is restored whole by ``restore_version`` (which subclasses provide)."""

    restore_template = "admin/history/restore_confirm.html"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        token = _OPEN.set(_OPEN.get())
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        finally:
            _OPEN.reset(token)

    def save_model(self, request, obj, form, change):
        obj._version_created = not change
        obj._version_token = version_open(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        version_close(
            obj,
            obj._version_token,
            user=request.user,
            reason=getattr(obj, "_change_reason", ""),
            created=obj._version_created,
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        adminform = context.get("adminform")
        context["version_conflict"] = (
            getattr(adminform.form, "conflict", None) if adminform else None
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def check_restorable(self, request, obj, record):
        """Raise Http404 or PermissionDenied where this user may not restore ``record``."""

    def restore_version(self, request, obj, record):
        raise NotImplementedError

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """What restoring a version changes (GET), and the restore itself (POST)."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_permission(request, obj):
            raise PermissionDenied
        record = get_object_or_404(
            obj.history.select_related("history_user"), history_id=version_id
        )
        self.check_restorable(request, obj, record)
        can_restore = self.has_change_permission(request, obj)
        opts = self.model._meta
        if request.method == "POST":
            if not can_restore:
                raise PermissionDenied
            self.restore_version(request, obj, record)
            messages.success(
                request,
                gettext("Version %(number)s was restored, as a new version.")
                % {"number": record.version},
            )
            return redirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            )
        current = obj.history.order_by("history_date", "history_id").last()
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Restore version %(number)s of %(object)s")
            % {"number": record.version, "object": obj},
            "opts": opts,
            "object": obj,
            "record": record,
            "record_person": person(record.history_user),
            "changes": changes_between(current, record) if current != record else [],
            "can_restore": can_restore,
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.restore_template, context)
