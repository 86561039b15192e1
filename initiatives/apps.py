from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self):
        from initiatives import schedule, signals  # noqa: F401  (forgets cached facet counts)

        schedule.register()  # scheduled publications reach the page cache on time
