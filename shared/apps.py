from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharedConfig(AppConfig):
    """Vietnamese formatting and parsing, spreadsheets, uploads: no models, no domain rules."""

    name = "shared"
    verbose_name = _("Dùng chung")
