"""Content types (and with them permissions and admin log entries) follow the models to `notices`."""

from django.db import migrations

MODELS = ['notification']


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="notices", model=model).exists():
            ContentType.objects.filter(app_label="steering", model=model).update(app_label="notices")


def backwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="steering", model=model).exists():
            ContentType.objects.filter(app_label="notices", model=model).update(app_label="steering")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("notices", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
