"""Spreadsheet import and export, mounted at /du-lieu/ (dữ liệu) by the root urls."""

from django.urls import path

from entry import views_io

app_name = "io"

urlpatterns = [
    path("", views_io.index, name="index"),
    path("ket-qua/mau/", views_io.record_template, name="record_template"),
    path("ket-qua/nhap/", views_io.records_upload, name="records_upload"),
    path("ket-qua/xac-nhan/", views_io.records_confirm, name="records_confirm"),
    path("bo-tieu-chi/mau/", views_io.set_template, name="set_template"),
    path("bo-tieu-chi/nhap/", views_io.set_upload, name="set_upload"),
    path("bo-tieu-chi/xac-nhan/", views_io.set_confirm, name="set_confirm"),
    path("dang-ky/", views_io.enrolments, name="enrolments"),
    path("dang-ky/mau/", views_io.enrolments_template, name="enrolments_template"),
    path("dang-ky/nhap/", views_io.enrolments_upload, name="enrolments_upload"),
    path("dang-ky/xac-nhan/", views_io.enrolments_confirm, name="enrolments_confirm"),
    path("don-vi/mau/", views_io.units_template, name="units_template"),
    path("don-vi/nhap/", views_io.units_upload, name="units_upload"),
    path("don-vi/xac-nhan/", views_io.units_confirm, name="units_confirm"),
    path("lich-su-don-vi/mau/", views_io.lineage_template, name="lineage_template"),
    path("lich-su-don-vi/nhap/", views_io.lineage_upload, name="lineage_upload"),
    path("lich-su-don-vi/xac-nhan/", views_io.lineage_confirm, name="lineage_confirm"),
    path("xuat/ket-qua.<str:fmt>", views_io.records_export, name="records_export"),
    path("xuat/tong-hop.<str:fmt>", views_io.summary_export, name="summary_export"),
]
