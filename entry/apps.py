from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntryConfig(AppConfig):
    """The site's pages for entering, verifying, importing and exporting data."""

    name = "entry"
    verbose_name = _("Nhập liệu")
