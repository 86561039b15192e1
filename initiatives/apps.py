from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self):
        # Registers the commitments' admin and adds their inline to the initiative's.
        from initiatives import (
            admin_commitments,  # noqa: F401
            receivers,  # noqa: F401  (keeps the city order and counts)
            schedule,
        )

        schedule.register()  # scheduled publications reach the page cache on time
