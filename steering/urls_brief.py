"""The meeting brief, mounted at /bao-cao-nhanh/ by the root urls (its address since the first
release, kept for bookmarks)."""

from django.urls import path

from steering.views import brief

app_name = "brief"

urlpatterns = [
    path("", brief.brief, name="page"),
    path("xlsx/", brief.brief_xlsx, name="xlsx"),
]
