from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Shared helpers")

    def ready(self):
        from core import pagecache

        # Every model's writes make the cached pages stale (core.pagecache).
        pagecache.connect_signals()
