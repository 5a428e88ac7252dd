from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Theo dõi xây dựng nông thôn mới")
admin.site.site_title = _("NTM")
admin.site.index_title = _("Quản trị dữ liệu")

urlpatterns = [
    path("admin/", admin.site.urls),
]
