from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from core.health import healthz, readyz
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
    # Outside i18n_patterns: no language prefix, no redirect, never cached.
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("api/", include("portal.urls.api")),
    path("feeds/", include("portal.urls.feeds")),
]

# Public pages: Japanese at /…, the English interface at /en/….
urlpatterns += i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    path("accessibility/", AccessibilityView.as_view(), name="accessibility"),
    # Sign-in and sign-out only. No password reset by e-mail: the few accounts (committee
    # members, ward staff, the secretariat) are set up by the secretariat, who also resets
    # a forgotten password (the sign-in page says so). A reset by mail would be one more
    # door into staff accounts, to be rate-limited and kept, for a handful of people.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("wards/", include("portal.urls.wards")),
    path("", include("portal.urls.initiatives")),
    path("", include("portal.urls.feedback")),
    path("search/", include("portal.urls.search")),
    path("progress/", include("portal.urls.progress")),
    path("open-data/", include("portal.urls.open_data")),
    path("proposals/", include("portal.urls.proposals")),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
