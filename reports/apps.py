from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Báo cáo")

    def ready(self):
        from django.db.models.signals import post_migrate

        from reports.cache import install_version_triggers

        # After every migrate, including the test database's: keeps the cache's version triggers.
        # Not limited to sender=self: Django sends post_migrate only for apps with models.
        post_migrate.connect(install_version_triggers, dispatch_uid="ntm_data_version_triggers")
