"""Links made before they had a date take the old unit's end date (the demo's Quảng Lợi → Quảng
Tân, 1/1/2020); schema change in 0008."""

from django.db import migrations


def date_links(apps, schema_editor):
    Succession = apps.get_model("communes", "UnitSuccession")
    links = list(Succession.objects.filter(effective_on__isnull=True, predecessor__valid_to__isnull=False))
    ends = dict(
        apps.get_model("communes", "AdministrativeUnit")
        .objects.filter(pk__in=[link.predecessor_id for link in links])
        .values_list("pk", "valid_to")
    )
    for link in links:
        link.effective_on = ends[link.predecessor_id]
    Succession.objects.bulk_update(links, ["effective_on"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("communes", "0008_official_code_and_succession"),
    ]

    operations = [migrations.RunPython(date_links, migrations.RunPython.noop)]
