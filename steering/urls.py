from django.urls import path

from steering.views import dossiers, plans, works

app_name = "steering"

urlpatterns = [
    path("", plans.plan_list, name="plans"),
    path("ke-hoach/<slug:code>/", plans.commune_plan, name="commune_plan"),
    path("ke-hoach/<slug:code>/<slug:set_code>/tao-tu-chi-tieu-chua-dat/", plans.plan_generate, name="plan_generate"),
    path(
        "ke-hoach/<slug:code>/<slug:set_code>/chi-tieu/<str:indicator_code>/them/",
        plans.plan_item_new,
        name="plan_item_new",
    ),
    path("nhiem-vu/<int:pk>/", plans.plan_item_edit, name="plan_item"),
    path("ho-so/", dossiers.dossier_list, name="dossiers"),
    path("ho-so/<slug:code>/<slug:set_code>/", dossiers.dossier_detail, name="dossier"),
    path("ho-so/<slug:code>/<slug:set_code>/trang-thai/", dossiers.dossier_status, name="dossier_status"),
    path(
        "ho-so/<slug:code>/<slug:set_code>/dieu-kien/<int:condition_pk>/",
        dossiers.dossier_condition,
        name="dossier_condition",
    ),
    path("ho-so/<slug:code>/<slug:set_code>/cong-nhan/", dossiers.dossier_recognition, name="dossier_recognise"),
    path("ho-so/<slug:code>/<slug:set_code>/tong-hop.xlsx", dossiers.dossier_xlsx, name="dossier_xlsx"),
    path("cong-trinh/", works.work_list, name="works"),
    path("cong-trinh/them/", works.work_new, name="work_new"),
    path("cong-trinh/<int:pk>/", works.work_edit, name="work"),
]
