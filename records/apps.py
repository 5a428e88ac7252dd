from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """Achievement records, reporting rounds and evidence, and their only writers."""

    name = "records"
    verbose_name = _("Kết quả thực hiện")
