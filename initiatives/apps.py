from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self):
        from initiatives import receivers, schedule  # noqa: F401  (keeps the city order and counts)

        schedule.register()  # scheduled publications reach the page cache on time
