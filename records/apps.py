from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """Achievement records, reporting rounds and evidence, and their only writers."""

    name = "records"
    verbose_name = _("Kết quả thực hiện")

    def ready(self):
        from django.db.models.signals import post_migrate

        from records.intervals import install_interval_triggers

        # After every migrate (and the test database's): the status intervals' triggers. Sent once
        # per app after all migrations ran; this app's is enough.
        post_migrate.connect(install_interval_triggers, sender=self, dispatch_uid="ntm_status_interval_triggers")
