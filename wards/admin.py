from django.contrib import admin

from wards.models import Department, Ward


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["name", "reading", "name_en", "code", "position"]
    search_fields = ["name", "reading", "name_en", "slug"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "ward", "name_en"]
    list_filter = ["ward"]
    search_fields = ["name", "name_en"]
