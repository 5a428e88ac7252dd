from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    """The Django admin, for administrators and scoped staff."""

    name = "backoffice"
    verbose_name = _("Quản trị")

    def ready(self):
        # The admin has loaded every app's admin module by now (django.contrib.admin comes first).
        from backoffice.admin.accounts import guard_admin_site

        guard_admin_site()
