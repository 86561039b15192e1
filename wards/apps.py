from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def sync_role_groups(sender, using="default", **kwargs):
    """Bring the role groups up to date once every app has migrated.

    ``post_migrate`` runs per app, and the permissions of later apps do not exist yet
    when this app's signal arrives, so the permissions of all apps are created first.
    """
    from django.contrib.auth.management import create_permissions

    from wards.roles import sync_groups

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    sync_groups(using=using)


class WardsConfig(AppConfig):
    name = "wards"
    verbose_name = _("Wards")

    def ready(self):
        post_migrate.connect(sync_role_groups, sender=self, dispatch_uid="wards.sync_role_groups")
