from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from ops import views as ops_views

admin.site.site_header = _("Theo dõi xây dựng nông thôn mới")
admin.site.site_title = _("NTM")
admin.site.index_title = _("Quản trị dữ liệu")

urlpatterns = [
    path("", include("reports.urls")),
    path("", include("entry.urls")),
    path("bao-cao-nhanh/", include("steering.urls_brief")),  # the meeting brief
    path("nguoi-dung/", include("accounts.urls")),
    path("chi-dao/", include("steering.urls")),
    path("du-lieu/", include("entry.urls_io")),  # spreadsheet import and export
    # Login, logout and changing one's own password; no public password reset: accounts are made
    # by district staff, who set a new password on "Tài khoản" (README, "Accounts").
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # The language switch must work on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    # Probes for the load balancer / process manager: no login, no session (ops/views.py).
    path("healthz", ops_views.healthz, name="healthz"),
    path("readyz", ops_views.readyz, name="readyz"),
]

# A lost database connection answers 503 with Retry-After instead of a bare 500.
handler500 = "ops.views.server_error"
