from django.apps import AppConfig
from django.db.models.signals import pre_save


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        from core import pagecache
        from core.text import normalise_instance_newlines

        # Every model's writes make the cached pages stale (core.pagecache).
        pagecache.connect_signals()
        # Every model's texts, in every app: one receiver rather than a field subclass,
        # so that no model and no migration has to change.
        pre_save.connect(normalise_instance_newlines, dispatch_uid="core_newlines")
