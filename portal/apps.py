from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Public pages")

    def ready(self):
        from portal import receivers  # noqa: F401  (moves the open data's version)
