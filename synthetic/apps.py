from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "synthetic"
    verbose_name = "Dữ liệu giả lập"
