"""Fill the new tree path of every existing unit, root first (schema change in 0006)."""

from django.db import migrations


def fill_paths(apps, schema_editor):
    Unit = apps.get_model("communes", "AdministrativeUnit")
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    paths = {}

    def path_of(pk):
        # Iterative, root first; a cycle (which clean() refuses) stops at the unit seen twice.
        chain, seen, current = [], set(), parents[pk]
        while current is not None and current not in seen and current not in paths:
            seen.add(current)
            chain.append(current)
            current = parents.get(current)
        prefix = paths.get(current, "") + (f"{current}/" if current in paths else "")
        for ancestor in reversed(chain):
            paths[ancestor] = prefix
            prefix = f"{prefix}{ancestor}/"
        return prefix

    units = list(Unit.objects.only("pk", "path"))
    for unit in units:
        unit.path = path_of(unit.pk)
    Unit.objects.bulk_update(units, ["path"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("communes", "0006_unit_tree_path")]

    operations = [migrations.RunPython(fill_paths, migrations.RunPython.noop)]
