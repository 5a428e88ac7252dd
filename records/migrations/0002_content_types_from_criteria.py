"""Content types (and with them permissions and admin log entries) follow the models to `records`."""

from django.db import migrations

MODELS = ['reportinground', 'historicalreportinground', 'achievementrecord', 'historicalachievementrecord', 'evidence', 'historicalevidence']


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="records", model=model).exists():
            ContentType.objects.filter(app_label="criteria", model=model).update(app_label="records")


def backwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="criteria", model=model).exists():
            ContentType.objects.filter(app_label="records", model=model).update(app_label="criteria")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("records", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
