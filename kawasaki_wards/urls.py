from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from portal.sitemaps import (
    CaseStudySitemap,
    InitiativeSitemap,
    PageSitemap,
    ProposalSitemap,
    VisionSitemap,
    WardSitemap,
)
from portal.views.initiatives import AccessibilityView, HomeView, robots_txt

SITEMAPS = {
    "pages": PageSitemap,
    "wards": WardSitemap,
    "visions": VisionSitemap,
    "cases": CaseStudySitemap,
    "initiatives": InitiativeSitemap,
    "proposals": ProposalSitemap,
}

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
]

# Public pages: Japanese at /…, the English interface at /en/….
urlpatterns += i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    path("accessibility/", AccessibilityView.as_view(), name="accessibility"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("wards/", include("portal.urls.wards")),
    path("", include("portal.urls.initiatives")),
    path("", include("portal.urls.feedback")),
    path("search/", include("portal.urls.search")),
    path("progress/", include("portal.urls.progress")),
    path("proposals/", include("portal.urls.proposals")),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
