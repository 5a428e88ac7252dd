from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("can-bo-xa/", views.officers, name="officers"),
    path("can-bo-xa/mat-khau/", views.officer_password, name="officer_password"),
    path("ban-chi-dao/", views.steering_staff, name="steering_staff"),
    path("mau/", views.accounts_template_download, name="accounts_template"),
    path("nhap/", views.accounts_upload, name="accounts_upload"),
    path("nhap/xac-nhan/", views.accounts_confirm, name="accounts_confirm"),
]
