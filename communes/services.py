"""The writers of administrative units that touch more than one row.

A unit's own tree path is set from its parent whenever the row is written (TreePathField); a unit
moved under another parent also rewrites the paths of every unit below it, here.
"""

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr

from communes.models import AdministrativeUnit, UnitSuccession


@transaction.atomic
def unit_save(*, unit):
    """Save `unit`; when its parent changed, its whole subtree follows (one UPDATE)."""
    old = None
    if unit.pk is not None:
        old = AdministrativeUnit.objects.filter(pk=unit.pk).values_list("path", flat=True).first()
    unit.save()
    if old is not None and old != unit.path:
        units_moved(old_prefix=f"{old}{unit.pk}/", new_prefix=unit.subtree_path)
    return unit


def units_moved(*, old_prefix, new_prefix):
    """Rewrite the tree paths under `old_prefix` to start with `new_prefix` instead."""
    return AdministrativeUnit.objects.filter(path__startswith=old_prefix).update(
        path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1))
    )


@transaction.atomic
def unit_paths_rebuild():
    """Recompute every unit's tree path from the parents, root first; returns how many changed.

    For units written without the ORM's save or bulk_create (raw SQL, COPY, queryset.update).
    """
    units = list(AdministrativeUnit.objects.only("pk", "parent_id", "path"))
    by_pk = {unit.pk: unit for unit in units}
    paths = {}

    def path_of(unit):
        chain, current = [], unit
        while current.parent_id is not None and current.pk not in paths and len(chain) <= len(units):
            chain.append(current)
            current = by_pk[current.parent_id]
        prefix = paths.get(current.pk, "")
        paths[current.pk] = prefix
        for below in reversed(chain):
            prefix = f"{prefix}{by_pk[below.parent_id].pk}/"
            paths[below.pk] = prefix
        return paths[unit.pk]

    changed = [unit for unit in units if unit.path != path_of(unit)]
    for unit in changed:
        unit.path = paths[unit.pk]
    AdministrativeUnit.objects.bulk_update(changed, ["path"], batch_size=1000)
    return len(changed)


FILE_FIELDS = ["name", "kind", "valid_from", "valid_to", "region", "commune_group", "is_disadvantaged"]


@transaction.atomic
def units_import_write(*, rows):
    """Create or update the units of a checked unit file (communes.imports), parents first: a
    new unit's site code is its official code; a unit moved to another parent takes its subtree."""
    for row in rows:
        unit = row.unit or AdministrativeUnit(code=row.official_code, official_code=row.official_code)
        for name in FILE_FIELDS:
            setattr(unit, name, row.value(name))
        # The parent is a stored unit, or a row of the same file written before this one.
        unit.parent = (
            row.parent if isinstance(row.parent, AdministrativeUnit) or row.parent is None else row.parent.unit
        )
        unit_save(unit=unit)
        row.unit = unit


@transaction.atomic
def lineage_import_write(*, links, ends):
    """Record the checked links of a lineage file (communes.imports) and end the old units that
    went wholly into a new one on the link's date: `ends` is [(unit, day)]."""
    for row in links:
        UnitSuccession.objects.update_or_create(
            predecessor=row.predecessor,
            successor=row.successor,
            defaults={"share": row.share, "effective_on": row.effective_on, "source": row.source},
        )
    for unit, day in ends:
        AdministrativeUnit.objects.filter(pk=unit.pk, valid_to__isnull=True).update(valid_to=day)
        unit.valid_to = day
