"""The admin's preview of an initiative: the public page, drafts included.

The public page is the portal's, so the preview is added here, above both: the
initiatives admin knows no pages.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse

from initiatives.admin import InitiativeAdmin
from initiatives.models import Initiative
from portal.views.initiatives import InitiativeDetailView


class InitiativePreviewView(InitiativeDetailView):
    """The public detail page, drawn from the admin's queryset (drafts included)."""

    queryset = Initiative.objects.none()

    def get_queryset(self):
        return self.queryset

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "is_preview": True}


class InitiativeWithPreviewAdmin(InitiativeAdmin):
    def get_urls(self):
        preview = path(
            "<path:object_id>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name="initiatives_initiative_preview",
        )
        return [preview, *super().get_urls()]

    def get_view_on_site_url(self, obj=None):
        """A draft or a scheduled initiative is seen on its preview, not a 404."""
        if obj is not None and obj.pk and not obj.is_public:
            return reverse("admin:initiatives_initiative_preview", args=[obj.pk])
        return super().get_view_on_site_url(obj)

    def preview_view(self, request, object_id):
        """The public page of an initiative, drafts included, for its ward's staff."""
        initiative = self.get_object(request, object_id)
        if not self.has_view_permission(request, initiative):
            raise PermissionDenied
        return InitiativePreviewView.as_view(queryset=self.get_queryset(request))(
            request, pk=initiative.pk
        )


admin.site.unregister(Initiative)
admin.site.register(Initiative, InitiativeWithPreviewAdmin)
