"""Records that existed before the workflow were counted by every report: keep them counted by
marking them verified, so no figure changes when this migration runs."""

from django.db import migrations


def mark_verified(apps, schema_editor):
    AchievementRecord = apps.get_model("criteria", "AchievementRecord")
    AchievementRecord.objects.filter(status="draft").update(status="verified")


class Migration(migrations.Migration):
    dependencies = [("criteria", "0002_record_workflow")]

    operations = [migrations.RunPython(mark_verified, migrations.RunPython.noop)]
