from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    """The Django admin, for administrators and scoped staff."""

    name = "backoffice"
    verbose_name = _("Quản trị")
