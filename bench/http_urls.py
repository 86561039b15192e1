"""The project's addresses, and a bare view through the same middleware (bench only)."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache

from kawasaki_wards.urls import urlpatterns as project_urlpatterns


@never_cache
def bare(request):
    """The least a Django response costs here: every middleware, no template, no query."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *project_urlpatterns]
