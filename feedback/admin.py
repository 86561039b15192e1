from django.contrib import admin

from feedback.models import Opinion


@admin.register(Opinion)
class OpinionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "case_study", "section", "source", "state", "created_at"]
    list_filter = ["source", "state", "case_study"]
    search_fields = ["topic", "body"]
