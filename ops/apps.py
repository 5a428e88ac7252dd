from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running the site: health checks, backups, request logging, database routing."""

    name = "ops"
    verbose_name = _("Vận hành")

    def ready(self):
        from ops import admin_widgets

        admin_widgets.install()
