from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Tài khoản và vai trò")

    def ready(self):
        # The admin has loaded every app's admin module by now (django.contrib.admin comes first).
        from backoffice.admin.accounts import guard_admin_site

        guard_admin_site()
