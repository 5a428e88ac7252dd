from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("can-bo-xa/", views.officers, name="officers"),
    path("can-bo-xa/mat-khau/", views.officer_password, name="officer_password"),
]
