"""Every account used to be created with is_staff=True, which opened the Django admin to commune
officers and leaders. Staff access now follows the role (accounts.access.STAFF_ROLES): clear it
for the officers and leaders that exist. Superusers keep it."""

from django.conf import settings
from django.db import migrations

NOT_STAFF_ROLES = ["commune_officer", "leader"]


def clear_staff(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    User.objects.filter(is_staff=True, is_superuser=False, profile__role__in=NOT_STAFF_ROLES).update(is_staff=False)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_account_history")]

    # Not reversible in meaning (who was staff before is not recorded); going back leaves it as is.
    operations = [migrations.RunPython(clear_staff, migrations.RunPython.noop)]
