from django.contrib import admin

from feedback.models import Opinion


@admin.register(Opinion)
class OpinionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "case_study", "section", "source", "state", "created_at"]
    list_filter = ["source", "state", "case_study"]
    search_fields = ["topic", "body"]
    readonly_fields = ["version", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        if change:
            # A change here counts like any other, so that a member's edit or a moderation
            # decision based on the older version is refused rather than overwriting it.
            obj.version += 1
        super().save_model(request, obj, form, change)
