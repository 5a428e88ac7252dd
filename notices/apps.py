from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    """Queued e-mails and their sender."""

    name = "notices"
    verbose_name = _("Thư nhắc việc")
