from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevdataConfig(AppConfig):
    """The Đầm Hà demo, synthetic and benchmark data; not installed in production."""

    name = "devdata"
    verbose_name = _("Dữ liệu phát triển")
