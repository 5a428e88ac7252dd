from django.urls import path

from reports import api, views

app_name = "reports"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("don-vi/<slug:code>/", views.unit_page, name="unit"),
    path("bo-tieu-chi/", views.criteria_set_list, name="criteria_sets"),
    path("bo-tieu-chi/<slug:set_code>/", views.criteria_set_detail, name="criteria_set"),
    path("cach-viet-bao-cao/", views.report_settings, name="report_settings"),
    path("cach-viet-bao-cao/<slug:code>/", views.report_settings, name="report_settings_of"),
    path("api/v1/units/<slug:code>/summary/", api.unit_summary, name="api_summary"),
    path("api/v1/units/<slug:code>/detail/", api.unit_detail_view, name="api_detail"),
]
