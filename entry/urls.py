from django.urls import path

from entry import views

app_name = "entry"

urlpatterns = [
    path("nhap-lieu/", views.entry_units, name="entry_units"),
    path("nhap-lieu/<slug:unit_code>/", views.entry_unit, name="entry_unit"),
    path("nhap-lieu/<slug:unit_code>/<slug:set_code>/<int:number>/", views.entry_form, name="entry"),
    path("ket-qua/<slug:unit_code>/<int:indicator_id>/<str:as_of>/", views.record_detail, name="record"),
    path("ket-qua/<int:pk>/tra-lai/", views.record_return_view, name="record_return"),
    path("duyet/", views.verification_queue, name="queue"),
    path("minh-chung/<int:pk>/", views.evidence_download, name="evidence"),
    path("dot-bao-cao/", views.round_list, name="rounds"),
    path("dot-bao-cao/<int:pk>/dong-mo/", views.round_toggle, name="round_toggle"),
    path("dot-bao-cao/<int:pk>/tien-do/", views.round_completeness_view, name="round_completeness"),
]
