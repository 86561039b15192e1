from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        from core import pagecache

        # Every model's writes make the cached pages stale (core.pagecache).
        pagecache.connect_signals()
