from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("can-bo-xa/", views.officers, name="officers"),
]
