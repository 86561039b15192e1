from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"

    def ready(self):
        from portal import receivers  # noqa: F401  (moves the open data's version)
