from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from portal.api.views import VIEWSETS, not_found

app_name = "api"

router = DefaultRouter(trailing_slash=True)
for name, viewset in VIEWSETS.items():
    router.register(name, viewset, basename=name)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI from drf-spectacular-sidecar's static files, its set-up script a file of its
    # own (no inline script): the CSP allows 'self' only.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^.*$", not_found),
]
