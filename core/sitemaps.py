from django.contrib.sitemaps import Sitemap


class BilingualSitemap(Sitemap):
    """Every address in Japanese and English, each listing the other as its alternate."""

    i18n = True
    alternates = True
    x_default = True
